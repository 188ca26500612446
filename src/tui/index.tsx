/**
 * Entry of the lab UI (dynamically imported by the CLI on an interactive terminal). Owns the
 * terminal for the session: alternate screen in, and out again on quit, crash or signal.
 */
import React from 'react';
import { composeLab, type AppOptions } from '../app/compose.js';
import { labClient, type LabClient } from './client.js';
import { LabTerminal } from './terminal.js';

async function openServices(globals: AppOptions): Promise<LabClient> {
  // The terminal belongs to the UI: a store warning waits for the picker instead of stderr.
  return labClient(composeLab(globals, { holdStoreWarnings: true }), globals.lang);
}

class CrashGuard extends React.Component<{ onCrash: (error: Error) => void; children: React.ReactNode }, { crashed: boolean }> {
  override state = { crashed: false };
  static getDerivedStateFromError() {
    return { crashed: true };
  }
  override componentDidCatch(error: Error) {
    this.props.onCrash(error);
  }
  override render() {
    return this.state.crashed ? null : this.props.children;
  }
}

export async function runTui(globals: AppOptions): Promise<number> {
  // Ink's colours come from chalk, which decides at import time and ignores NO_COLOR.
  if (!globals.color) process.env.FORCE_COLOR = '0';
  let services: LabClient;
  try {
    services = await openServices(globals);
  } catch (error) {
    process.stderr.write(`crashlab: the lab could not start: ${error instanceof Error ? error.message : String(error)}\n  Use the subcommands meanwhile (crashlab --help).\n`);
    return 2;
  }
  const { render } = await import('ink');
  const { App } = await import('./app.js');

  const terminal = new LabTerminal();
  let exitCode = 0;
  let crash: Error | undefined;
  let instance: ReturnType<typeof render> | undefined;

  const onFatal = (error: unknown) => {
    crash = error instanceof Error ? error : new Error(String(error));
    exitCode = 2;
    instance?.unmount();
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  terminal.enter((signal) => {
    instance?.unmount();
    terminal.dispose();
    process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143);
  });

  try {
    instance = render(
      <CrashGuard onCrash={onFatal}>
        <App services={services} lang={globals.lang} terminal={terminal} onExit={(code) => (exitCode = code)} />
      </CrashGuard>,
      { stdout: terminal.stdout as unknown as NodeJS.WriteStream, stdin: process.stdin, exitOnCtrlC: false, patchConsole: true, maxFps: 20 },
    );
    terminal.repaint = () => instance?.clear();
    await instance.waitUntilExit();
  } catch (error) {
    crash ??= error instanceof Error ? error : new Error(String(error));
    exitCode = 2;
  } finally {
    terminal.dispose();
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
  }
  if (crash) {
    process.stderr.write(`crashlab: the lab stopped on an unexpected error: ${crash.message}\n  Your progress is saved. Run crashlab again, or use the subcommands (crashlab --help).\n`);
    if (process.env.CRASHLAB_DEBUG && crash.stack) process.stderr.write(`${crash.stack}\n`);
  }
  return exitCode;
}

/**
 * Entry of the lab UI (dynamically imported by the CLI on an interactive terminal). Owns the
 * terminal for the session: alternate screen in, and out again on quit, crash or signal.
 */
import { setMaxListeners } from 'node:events';
import React from 'react';
import { composeLab, type AppOptions } from '../app/compose.js';
import { labClient, type LabClient } from './client.js';
import { SlowCallStore } from './slowCallStore.js';
import { LabTerminal } from './terminal.js';

/**
 * The lab's kubectl calls get what the CLI's get: the request timeout (in globals), the
 * session's abort signal (quitting stops running kubectl children and refuses new ones) and
 * the slow-cluster feed for the status line. The terminal belongs to the UI: a store warning
 * waits for the picker instead of stderr.
 */
export function openServices(globals: AppOptions, session: { signal: AbortSignal; slowCalls: SlowCallStore; compose?: typeof composeLab }): LabClient {
  const compose = session.compose ?? composeLab;
  return labClient(compose(globals, { holdStoreWarnings: true, signal: session.signal, onSlowCall: session.slowCalls.report }), globals.lang, session.slowCalls);
}

const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGHUP: 129, SIGTERM: 143 };

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

/** What runTui reaches outside itself (tests give fakes). */
export interface TuiHost {
  terminal: LabTerminal;
  stdin: NodeJS.ReadStream;
  compose: typeof composeLab;
  /** Ends the process: a second signal, or a shutdown that does not finish. */
  exit: (code: number) => void;
}

export async function runTui(globals: AppOptions, host: Partial<TuiHost> = {}): Promise<number> {
  const exit = host.exit ?? ((code: number) => process.exit(code));
  // Ink's colours come from chalk, which decides at import time and ignores NO_COLOR.
  if (!globals.color) process.env.FORCE_COLOR = '0';
  // The session's kubectl calls end with it: quit, a signal or a crash aborts this.
  const session = new AbortController();
  // Every running kubectl listens for the abort; Node's leak warning would tear the screen.
  setMaxListeners(500, session.signal);
  const slowCalls = new SlowCallStore();
  let services: LabClient;
  try {
    services = openServices(globals, { signal: session.signal, slowCalls, compose: host.compose });
  } catch (error) {
    process.stderr.write(`crashlab: the lab could not start: ${error instanceof Error ? error.message : String(error)}\n  Use the subcommands meanwhile (crashlab --help).\n`);
    return 2;
  }
  const { render } = await import('ink');
  const { App } = await import('./app.js');

  const terminal = host.terminal ?? new LabTerminal();
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
  let received: NodeJS.Signals | undefined;
  terminal.enter((signal) => {
    if (received) {
      // A second signal while the first one's shutdown is still going: stop now (the process's
      // exit restores the terminal; disposing here would leave signal-exit, execa's cleanup,
      // the only listener, and it re-raises the signal). A hangup ends the process by itself.
      if (signal !== 'SIGHUP') exit(SIGNAL_EXIT_CODES[signal] ?? 1);
      return;
    }
    // Not process.exit here: the lab unmounts, its kubectl children are stopped through the
    // session signal, the terminal is restored in `finally`, and runTui returns the code.
    received = signal;
    exitCode = SIGNAL_EXIT_CODES[signal] ?? 1;
    session.abort(Object.assign(new Error(`interrupted (${signal})`), { name: 'AbortError' }));
    instance?.unmount();
  });

  try {
    instance = render(
      <CrashGuard onCrash={onFatal}>
        <App services={services} lang={globals.lang} terminal={terminal} onExit={(code) => (exitCode = code)} />
      </CrashGuard>,
      { stdout: terminal.stdout as unknown as NodeJS.WriteStream, stdin: host.stdin ?? process.stdin, exitOnCtrlC: false, patchConsole: true, maxFps: 20 },
    );
    terminal.repaint = () => instance?.clear();
    await instance.waitUntilExit();
  } catch (error) {
    crash ??= error instanceof Error ? error : new Error(String(error));
    exitCode = 2;
  } finally {
    if (!session.signal.aborted) session.abort(Object.assign(new Error('the lab was closed'), { name: 'AbortError' }));
    terminal.dispose();
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
    // Work the lab left running fails with the abort now; no screen is left to tell, and a stack
    // trace on the restored terminal would only alarm. CRASHLAB_DEBUG shows them.
    if (!process.listeners('unhandledRejection').includes(afterClose)) process.on('unhandledRejection', afterClose);
    // Aborted kubectl children end within moments (execa: SIGTERM, then SIGKILL after 5 s); if
    // something still holds the process after 10 s, end it (unref: never delays a clean exit).
    const code = exitCode;
    setTimeout(() => exit(code), 10_000).unref();
  }
  if (crash) {
    process.stderr.write(`crashlab: the lab stopped on an unexpected error: ${crash.message}\n  Your progress is saved. Run crashlab again, or use the subcommands (crashlab --help).\n`);
    if (process.env.CRASHLAB_DEBUG && crash.stack) process.stderr.write(`${crash.stack}\n`);
  }
  return exitCode;
}

function afterClose(reason: unknown): void {
  if (process.env.CRASHLAB_DEBUG) process.stderr.write(`crashlab: after the lab closed: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
}

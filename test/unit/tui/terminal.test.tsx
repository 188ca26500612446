/** The terminal the lab owns: alternate screen in and always out, and the editor hand-over. */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { LabTerminal } from '../../../src/tui/terminal.js';

class FakeOut extends EventEmitter {
  written = '';
  isTTY = true;
  columns = 80;
  rows = 24;
  write(data: string) {
    this.written += data;
    return true;
  }
}

class FakeIn extends EventEmitter {
  isTTY = true;
  raw: boolean[] = [];
  paused = 0;
  setRawMode(on: boolean) {
    this.raw.push(on);
  }
  pause() {
    this.paused++;
  }
}

const listeners = () => ['SIGINT', 'SIGTERM', 'SIGHUP', 'exit'].map((e) => process.listenerCount(e));
let terminal: LabTerminal | undefined;
afterEach(() => terminal?.dispose());

function make() {
  const out = new FakeOut();
  const input = new FakeIn();
  terminal = new LabTerminal(out as unknown as NodeJS.WriteStream, input as unknown as NodeJS.ReadStream);
  return { out, input, terminal };
}

describe('LabTerminal', () => {
  it('enters the alternate screen and leaves it exactly once, with the cursor back and raw mode off', () => {
    const before = listeners();
    const { out, input, terminal } = make();
    terminal.enter(() => {});
    expect(out.written).toContain('\x1b[?1049h');
    expect(out.written).toContain('\x1b[?25l');
    expect(listeners()).toEqual(before.map((n) => n + 1));
    terminal.restore();
    terminal.restore();
    expect(out.written.match(/\x1b\[\?1049l/g)).toHaveLength(1);
    expect(out.written.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
    expect(input.raw).toEqual([false]);
    terminal.dispose();
    expect(listeners()).toEqual(before);
  });

  it('hands the terminal to another program: input off, Ink silenced, then all restored and repainted', async () => {
    const { out, input, terminal } = make();
    terminal.enter(() => {});
    const steps: string[] = [];
    terminal.setInputSuspended = async (suspended) => {
      steps.push(suspended ? 'input off' : 'input on');
    };
    terminal.repaint = () => steps.push('repaint');
    const result = await terminal.handOver(async () => {
      steps.push('editor');
      expect(terminal.stdout.write('frame drawn while the editor runs')).toBe(true);
      expect(out.written).toMatch(/\x1b\[\?1049l$/);
      return 'saved';
    });
    expect(result).toBe('saved');
    expect(steps).toEqual(['input off', 'editor', 'repaint', 'input on']);
    expect(input.paused).toBe(1);
    expect(out.written).not.toContain('frame drawn while the editor runs');
    expect(out.written).toMatch(/\x1b\[\?1049h\x1b\[2J\x1b\[H\x1b\[\?25l$/);
    terminal.stdout.write('next frame');
    expect(out.written.endsWith('next frame')).toBe(true);
  });

  it('takes the terminal back even when the other program fails', async () => {
    const { out, terminal } = make();
    terminal.enter(() => {});
    await expect(terminal.handOver(async () => Promise.reject(new Error('vi: not found')))).rejects.toThrow('vi: not found');
    expect(terminal.stdout.open).toBe(true);
    expect(out.written).toMatch(/\x1b\[\?1049h\x1b\[2J\x1b\[H\x1b\[\?25l$/);
  });

  it('copies through the terminal with OSC 52', () => {
    const { out, terminal } = make();
    terminal.copy('kubectl get pod web -n ns');
    expect(out.written).toBe(`\x1b]52;c;${Buffer.from('kubectl get pod web -n ns').toString('base64')}\x07`);
  });

  it('forwards resize events and the size to Ink', () => {
    const { out, terminal } = make();
    let resized = 0;
    terminal.stdout.on('resize', () => resized++);
    out.columns = 160;
    out.rows = 48;
    out.emit('resize');
    expect(resized).toBe(1);
    expect([terminal.stdout.columns, terminal.stdout.rows]).toEqual([160, 48]);
  });
});

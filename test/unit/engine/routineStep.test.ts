import { describe, expect, it } from 'vitest';
import { routineSteps } from '../../../src/core/routine.js';
import { runRoutineStep } from '../../../src/engine/routineStep.js';
import { MemoryKube } from '../../fakes/memoryKube.js';

const steps = routineSteps({ namespace: 'crashlab-oom', pod: 'shop-api-6d5f8b7c9-4kq2m', container: 'app' });
const previous = steps.find((s) => s.id === 'logs-previous')!;

describe('runRoutineStep', () => {
  it('falls back to plain logs when the kubelet already removed the previous container', async () => {
    const kube = new MemoryKube();
    kube.run = async (args: string[]) => {
      kube.calls.push(args.join(' '));
      return args.includes('--previous')
        ? { exitCode: 1, stdout: '', stderr: 'unable to retrieve container logs for containerd://48dc9c9f51b0d486003c32da5e9abf7be1be0b6d976f63739eb3d81a7f977a79' }
        : { exitCode: 0, stdout: '2026-11-24T10:02:41.113Z shop-api: loading the product catalogue (64 MiB)...\nKilled', stderr: '' };
    };
    const run = await runRoutineStep(kube, previous);
    expect(kube.calls).toEqual([previous.args.join(' '), previous.args.filter((a) => a !== '--previous').join(' ')]);
    expect(run.exitCode).toBe(0);
    expect(run.output).toContain('unable to retrieve container logs');
    expect(run.output).toContain('--previous is gone');
    expect(run.output).toContain('loading the product catalogue');
  });

  it('returns other failures as they are', async () => {
    const kube = new MemoryKube();
    kube.runResults.set('logs', { exitCode: 1, stdout: '', stderr: 'Error from server (NotFound): pods "shop-api-6d5f8b7c9-4kq2m" not found' });
    const run = await runRoutineStep(kube, previous);
    expect(run).toEqual({ exitCode: 1, output: 'Error from server (NotFound): pods "shop-api-6d5f8b7c9-4kq2m" not found' });
    expect(kube.calls).toHaveLength(1);
  });
});

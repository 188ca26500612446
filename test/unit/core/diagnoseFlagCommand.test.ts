/**
 * Found by `crashlab prove` on a workshop pack (acme-web, ACME's own image with ENTRYPOINT
 * /app/web): a Deployment ported from busybox kept the port flag as `command`, and diagnosis
 * named bad-command. A flag executed as the program is an ENTRYPOINT/args mix-up.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/core/diagnose.js';
import type { Pod } from '../../../src/core/k8s.js';

// lastState.terminated.message as containerd 2.1 + runc printed it on the test cluster (2026-12-06).
const MESSAGE = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "--port=8080": executable file not found in $PATH';

function pod(container: Record<string, unknown>): Pod {
  return {
    metadata: { name: 'acme-web-9956b5bb8-l9z6f', namespace: 'crashlab-acme-web' },
    spec: { containers: [{ name: 'web', image: 'localhost/acme/web:1.0', ...container }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'web', ready: false, restartCount: 2, state: { waiting: { reason: 'RunContainerError', message: MESSAGE } }, lastState: { terminated: { reason: 'StartError', exitCode: 128, message: MESSAGE } } }] },
  } as unknown as Pod;
}

describe('a flag in command', () => {
  it('is an image-entrypoint mix-up, said with the fix', () => {
    const [finding] = diagnose({ pods: [pod({ command: ['--port=8080'] })] }).findings;
    expect(finding.category).toBe('image-entrypoint');
    expect(finding.summary.en).toContain('Pass flags in args');
  });

  it('a missing program in command stays bad-command', () => {
    const missing = MESSAGE.replace('--port=8080', '/app/webserver');
    const p = pod({ command: ['/app/webserver'] });
    p.status!.containerStatuses![0].lastState!.terminated!.message = missing;
    p.status!.containerStatuses![0].state!.waiting!.message = missing;
    expect(diagnose({ pods: [p] }).findings[0].category).toBe('bad-command');
  });
});

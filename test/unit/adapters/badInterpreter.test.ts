/**
 * Issue 21, item 17: a kubectl whose `#!` line names an interpreter that does not exist is
 * reported as such (exec answers ENOENT for both), not as "kubectl not found on PATH".
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kubectl } from '../../../src/adapters/kubectl.js';
import { probePreflight } from '../../../src/adapters/preflight.js';

describe('a kubectl that cannot start', () => {
  it('a bad interpreter line is named; a missing kubectl is still "not found on PATH"', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'crashlab-interp-'));
    writeFileSync(join(bin, 'kubectl'), '#!/nonexistent/sh\necho hi\n');
    chmodSync(join(bin, 'kubectl'), 0o755);
    const broken = new Kubectl({ context: 'kind-crashlab', env: { PATH: bin } });
    await expect(broken.getPods('crashlab-oom')).rejects.toThrow(`kubectl cannot run: ${join(bin, 'kubectl')} starts with "#!/nonexistent/sh" and that interpreter does not exist.`);
    const none = new Kubectl({ context: 'kind-crashlab', env: { PATH: mkdtempSync(join(tmpdir(), 'crashlab-empty-')) } });
    await expect(none.getPods('crashlab-oom')).rejects.toThrow(/^kubectl not found on PATH/);
  });

  it('doctor says the same: found, cannot run, and why', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'crashlab-interp-'));
    writeFileSync(join(bin, 'kubectl'), '#!/nonexistent/sh\n');
    chmodSync(join(bin, 'kubectl'), 0o755);
    const probes = await probePreflight({ context: 'crashlab-local', env: { PATH: bin } });
    expect(probes.kubectl).toEqual({ found: true, error: { kind: 'cannot-run', detail: `${join(bin, 'kubectl')} starts with "#!/nonexistent/sh" and that interpreter does not exist` } });
  });
});

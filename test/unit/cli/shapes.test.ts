/**
 * Issue 21, item 9: what crosses the boundary is validated (core/k8sSchema.ts). A kubectl that
 * prints valid JSON of the wrong shape, or a pod file with `containerStatuses: [null, 5, "x"]`,
 * gets one clear message and exit 2, never a JavaScript error or "No pods yet." with exit 0.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { Kubectl } from '../../../src/adapters/kubectl.js';
import { setupFakes, type Fakes } from '../../fakes/index.js';
import { capture } from '../../fakes/captureIo.js';

let fakes: Fakes | undefined;
afterEach(() => {
  fakes?.cleanup();
  fakes = undefined;
});

const JS_ERROR = /is not a function|Cannot read properties|undefined \(reading|Invalid time value/;

describe('kubectl answers of the wrong shape', () => {
  it('JSON 42, a List whose items are not objects, a Pod without spec: a kubectl PortError naming what is wrong', async () => {
    for (const [stdout, expected] of [
      ['42', /^kubectl printed JSON crashlab cannot use: not a List of Pods: the document: expected object/],
      ['{"kind":"List","items":[null]}', /^kubectl printed JSON crashlab cannot use: not a List of Pods: items\.0: expected object, received null/],
      ['{"kind":"List","items":[{"metadata":{"name":"p"},"spec":{"containers":[{"name":"app"}]},"status":{"containerStatuses":[null,5,"x"]}}]}', /containerStatuses\.0: expected object, received null \(got null\)/],
    ] as const) {
      fakes = setupFakes([{ tool: 'kubectl', args: ['get'], stdout }], ['kubectl']);
      const kube = new Kubectl({ context: 'kind-crashlab', env: fakes.env });
      await expect(kube.getPods('crashlab-oom')).rejects.toThrow(expected);
      fakes.cleanup();
      fakes = undefined;
    }
  });

  it('status on a kubectl that prints 42 exits 2 with words, not "No pods yet." and 0', async () => {
    fakes = setupFakes([{ tool: 'kubectl', args: ['get'], stdout: '42' }, { tool: 'kubectl', stdout: '' }], ['kubectl']);
    const c = capture({ ...fakes.env, XDG_CONFIG_HOME: join(fakes.dir, 'config') });
    const code = await main(['status', 'oom'], c.io);
    expect(c.out()).not.toContain('No pods yet');
    expect(code).toBe(2);
    expect(c.err()).toMatch(/kubectl printed JSON crashlab cannot use/);
    expect(c.err()).not.toMatch(JS_ERROR);
  });
});

describe('a pod file of the wrong shape (diagnose --pod)', () => {
  it('containerStatuses: [null, 5, "x"] is named, with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlab-shape-'));
    const pod = JSON.parse(readFileSync(new URL('../../fixtures/diagnose/bad-command-sh.pod.json', import.meta.url), 'utf8'));
    pod.status.containerStatuses = [null, 5, 'x'];
    const file = join(dir, 'pod.json');
    writeFileSync(file, JSON.stringify(pod));
    const c = capture();
    const code = await main(['diagnose', '--pod', file], c.io);
    expect(code).toBe(2);
    expect(c.err()).toMatch(/^crashlab: --pod file ".*pod\.json" is not a Pod: status\.containerStatuses\.0: expected object, received null \(got null\)\n/);
    expect(c.err()).not.toMatch(JS_ERROR);
  });
});

/**
 * The lab reads the scenario's workload by its kind: a Job scenario is "deployed" when its Job
 * exists, read through the Kube port's getObject (Deployments keep their own read).
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog, packageRoot } from '../../../src/adapters/scenarios.js';
import type { K8sObject } from '../../../src/core/k8s.js';
import { findWorkload } from '../../../src/core/manifest.js';
import { LabError, getWorkloadObject, requireDeployed } from '../../../src/engine/scenarioRuns.js';
import { type Kube } from '../../../src/ports/kube.js';
import { MemoryKube } from '../../fakes/memoryKube.js';

const catalog = await loadCatalog(packageRoot());
const job = catalog.bundles.find((b) => b.scenario.id === 'job-backoff')!;
const run = { scenarioId: 'job-backoff', namespace: 'crashlab-job-backoff', selector: 'crashlab.dev/scenario=job-backoff', ownsNamespace: true };

/** The one in-memory Kube holding these objects in namespace `namespace`; `reads` are its calls. */
function kubeWith(objects: K8sObject[], namespace: string, withGetObject = true) {
  const kube = new MemoryKube().seed({ objects: objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } })) });
  // A connection that cannot read other kinds (an older adapter): the port's getObject is optional.
  if (!withGetObject) (kube as { getObject?: unknown }).getObject = undefined;
  return { kube: kube as Kube, reads: kube.calls };
}

describe('the lab reads the workload of the scenario’s kind', () => {
  it('job-backoff is a Job in the catalog', () => {
    expect(job.scenario.workload).toMatchObject({ kind: 'Job', name: 'nightly-report', container: 'report' });
    expect(findWorkload(job.solution, 'Job', 'nightly-report')?.spec.template.spec.containers[0].name).toBe('report');
    expect(findWorkload(job.solution, 'Deployment', 'nightly-report')).toBeUndefined();
  });

  it('a deployed Job counts as deployed, read as jobs.batch', async () => {
    const { kube, reads } = kubeWith(job.broken, run.namespace);
    await requireDeployed(kube, job, run);
    expect(reads).toEqual(['getObject crashlab-job-backoff jobs.batch nightly-report']);
  });

  it('a missing Job is "not deployed", named as a job', async () => {
    const { kube } = kubeWith([], run.namespace);
    const error = await requireDeployed(kube, job, run).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).kind).toBe('not-deployed');
    expect((error as LabError).message).toBe('scenario job-backoff is not deployed (no job nightly-report in namespace crashlab-job-backoff)');
  });

  it('a connection without getObject cannot read a Job: a kubectl PortError, not a wrong answer', async () => {
    const { kube } = kubeWith(job.broken, run.namespace, false);
    await expect(getWorkloadObject(kube, run.namespace, job.scenario.workload)).rejects.toMatchObject({ port: 'kubectl', kind: 'other' });
  });

  it('a Deployment is still read with getDeployment', async () => {
    const { kube, reads } = kubeWith([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }], 'ns');
    expect(await getWorkloadObject(kube, 'ns', { kind: 'Deployment', name: 'web' })).toBeDefined();
    expect(reads).toEqual(['getDeployment ns web']);
  });
});

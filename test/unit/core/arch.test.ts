/**
 * core/arch.ts: which per-architecture image a runtime-issue scenario deploys, from the
 * architectures the nodes report (`kubectl get nodes -o jsonpath={.items[*].status.nodeInfo.architecture}`),
 * and how prepareForDeploy puts it into the pod templates.
 */
import { describe, expect, it } from 'vitest';
import { chooseForeignArch, foreignArchImages, parseNodeArchitectures } from '../../../src/core/arch.js';
import type { K8sObject } from '../../../src/core/k8s.js';
import { prepareForDeploy, withImages } from '../../../src/core/manifest.js';

const AMD = 'busybox@sha256:907ca53d7e2947e849b839b1cd258c98fd3916c60f2e6e70c30edbf741ab6754';
const ARM = 'busybox@sha256:5e42fbc46b177f10319e8937dd39702e7891ce6d8a42d60c1b4f433f94200bd2';
const VARIANTS = { amd64: AMD, arm64: ARM };

describe('chooseForeignArch', () => {
  it('gives an amd64 cluster the arm64 image and an arm64 cluster the amd64 one', () => {
    expect(chooseForeignArch(VARIANTS, ['amd64'])).toEqual({ ok: true, arch: 'arm64', image: ARM });
    expect(chooseForeignArch(VARIANTS, ['arm64'])).toEqual({ ok: true, arch: 'amd64', image: AMD });
  });

  it('takes the first variant, in the scenario\'s order, that no node runs', () => {
    expect(chooseForeignArch({ amd64: AMD, arm64: ARM, s390x: 'busybox@sha256:069e' }, ['amd64', 'arm64'])).toMatchObject({ arch: 's390x' });
  });

  it('refuses when every variant has a node (a mixed cluster), and says so', () => {
    const choice = chooseForeignArch(VARIANTS, ['amd64', 'arm64']);
    expect(choice).toEqual({ ok: false, reason: 'every variant (amd64, arm64) has an architecture a node runs (amd64, arm64)' });
  });

  it('makes no choice without a node architecture', () => {
    expect(chooseForeignArch(VARIANTS, [])).toMatchObject({ ok: false, reason: 'no node reported its architecture' });
    expect(chooseForeignArch(VARIANTS, [' '])).toMatchObject({ ok: false });
  });
});

describe('parseNodeArchitectures', () => {
  it('reads the space-separated jsonpath output, once per architecture', () => {
    // kubectl get nodes -o jsonpath={.items[*].status.nodeInfo.architecture} on three nodes
    expect(parseNodeArchitectures('amd64 amd64 arm64\n')).toEqual(['amd64', 'arm64']);
    expect(parseNodeArchitectures('')).toEqual([]);
  });
});

describe('the chosen image in the manifests', () => {
  const deployment: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'invoice-renderer' },
    spec: { template: { metadata: {}, spec: { initContainers: [{ name: 'seed', image: ARM }], containers: [{ name: 'app', image: ARM }, { name: 'side', image: 'busybox:1.36' }] } } },
  };
  const images = (o: K8sObject) => {
    const spec = (o.spec as { template: { spec: { initContainers: { image: string }[]; containers: { image: string }[] } } }).template.spec;
    return [...spec.initContainers, ...spec.containers].map((c) => c.image);
  };

  it('replaces every variant by the chosen one in containers and init containers, nothing else', () => {
    const map = foreignArchImages(VARIANTS, AMD);
    expect(map).toEqual({ [ARM]: AMD });
    const [, prepared] = prepareForDeploy([deployment], { namespace: 'crashlab-foreign-arch', scenarioId: 'foreign-arch', images: map });
    expect(images(prepared)).toEqual([AMD, AMD, 'busybox:1.36']);
    expect(images(deployment)).toEqual([ARM, ARM, 'busybox:1.36']);
  });

  it('leaves the manifest as written when the chosen variant is the one it names', () => {
    expect(foreignArchImages(VARIANTS, ARM)).toEqual({ [AMD]: ARM });
    expect(images(withImages([deployment], foreignArchImages(VARIANTS, ARM))[0])).toEqual([ARM, ARM, 'busybox:1.36']);
  });
});

import { describe, expect, it } from 'vitest';
import type { Container } from '../../../../src/core/k8s.js';
import { stabilityWindow } from '../../../../src/core/verify/window.js';
import { deployment } from '../../../fakes/objects.js';

const app = (probes: Partial<Container> = {}): Container => ({ name: 'app', image: 'busybox:1.36', ...probes });
const http = { httpGet: { path: '/healthz', port: 8080 } };

describe('stabilityWindow', () => {
  it('uses the Kubernetes probe defaults (period 10, failureThreshold 3, timeout 1, no delay)', () => {
    const w = stabilityWindow([app({ livenessProbe: http })], { marginSeconds: 10 });
    expect(w.seconds).toBe(0 + 10 * 3 + 1 + 10);
    expect(w.reasons.map((r) => r.en).join('\n')).toContain('app: liveness probe initialDelay + period × failureThreshold + timeout = 0 + 10 × 3 + 1 = 31 s');
  });

  it('takes the longest term of the fixture spec: liveness 5 + 5 × 3 + 1 beats readiness and the crash time', () => {
    const w = stabilityWindow(deployment().spec.template.spec, { crashWithinSeconds: 20, marginSeconds: 10 });
    expect(w.seconds).toBe(21 + 10);
    const en = w.reasons.map((r) => r.en);
    expect(en).toContain('app: liveness probe initialDelay + period × failureThreshold + timeout = 5 + 5 × 3 + 1 = 21 s');
    expect(en).toContain('app: readiness probe first result initialDelay + period + timeout = 0 + 5 + 1 = 6 s');
    expect(en).toContain('the broken version crashes within 20 s of starting');
    expect(en.at(-1)).toBe('longest term 21 s + margin 10 s = 31 s');
    expect(w.reasons.every((r) => r.ko.length > 0)).toBe(true);
  });

  it('adds the startup budget before liveness, because liveness only starts after startup succeeds', () => {
    const w = stabilityWindow([app({ startupProbe: { ...http, periodSeconds: 5, failureThreshold: 12 }, livenessProbe: http })], { marginSeconds: 10 });
    expect(w.seconds).toBe(5 * 12 + 31 + 10);
    expect(w.reasons[0].en).toBe('app: startup probe budget 60 s (liveness waits for it) + liveness 0 + 10 × 3 + 1 = 91 s');
  });

  it('counts a startup probe alone as its own budget', () => {
    const w = stabilityWindow([app({ startupProbe: { ...http, initialDelaySeconds: 2 } })], { marginSeconds: 5 });
    expect(w.seconds).toBe(2 + 10 * 3 + 5);
  });

  it('lets a slow known crash time dominate short probes', () => {
    const w = stabilityWindow([app({ livenessProbe: { ...http, periodSeconds: 2, failureThreshold: 1 } })], { crashWithinSeconds: 45, marginSeconds: 10 });
    expect(w.seconds).toBe(55);
  });

  it('takes the slowest of several containers and counts native sidecars but not plain init containers', () => {
    const spec = {
      initContainers: [
        { name: 'migrate', image: 'busybox:1.36', livenessProbe: { ...http, initialDelaySeconds: 500 } },
        { name: 'proxy', image: 'busybox:1.36', restartPolicy: 'Always', livenessProbe: { ...http, periodSeconds: 20 } },
      ],
      containers: [app({ livenessProbe: http })],
    };
    const w = stabilityWindow(spec, { marginSeconds: 10 });
    expect(w.seconds).toBe(20 * 3 + 1 + 10);
    expect(w.reasons.some((r) => r.en.startsWith('migrate'))).toBe(false);
  });

  it('never goes below the minimum when nothing in the spec says how long to watch', () => {
    const w = stabilityWindow([app()], { marginSeconds: 5 });
    expect(w.seconds).toBe(15);
    expect(w.reasons.map((r) => r.en)).toEqual(['no probes and no known crash time', 'longest term 0 s + margin 5 s = 5 s', 'raised to the minimum of 15 s']);
  });

  it('obeys --window but says what the spec asked for and that a shorter window proves less', () => {
    const w = stabilityWindow([app({ livenessProbe: http })], { marginSeconds: 10, overrideSeconds: 20 });
    expect(w.seconds).toBe(20);
    expect(w.reasons[0].en).toBe('set by --window to 20 s (derived from the spec: 41 s)');
    expect(w.reasons[1].en).toMatch(/shorter than the 41 s/);
    const longer = stabilityWindow([app({ livenessProbe: http })], { marginSeconds: 10, overrideSeconds: 90 });
    expect(longer.seconds).toBe(90);
    expect(longer.reasons.some((r) => r.en.includes('proves less'))).toBe(false);
  });
});

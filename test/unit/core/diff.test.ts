import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../src/core/diff.js';

const broken = `containers:
- name: app
  image: busybox:1.36
  command: ["/bin/web-server"]
  readinessProbe:
    httpGet: {path: /, port: 8080}
`;
const fixed = `containers:
- name: app
  image: busybox:1.36
  command: ["httpd", "-f", "-p", "8080"]
  readinessProbe:
    httpGet: {path: /, port: 8080}
`;

describe('unifiedDiff', () => {
  it('shows the changed line with context, like diff -u', () => {
    expect(unifiedDiff(broken, fixed, { before: 'broken', after: 'yours' }, 1)).toBe(
      [
        '--- broken',
        '+++ yours',
        '@@ -3,3 +3,3 @@',
        '   image: busybox:1.36',
        '-  command: ["/bin/web-server"]',
        '+  command: ["httpd", "-f", "-p", "8080"]',
        '   readinessProbe:',
        '',
      ].join('\n'),
    );
  });

  it('is empty for identical texts', () => {
    expect(unifiedDiff(broken, broken, { before: 'a', after: 'b' })).toBe('');
  });

  it('splits far-apart changes into separate hunks and counts lines right', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const b = a.replace('line 2', 'LINE 2').replace('line 17', 'LINE 17') + '\nline 20';
    const diff = unifiedDiff(a, b, { before: 'a', after: 'b' }, 2);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain('@@ -1,5 +1,5 @@');
    expect(diff).toContain('@@ -16,5 +16,6 @@');
    expect(diff).toContain('+line 20');
  });
});

import { pruneToShape } from '../../../src/core/diff.js';

describe('pruneToShape', () => {
  it('drops server defaults the manifests never mention and keeps what the learner added from the solution shape', () => {
    const live = {
      containers: [
        {
          name: 'app',
          image: 'busybox:1.36',
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePath: '/dev/termination-log',
          livenessProbe: { httpGet: { path: '/', port: 8080, scheme: 'HTTP' }, periodSeconds: 5, successThreshold: 1, timeoutSeconds: 1 },
          startupProbe: { httpGet: { path: '/', port: 8080, scheme: 'HTTP' }, failureThreshold: 30, periodSeconds: 2 },
        },
      ],
      dnsPolicy: 'ClusterFirst',
    };
    const broken = { containers: [{ name: 'app', image: 'busybox:1.36', livenessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 2 } }] };
    const solution = { containers: [{ name: 'app', image: 'busybox:1.36', livenessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5 }, startupProbe: { httpGet: { path: '/', port: 8080 }, failureThreshold: 30, periodSeconds: 2 } }] };
    expect(pruneToShape(live, [broken, solution])).toEqual({
      containers: [
        {
          name: 'app',
          image: 'busybox:1.36',
          livenessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5 },
          startupProbe: { httpGet: { path: '/', port: 8080 }, failureThreshold: 30, periodSeconds: 2 },
        },
      ],
    });
  });
});

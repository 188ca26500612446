import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { locateYamlPath } from '../../../src/core/yamlLocate.js';

// scenarios/oom/scenario.yaml as shipped: block style, a flow list, multi-line text.
const OOM = readFileSync(new URL('../../../scenarios/oom/scenario.yaml', import.meta.url), 'utf8');
const lineOf = (needle: string) => OOM.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('locateYamlPath', () => {
  it('finds top-level keys, nested keys, list items and fields of list items', () => {
    expect(locateYamlPath(OOM, ['category'])).toEqual({ line: lineOf('category: oom-killed'), column: 1 });
    expect(locateYamlPath(OOM, ['expect', 'lastTerminated', 'exitCode'])).toEqual({ line: lineOf('exitCode: 137'), column: 5 });
    expect(locateYamlPath(OOM, ['hints', 1])).toEqual({ line: lineOf('- en: "`lastState.terminated.reason` is OOMKilled'), column: 3 });
    expect(locateYamlPath(OOM, ['hints', 1, 'ko'])).toEqual({ line: lineOf('ko: "`lastState.terminated.reason`이'), column: 5 });
    expect(locateYamlPath(OOM, ['title', 'ko'])).toEqual({ line: lineOf('ko: 상자보다 큰 앱'), column: 3 });
    expect(locateYamlPath(OOM, ['guards', 0, 'max'])).toEqual({ line: lineOf('max: 256Mi'), column: 5 });
  });

  it('points at the nearest present parent for a missing field, and at the key line inside a flow list', () => {
    expect(locateYamlPath(OOM, ['expect', 'waitingMessage'])).toEqual({ line: lineOf('expect:'), column: 1 });
    expect(locateYamlPath(OOM, ['expect', 'podStatuses', 1])).toEqual({ line: lineOf('podStatuses: [CrashLoopBackOff'), column: 3 });
    expect(locateYamlPath(OOM, ['nothing'])).toBeUndefined();
  });

  it('reads "key:" followed by items at the same indentation', () => {
    const text = 'hints:\n- en: a\n  ko: 가\n- en: b\n  ko: 나\nshared: true\n';
    expect(locateYamlPath(text, ['hints', 1, 'ko'])).toEqual({ line: 5, column: 3 });
    expect(locateYamlPath(text, ['shared'])).toEqual({ line: 6, column: 1 });
  });
});

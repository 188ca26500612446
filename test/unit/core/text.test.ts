/** Korean particles after numbers, Hangul and the Kubernetes kinds: no "web가", no "200를". */
import { describe, expect, it } from 'vitest';
import { withParticle } from '../../../src/core/text.js';

describe('withParticle', () => {
  it('reads numbers as Korean does', () => {
    expect(withParticle('404', '을/를')).toBe('404를'); // 사백사
    expect(withParticle('200', '을/를')).toBe('200을'); // 이백
    expect(withParticle('503', '을/를')).toBe('503을'); // 오백삼
    expect(withParticle('1', '으로/로')).toBe('1로'); // 일: ㄹ takes 로
    expect(withParticle('137', '으로/로')).toBe('137로'); // 칠
    expect(withParticle('143', '으로/로')).toBe('143으로'); // 삼
    expect(withParticle('0', '으로/로')).toBe('0으로'); // 영
    expect(withParticle('2', '으로/로')).toBe('2로'); // 이
    expect(withParticle('8080', '을/를')).toBe('8080을'); // 팔십
  });

  it('reads Hangul and the kinds the lab names', () => {
    expect(withParticle('web 포트', '으로/로')).toBe('web 포트로');
    expect(withParticle('8080 포트', '으로/로')).toBe('8080 포트로');
    expect(withParticle('파일', '으로/로')).toBe('파일로');
    expect(withParticle('Deployment', '이/가')).toBe('Deployment가');
    expect(withParticle('StatefulSet', '이/가')).toBe('StatefulSet이');
    expect(withParticle('Job', '은/는')).toBe('Job은');
    expect(withParticle('DaemonSet', '과/와')).toBe('DaemonSet과');
  });
});

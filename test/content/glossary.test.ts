/**
 * docs/korean-style.md's glossary, enforced: the variants it rejects do not appear in any
 * Korean text crashlab ships (code spans, quoted logs and commands aside).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { koreanSourceTexts, koreanTexts } from '../fakes/texts.js';

/** [rejected variant, what the style sheet uses instead]. */
export const REJECTED: [RegExp, string][] = [
  [/(?<![A-Za-z])probe(?![A-Za-z])/, '프로브 (liveness 프로브)'],
  [/(?<!crashlab )(?<![A-Za-z-])verify(?![A-Za-z])/, '검증 (the command stays `crashlab verify`)'],
  [/exit code/, '종료 코드'],
  [/(?<![A-Za-z])back-?off(?![A-Za-z])/, '백오프 (BackOff/CrashLoopBackOff stay as Kubernetes prints them)'],
  [/한도/, 'limit'],
  [/재시작 카운트/, '재시작 횟수'],
  [/크래시루프/, '크래시 루프'],
  [/부팅|기동/, '시작'],
  [/환경변수/, '환경 변수'],
  [/낡은/, '남은 (stale)'],
  [/기어가|기어갑/, '아주 느리게 진행'],
  [/듣기|듣고|듣는|듣습니다/, '대기하다, 요청을 받다 (listen)'],
  [/exit \d+ ?합니다/, '종료 코드 1로 끝납니다 (exit N 합니다)'],
  [/건강한/, '정상'],
  [/시간 창/, '안정성 확인 구간'],
  [/가드/, '유지해야 할 조건'],
  [/결정적/, '항상 같은 (deterministic)'],
];

/** What may stay English or as printed: code spans, quotes, commands. */
function prose(text: string): string {
  return text
    .replace(/`[^`]*`/g, ' ')
    .replace(/"[^"]*"|“[^”]*”/g, ' ')
    .replace(/crashlab [a-z-]+|\bverify <id>/g, ' ');
}

describe('the Korean glossary', () => {
  it('no Korean text uses a rejected variant', () => {
    const found: string[] = [];
    for (const [where, text] of [...koreanTexts(), ...koreanSourceTexts()]) {
      for (const [pattern, instead] of REJECTED) {
        const hit = pattern.exec(prose(text));
        if (hit) found.push(`${where}: "${hit[0]}" → ${instead}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('sentences are 합니다체: no 한다체 (…없다.) and no 해요체 (…해요.)', () => {
    const plain = /[가-힣](?<!니)다\.(?=\s|$)|[가-힣](어요|해요|예요|에요|아요)[.?!]/;
    expect(plain.test('로그가 없다. 다시 본다.')).toBe(true);
    expect(plain.test('로그가 없어요.')).toBe(true);
    expect(plain.test('로그가 없습니다. 다시 보세요.')).toBe(false);
    const found = [...koreanTexts(), ...koreanSourceTexts()].filter(([, text]) => plain.test(prose(text))).map(([where, text]) => `${where}: ${plain.exec(prose(text))?.[0]}`);
    expect(found).toEqual([]);
  });

  it('the style sheet lists every rejected variant', () => {
    const sheet = readFileSync(new URL('../../docs/korean-style.md', import.meta.url), 'utf8');
    for (const [, instead] of REJECTED) expect(sheet).toContain(instead.split(' (')[0]);
  });
});

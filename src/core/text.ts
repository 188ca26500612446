/** Learner-facing text exists in every supported language. */
export const LANGS = ['en', 'ko'] as const;
export type Lang = (typeof LANGS)[number];

export interface Text {
  en: string;
  ko: string;
}

export function pick(text: Text, lang: Lang): string {
  return text[lang] || text.en;
}

/** `text` in `lang` with each `{name}` filled from `vars` (an unknown name stays as written). */
export function pickFilled(text: Text, lang: Lang, vars: Record<string, string | number> = {}): string {
  return pick(text, lang).replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** LANG=ko_KR.UTF-8 → ko; anything else → en. An explicit flag wins. */
export function langFromEnv(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  const raw = (flag ?? env.CRASHLAB_LANG ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '').toLowerCase();
  return raw.startsWith('ko') ? 'ko' : 'en';
}

/** A learner-facing string that is either already in every language or one fixed string (names, kubectl's words). */
export type Words = string | Text;

export function asText(words: Words): Text {
  return typeof words === 'string' ? { en: words, ko: words } : words;
}

/**
 * Errors thrown below the clients (engine, adapters) keep `message`/`hint` in English for logs
 * and --json, and may carry `words` in every language; a client shows them with errorWords().
 */
export interface ErrorWords {
  message: Text;
  hint?: Text;
}

export function errorWords(error: unknown, lang: Lang): { message: string; hint?: string } {
  const words = (error as { words?: ErrorWords } | undefined)?.words;
  const hint = (error as { hint?: unknown } | undefined)?.hint;
  if (words) return { message: pick(words.message, lang), hint: words.hint ? pick(words.hint, lang) : typeof hint === 'string' ? hint : undefined };
  if (error instanceof Error) return { message: error.message, hint: typeof hint === 'string' ? hint : undefined };
  return { message: String(error) };
}

export type Difficulty = 'easy' | 'medium' | 'hard';

/** A scenario's difficulty as the lab and `crashlab list` name it. */
export const DIFFICULTY_WORDS: Record<Difficulty, Text> = {
  easy: { en: 'easy', ko: '쉬움' },
  medium: { en: 'medium', ko: '보통' },
  hard: { en: 'hard', ko: '어려움' },
};

/**
 * Korean particles that depend on whether the word before ends in a consonant (받침):
 * 이/가, 을/를, 은/는, 과/와, 으로/로. Exact for Hangul, numbers and the Kubernetes kinds the
 * lab names; other Latin words (pod names, paths) cannot be read reliably ("checkout" ends
 * in a consonant sound, "report" does not), so text puts a Korean noun after them instead
 * ("${name} 파드가") — see docs/korean-style.md.
 */
export type Particle = '이/가' | '을/를' | '은/는' | '과/와' | '으로/로';

const DIGIT_ENDS_IN_CONSONANT = [true, true, false, true, false, false, true, true, true, false]; // 영 일 이 삼 사 오 육 칠 팔 구
const RIEUL_DIGITS = new Set(['1', '7', '8']); // 일 칠 팔: ㄹ takes 로, not 으로
const KIND_ENDS_IN_CONSONANT: Record<string, boolean> = { Deployment: false, StatefulSet: true, DaemonSet: true, Job: true, ReplicaSet: true, Pod: false, CronJob: true, Service: false, Secret: false, ConfigMap: true };

export function withParticle(word: string, particle: Particle): string {
  const [withConsonant, withVowel] = particle.split('/') as [string, string];
  const last = word.trim().at(-1) ?? '';
  let consonant: boolean;
  let rieul = false;
  const code = last.charCodeAt(0) - 0xac00;
  if (code >= 0 && code < 11172) {
    const tail = code % 28;
    consonant = tail !== 0;
    rieul = tail === 8;
  } else if (/\d/.test(last)) {
    // 10, 100, 1000, 10000 read 십, 백, 천, 만: all end in a consonant.
    const zeros = /0+$/.exec(word)?.[0].length ?? 0;
    consonant = zeros === 0 ? DIGIT_ENDS_IN_CONSONANT[Number(last)] : true;
    rieul = zeros === 0 && RIEUL_DIGITS.has(last);
  } else {
    consonant = KIND_ENDS_IN_CONSONANT[word.trim()] ?? /(l|m|n|ng)$/i.test(word.trim());
    rieul = /l$/i.test(word.trim());
  }
  if (particle === '으로/로') return word + (consonant && !rieul ? '으로' : '로');
  return word + (consonant ? withConsonant : withVowel);
}

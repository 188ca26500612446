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

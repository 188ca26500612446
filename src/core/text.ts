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

/** Every Korean text crashlab ships, with where it comes from (for the English and glossary checks). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { CATEGORIES } from '../../src/core/categories.js';
import { routineSteps } from '../../src/core/routine.js';
import { STRINGS } from '../../src/tui/i18n.js';
import { WORDS } from '../../src/cli/words.js';

export const root = new URL('../../', import.meta.url).pathname;

/** Every `ko` string inside a parsed YAML/JSON value, with where it is. */
function koStrings(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (Array.isArray(value)) value.forEach((v, i) => koStrings(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'ko' && typeof v === 'string') out.push([path, v]);
      else koStrings(v, `${path}.${key}`, out);
    }
  }
  return out;
}

/** The learner-facing Korean data and tables: scenarios, signatures, categories, routine, lab and CLI words. */
export function koreanTexts(): [string, string][] {
  const texts: [string, string][] = [];
  for (const id of readdirSync(join(root, 'scenarios'))) {
    texts.push(...koStrings(yaml.load(readFileSync(join(root, 'scenarios', id, 'scenario.yaml'), 'utf8')), `scenarios/${id}`));
  }
  texts.push(...koStrings(JSON.parse(readFileSync(join(root, 'src/core/diagnose/signatures.json'), 'utf8')), 'signatures.json'));
  texts.push(...koStrings(CATEGORIES, 'categories'));
  texts.push(...koStrings(routineSteps({ pod: 'web-1', namespace: 'ns', container: 'app' } as never), 'routine'));
  texts.push(...Object.entries(STRINGS).map(([key, text]): [string, string] => [`tui ${key}`, text.ko]));
  texts.push(...Object.entries(WORDS).map(([key, text]): [string, string] => [`cli ${key}`, text.ko]));
  return texts;
}

const HANGUL = /[가-힣]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : /\.(ts|tsx)$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/**
 * Korean string literals in the source (the verdicts, diagnoses and messages built in code),
 * `${...}` left out, plus the Korean paragraphs of the solutions' READMEs.
 */
export function koreanSourceTexts(): [string, string][] {
  const texts: [string, string][] = [];
  for (const file of sourceFiles('src')) {
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        // Interpolations out first, innermost first (they nest: `${a ? `${b}` : ''}`).
        let bare = line;
        while (/\$\{[^{}]*\}/.test(bare)) bare = bare.replace(/\$\{[^{}]*\}/g, ' ');
        for (const m of bare.matchAll(/(['`])((?:\\.|(?!\1).)*)\1/g)) if (HANGUL.test(m[2])) texts.push([`${file}:${i + 1}`, m[2]]);
      });
  }
  for (const id of readdirSync(join(root, 'solutions'))) {
    let text: string;
    try {
      text = readFileSync(join(root, 'solutions', id, 'README.md'), 'utf8');
    } catch {
      continue;
    }
    text.split(/\n\s*\n/).forEach((paragraph, i) => HANGUL.test(paragraph) && texts.push([`solutions/${id}/README.md ¶${i + 1}`, paragraph]));
  }
  return texts;
}

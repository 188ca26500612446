/** `crashlab scenario new` and the JSON Schema it points editors at. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem, loadCatalog } from '../../../../src/adapters/scenarios.js';
import type { Io } from '../../../../src/cli/io.js';
import { main } from '../../../../src/cli/main.js';
import { scenarioJsonSchema } from '../../../../src/core/scenarioJsonSchema.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const io = { stdout: new PassThrough().on('data', (c) => (out += String(c))), stderr: new PassThrough().on('data', (c) => (err += String(c))), stdin: new PassThrough(), env: { NO_COLOR: '1' } } as unknown as Io;
  const code = await main(argv, io, {});
  return { code, stdout: out, stderr: err };
}

describe('crashlab scenario new', () => {
  it('writes a complete skeleton whose placeholders fail validation until filled in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlab-new-'));
    temps.push(dir);
    const made = await run(['scenario', 'new', 'acme-ledger', '--category', 'missing-config', '--dir', dir]);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain(`wrote ${dir}/scenarios/acme-ledger/scenario.yaml`);
    const yamlText = readFileSync(join(dir, 'scenarios/acme-ledger/scenario.yaml'), 'utf8');
    expect(yamlText.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*\/dist\/scenario\.schema\.json$/);
    const catalog = await loadCatalog(dir);
    const problems = catalog.problems.map(formatProblem).join('\n');
    expect(catalog.scenarios).toEqual([]);
    for (const p of ['title.en: is still a placeholder (TODO)', 'hints.2.ko: is still a placeholder (TODO)', 'expect.previousLog: is still a placeholder', 'solutions/acme-ledger/manifest.yaml: is identical to the broken manifest', 'solutions/acme-ledger/README.md: is still a placeholder']) {
      expect(problems).toContain(p);
    }
    const again = await run(['scenario', 'new', 'acme-ledger', '--category', 'missing-config', '--dir', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('not overwriting');
  });

  it('refuses an unknown category and an id that is not a DNS label', async () => {
    expect((await run(['scenario', 'new', 'x', '--category', 'cosmic-rays'])).stderr).toMatch(/"cosmic-rays" is not a category\n  One of: app-exception, /);
    expect((await run(['scenario', 'new', 'Acme_X', '--category', 'oom-killed'])).stderr).toContain('"Acme_X" is not a valid scenario id');
  });
});

describe('the JSON Schema of scenario.yaml', () => {
  it('is generated from the zod schema: required fields, enums, and the regular-expression fields say so', () => {
    const schema = scenarioJsonSchema() as Record<string, any>;
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'category', 'images', 'hints', 'expect', 'verify']));
    expect(schema.properties.category.enum).toContain('oom-killed');
    expect(schema.properties.expect.properties.previousLog.description).toMatch(/^The previous container log must match\. A JavaScript regular expression/);
    expect(schema.properties.guards.items.anyOf ?? schema.properties.guards.items.oneOf).toHaveLength(7);
    expect(schema.properties.shared.description).toContain('default false');
  });
});

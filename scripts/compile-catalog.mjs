#!/usr/bin/env node
// Build step (npm run build): validates scenarios/ and solutions/ with the same loader as
// `crashlab validate` and writes dist/catalog.json and dist/catalog-manifests.json, what commands
// read at run time (src/adapters/scenarios.ts).
// Generic: it stores whatever the scenario schema produced, so new optional fields need no
// change here. Invalid scenarios are kept as problems (list shows them, validate explains).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadCatalog, writeCompiledCatalog, fingerprint } = await import('../dist/adapters/scenarios.js');
const sources = await fingerprint(root);
const catalog = await loadCatalog(root);
writeCompiledCatalog(root, catalog, sources);
const problems = catalog.problems.length ? `, ${catalog.problems.length} problem(s): run crashlab validate` : '';
console.log(`dist/catalog.json: ${catalog.scenarios.length} scenario(s)${problems}`);

// The JSON Schema of scenario.yaml, generated from the zod schema; scaffolded YAML points at it.
const { scenarioJsonSchema } = await import('../dist/core/scenarioJsonSchema.js');
writeFileSync(join(root, 'dist', 'scenario.schema.json'), `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);

/**
 * `crashlab images [--load]`: the images every scenario (built-in and --scenarios packs) runs,
 * as declared in scenario.yaml and checked against the manifests by validate; a workshop
 * pre-loads them for an offline room. `--load` loads them into crashlab's kind cluster.
 */
import type { Command } from 'commander';
import { readCatalogAndProgress } from '../../app/readOnly.js';
import { openLab } from '../app.js';
import { eprintln, printJson, println } from '../io.js';
import type { CommandEnv } from '../env.js';
import { guarded } from '../errors.js';

export function register(program: Command, env: CommandEnv): void {
  program
    .command('images')
    .description('the images the scenarios run (for pre-loading an offline room); --load loads them into the kind cluster')
    .option('--load', 'load them into the kind cluster "crashlab" (kind load docker-image; each must be pulled into Docker first)')
    .option('--json', 'machine-readable output')
    .action((opts: { load?: boolean; json?: boolean }) =>
      guarded(async () => {
        const { scenarioDirs } = env.globals();
        const { catalog } = await readCatalogAndProgress({ env: env.io.env, scenarioDirs, ...env.deps });
        const usedBy = new Map<string, string[]>();
        for (const s of catalog.scenarios) for (const image of s.images) usedBy.set(image, [...(usedBy.get(image) ?? []), s.id]);
        const images = [...usedBy.keys()].sort();
        if (!opts.load) {
          if (opts.json) return printJson(env.io, { images: images.map((image) => ({ image, scenarios: usedBy.get(image) })) });
          for (const image of images) println(env.io, `${image}  (${usedBy.get(image)!.join(', ')})`);
          if (images.length) println(env.io, `\nPre-load for an offline room: docker pull each, then \`crashlab images --load\` (kind load docker-image).`);
          return;
        }
        const { loaded } = await openLab(env, 'machine').loadImages(images, (line) => (opts.json ? undefined : eprintln(env.io, line)));
        if (opts.json) return printJson(env.io, { loaded });
        println(env.io, `Loaded ${loaded.length} image(s) into the kind cluster.`);
      }),
    );
}

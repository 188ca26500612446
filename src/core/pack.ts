/**
 * A scenario pack's pack.yaml: who made it and, optionally, the order a workshop walks its
 * scenarios in. Pure; adapters/packs.ts reads the file. The file is optional: a folder with
 * scenarios/<id>/ and solutions/<id>/ is a pack by itself.
 */
import { z } from 'zod';

export const packSchema = z
  .object({
    /** Shown next to each of the pack's scenarios (list, show). */
    name: z.string().min(1),
    version: z.string().min(1).optional(),
    description: z.string().min(1).optional(),
    /** The learner languages the pack's text is written in (every scenario has en and ko). */
    languages: z.array(z.enum(['en', 'ko'])).optional(),
    /** Scenario ids in the order a curriculum takes them; each must be one of the pack's. */
    path: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type PackManifest = z.infer<typeof packSchema>;

export function parsePack(raw: unknown): { ok: true; pack: PackManifest } | { ok: false; problems: { path: string; message: string }[] } {
  const result = packSchema.safeParse(raw ?? {});
  if (result.success) return { ok: true, pack: result.data };
  return { ok: false, problems: result.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(top level)', message: i.message })) };
}

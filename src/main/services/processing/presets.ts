import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { StudioError } from '../../../shared/errors';

/** A processing preset as stored in resources/presets/<id>.json. */
export const Preset = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    description: z.string(),
    /** Null: leave the loudness as it is. */
    loudness: z
      .object({
        targetLufs: z.number().min(-40).max(-5),
        truePeakDbtp: z.number().min(-10).max(0),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type Preset = z.infer<typeof Preset>;

/**
 * resources/ beside the packaged app (electron-builder extraResources), or in the checkout when
 * running from source; STUDIO_RESOURCES_DIR overrides both.
 */
export function resourcesDir(): string {
  const candidates = [process.env.STUDIO_RESOURCES_DIR];
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(join(resourcesPath, 'resources'));
  for (
    let dir = dirname(fileURLToPath(import.meta.url));
    dir !== dirname(dir);
    dir = dirname(dir)
  ) {
    if (existsSync(join(dir, 'package.json'))) {
      candidates.push(join(dir, 'resources'));
      break;
    }
  }
  const found = candidates.find((dir) => dir && existsSync(join(dir, 'presets')));
  if (!found)
    throw new StudioError('internal', 'The presets folder (resources/presets) is missing.');
  return found;
}

export function loadPresets(): Preset[] {
  const dir = join(resourcesDir(), 'presets');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const parsed = Preset.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      if (!parsed.success)
        throw new StudioError(
          'internal',
          `Preset ${name} is invalid: ${parsed.error.issues[0]?.message}`,
        );
      return parsed.data;
    });
}

export function presetById(id: string): Preset {
  const preset = loadPresets().find((p) => p.id === id);
  if (!preset) {
    const known = loadPresets()
      .map((p) => p.id)
      .join(', ');
    throw new StudioError('invalid_input', `There is no preset “${id}”. Known presets: ${known}.`);
  }
  return preset;
}

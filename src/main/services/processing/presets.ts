import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { StudioError } from '../../../shared/errors';
import { ProcessingSettings } from '../../../shared/processing';

/** A processing preset as stored in resources/presets/<id>.json. */
export const Preset = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    description: z.string(),
    settings: ProcessingSettings,
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

/** Changes to a preset's settings from the CLI's flags or the UI; what is left out stays. */
export interface SettingsOverrides {
  targetLufs?: number;
  truePeakDbtp?: number;
  highPass?: boolean;
  humRemoval?: boolean;
  denoise?: ProcessingSettings['denoise']['method'];
  denoiseStrength?: number;
  deEsser?: boolean;
  leveler?: boolean;
  trimSilence?: boolean;
  maxPauseSeconds?: number;
}

export function withOverrides(
  settings: ProcessingSettings,
  overrides: SettingsOverrides,
): ProcessingSettings {
  const loudness =
    overrides.targetLufs !== undefined || overrides.truePeakDbtp !== undefined
      ? {
          targetLufs: overrides.targetLufs ?? settings.loudness?.targetLufs ?? -16,
          truePeakDbtp: overrides.truePeakDbtp ?? settings.loudness?.truePeakDbtp ?? -1,
        }
      : settings.loudness;
  const parsed = ProcessingSettings.safeParse({
    highPass: overrides.highPass ?? settings.highPass,
    humRemoval: overrides.humRemoval ?? settings.humRemoval,
    denoise: {
      method: overrides.denoise ?? settings.denoise.method,
      strength: overrides.denoiseStrength ?? settings.denoise.strength,
    },
    deEsser: overrides.deEsser ?? settings.deEsser,
    leveler: overrides.leveler ?? settings.leveler,
    trimSilence: {
      enabled: overrides.trimSilence ?? settings.trimSilence.enabled,
      maxPauseSeconds: overrides.maxPauseSeconds ?? settings.trimSilence.maxPauseSeconds,
    },
    loudness,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError(
      'invalid_input',
      `Invalid processing setting ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

import type {
  EpisodeProcessing,
  Job,
  ProcessingPreset,
  ProcessingReportValue,
  Track,
} from '../../shared/domain';
import { denoiseMethodNames, type ProcessingSettings } from '../../shared/processing';

/** Processing logic the UI runs, kept apart from React and the client so it can be tested. */

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every((key) =>
      sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}

/** True when the settings differ from the preset they started from. */
export function changedFromPreset(
  processing: EpisodeProcessing,
  presets: readonly ProcessingPreset[],
): boolean {
  const preset = presets.find((p) => p.id === processing.presetId);
  return preset !== undefined && !sameValue(preset.settings, processing.settings);
}

/** Switching preset takes all of its settings; the output format is the episode's own choice. */
export function applyPreset(
  processing: EpisodeProcessing,
  preset: ProcessingPreset,
): EpisodeProcessing {
  return { ...processing, presetId: preset.id, settings: preset.settings };
}

/** Loudness turned back on: the preset's target if it has one, else Apple's. */
export function loudnessWhenEnabled(
  processing: EpisodeProcessing,
  presets: readonly ProcessingPreset[],
): NonNullable<ProcessingSettings['loudness']> {
  const preset = presets.find((p) => p.id === processing.presetId);
  return preset?.settings.loudness ?? { targetLufs: -16, truePeakDbtp: -1 };
}

/** The settings in a few words, for the folded panel: the steps that are on, target, format. */
export function describeProcessing({ settings, format }: EpisodeProcessing): string[] {
  const { denoise, trimSilence, loudness } = settings;
  return [
    settings.highPass && 'Rumble filter',
    settings.humRemoval && 'Hum removal',
    denoise.method !== 'off' &&
      `Noise reduction (${denoiseMethodNames[denoise.method]}, ${Math.round(denoise.strength * 100)}%)`,
    settings.deEsser && 'De-esser',
    settings.leveler && 'Leveler',
    trimSilence.enabled && `Pauses up to ${trimSilence.maxPauseSeconds} s`,
    loudness
      ? `${loudness.targetLufs} LUFS, peaks ≤ ${loudness.truePeakDbtp} dBTP`
      : 'Loudness unchanged',
    format.toUpperCase(),
  ].filter((part): part is string => Boolean(part));
}

export type TrackProcessingStatus =
  | { kind: 'none' }
  | { kind: 'active'; job: Job }
  | { kind: 'failed'; job: Job }
  | { kind: 'done' };

/**
 * Where a track's processing stands: a queued or running job wins; a failure shows until a newer
 * processed version exists; otherwise the processed version, if any.
 */
export function trackProcessingStatus(track: Track, jobs: readonly Job[]): TrackProcessingStatus {
  const latest = jobs
    .filter((job) => job.kind === 'process' && job.trackId === track.id)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (latest && (latest.status === 'queued' || latest.status === 'running'))
    return { kind: 'active', job: latest };
  const processedAt = track.processed?.asset.createdAt ?? '';
  if (latest && (latest.status === 'failed' || latest.status === 'interrupted'))
    if (latest.updatedAt > processedAt) return { kind: 'failed', job: latest };
  return track.processed ? { kind: 'done' } : { kind: 'none' };
}

function lufs(value: number | null): string {
  return value === null ? 'silent' : `${value.toFixed(1)} LUFS`;
}
function dbtp(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(1)} dBTP`;
}
function seconds(value: number): string {
  return `${value.toFixed(1)} s`;
}

/** The before/after table of a report. */
export function reportRows(
  report: ProcessingReportValue,
): { label: string; before: string; after: string }[] {
  return [
    {
      label: 'Integrated loudness',
      before: lufs(report.before.integratedLufs),
      after: lufs(report.after.integratedLufs),
    },
    {
      label: 'True peak',
      before: dbtp(report.before.truePeakDbtp),
      after: dbtp(report.after.truePeakDbtp),
    },
    {
      label: 'Loudness range',
      before: `${report.before.lra.toFixed(1)} LU`,
      after: `${report.after.lra.toFixed(1)} LU`,
    },
    {
      label: 'Duration',
      before: seconds(report.durationSeconds.before),
      after: seconds(report.durationSeconds.after),
    },
  ];
}

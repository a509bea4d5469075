import { denoiseMethodNames, type Levels, type ProcessingReport } from './processing';

function levels(l: Levels): string {
  const lufs = l.integratedLufs === null ? 'silent' : `${l.integratedLufs} LUFS`;
  const peak = l.truePeakDbtp === null ? '' : `, peaks at ${l.truePeakDbtp} dBTP`;
  return `${lufs}${peak}, loudness range ${l.lra} LU`;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value}`;
}

/** A processing report in plain sentences, for the CLI and the report panel alike. */
export function summarizeReport(report: ProcessingReport): string[] {
  const { settings } = report;
  const steps = [
    settings.highPass && 'rumble filter',
    report.humHz && `${report.humHz} Hz hum removal`,
    settings.denoise.method !== 'off' &&
      `noise reduction (${denoiseMethodNames[settings.denoise.method]}, ${Math.round(settings.denoise.strength * 100)}%)`,
    settings.deEsser && 'de-esser',
    settings.leveler && 'leveler',
    settings.trimSilence.enabled && `pauses shortened to ${settings.trimSilence.maxPauseSeconds} s`,
  ].filter((s): s is string => Boolean(s));
  const lines = [
    `Before: ${levels(report.before)}.`,
    `After: ${levels(report.after)}.`,
    settings.loudness
      ? `Target: ${settings.loudness.targetLufs} LUFS, true peak at most ${settings.loudness.truePeakDbtp} dBTP; gain ${signed(report.gainDb)} dB${report.passes > 1 ? ` (${report.passes} passes)` : ''}.`
      : 'Loudness left as it was.',
    steps.length ? `Steps: ${steps.join(', ')}.` : 'No cleanup steps.',
  ];
  if (report.noiseFloorDbfs !== null)
    lines.push(`Noise floor of the input: ${report.noiseFloorDbfs} dBFS.`);
  if (report.silenceRemovedSeconds > 0)
    lines.push(
      `Pauses shortened: ${report.silenceRemovedSeconds} s removed (${report.durationSeconds.before} s → ${report.durationSeconds.after} s).`,
    );
  lines.push(...report.notes);
  const total = Object.values(report.timingsMs).reduce((a, b) => a + b, 0);
  lines.push(`Took ${(total / 1000).toFixed(1)} s.`);
  return lines;
}

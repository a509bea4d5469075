import { useEffect, useId, useRef, useState } from 'react';
import type { ProcessingReportValue, Track } from '../../../shared/domain';
import { summarizeReport } from '../../../shared/processing-summary';
import { client } from '../../client';
import { reportRows, trackProcessingStatus } from '../../state/processing';
import { type ListeningTo, useStudio } from '../../state/store';

/** The Process button of a track row: runs the episode's settings on this track. */
export function ProcessTrackButton({ track }: { track: Track }) {
  const { jobs, runProcessing } = useStudio();
  const status = trackProcessingStatus(track, jobs);
  return (
    <button
      type="button"
      className="process-track"
      aria-label={track.processed ? `Process ${track.name} again` : `Process ${track.name}`}
      disabled={!track.asset || status.kind === 'active'}
      onClick={() => void runProcessing([track.id])}
    >
      {track.processed ? 'Process again' : 'Process'}
    </button>
  );
}

/**
 * Under a track's waveform: the A/B switch (original or processed, at the same position), the
 * running job with its progress and cancel, the last failure, or the result and its report.
 */
export function TrackProcessing({ track }: { track: Track }) {
  const { jobs, listening, setListening, notify } = useStudio();
  const status = trackProcessingStatus(track, jobs);
  const [reportOpen, setReportOpen] = useState(false);
  const reportId = useId();
  // A run that finishes while the row is on screen opens its report: that is what was asked for.
  const wasRunning = useRef(false);
  useEffect(() => {
    if (status.kind === 'active') wasRunning.current = true;
    else if (status.kind === 'done' && wasRunning.current) {
      wasRunning.current = false;
      setReportOpen(true);
    } else if (status.kind === 'failed') wasRunning.current = false;
  }, [status.kind]);

  if (!track.processed && status.kind === 'none') return null;
  const version: ListeningTo = track.processed ? (listening[track.id] ?? 'original') : 'original';
  const processed = track.processed;

  return (
    <div className="track-processing">
      <div className="track-processing-row">
        {processed && (
          <fieldset className="ab-switch" title="Press B to switch while listening">
            <legend className="visually-hidden">Listen to {track.name}</legend>
            {(['original', 'processed'] as const).map((choice) => (
              <button
                key={choice}
                type="button"
                aria-pressed={version === choice}
                onClick={() => setListening(track.id, choice)}
              >
                {choice === 'original' ? 'A · Original' : 'B · Processed'}
              </button>
            ))}
          </fieldset>
        )}
        {status.kind === 'active' && (
          <div className="processing-progress">
            <progress
              max={1}
              value={status.job.progress ?? undefined}
              aria-label={`Processing ${track.name}`}
            />
            {/* Only the stage is announced; the percentage is the progress bar's value. */}
            <span role="status">
              {status.job.status === 'queued' ? 'Waiting to process' : status.job.stage}
            </span>
            {status.job.progress !== null && status.job.status === 'running' && (
              <span aria-hidden="true">{Math.round(status.job.progress * 100)}%</span>
            )}
            <button
              type="button"
              aria-label={`Cancel processing ${track.name}`}
              onClick={() =>
                client
                  .request('jobs.cancel', { id: status.job.id })
                  .catch((e: unknown) => notify({ kind: 'error', message: (e as Error).message }))
              }
            >
              Cancel
            </button>
          </div>
        )}
        {status.kind === 'failed' && (
          <p className="hint error processing-error">
            Processing failed: {status.job.error?.message ?? status.job.status}
          </p>
        )}
        {processed && status.kind !== 'active' && (
          <>
            <span className="processed-summary">
              Processed: {figure(processed.asset.loudness.integratedLufs, 'LUFS')} ·{' '}
              {figure(processed.asset.loudness.truePeakDbtp, 'dBTP')} ·{' '}
              {processed.asset.format.split('/')[0]?.toUpperCase()}
            </span>
            <button
              type="button"
              aria-expanded={reportOpen}
              aria-controls={reportId}
              onClick={() => setReportOpen(!reportOpen)}
            >
              {reportOpen ? 'Hide report' : 'Report'}
            </button>
          </>
        )}
      </div>
      {processed && reportOpen && <ReportView id={reportId} report={processed.report} />}
    </div>
  );
}

function figure(value: number | null, unit: string): string {
  return value === null ? `silent` : `${value.toFixed(1)} ${unit}`;
}

/** The report in plain words, with the before/after figures in a small table. */
function ReportView({ id, report }: { id: string; report: ProcessingReportValue }) {
  return (
    <section className="report" id={id} aria-label="Processing report">
      <table className="report-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Measure</span>
            </th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {reportRows(report).map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td>{row.before}</td>
              <td>{row.after}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="report-lines">
        {summarizeReport(report).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
  );
}

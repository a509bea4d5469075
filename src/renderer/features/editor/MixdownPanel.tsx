import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Asset, Job, Mixdown } from '../../../shared/domain';
import { formatDuration, samplesToSeconds } from '../../../shared/time';
import { client } from '../../client';
import { useEditor } from '../../state/editor';
import { useStudio } from '../../state/store';

/** "−16.0 LUFS" with a real minus sign; "silent" when there is no figure. */
function level(value: number | null, unit: string): string {
  if (value === null) return 'silent';
  return `${value.toFixed(1).replace('-', '−')} ${unit}`;
}

/** The episode's latest mixdown job, if any. */
function latestJob(jobs: readonly Job[], episodeId: string): Job | null {
  let latest: Job | null = null;
  for (const job of jobs) {
    if (job.kind !== 'mixdown' || job.episodeId !== episodeId) continue;
    if (!latest || job.createdAt > latest.createdAt) latest = job;
  }
  return latest;
}

/** The master's figures against the target it was mastered to, in plain words. */
function masterLine(master: NonNullable<Mixdown['master']>): string {
  const { integratedLufs, truePeakDbtp } = master.asset.loudness;
  const done = `Mastered to ${level(integratedLufs, 'LUFS')}, true peak ${level(truePeakDbtp, 'dBTP')}.`;
  const target = master.report.settings.loudness;
  if (!target) return `${done} Loudness was left as it was (no target in the settings).`;
  const aim = `The target is ${level(target.targetLufs, 'LUFS')} with peaks at most ${level(target.truePeakDbtp, 'dBTP')}`;
  if (integratedLufs === null) return `${done} ${aim}.`;
  const off = integratedLufs - target.targetLufs;
  if (Math.abs(off) <= 1) return `${done} ${aim}: on target.`;
  return `${done} ${aim}: ${Math.abs(off).toFixed(1)} LU ${off > 0 ? 'louder' : 'quieter'} than asked.`;
}

function Figures({ asset }: { asset: Asset }) {
  return (
    <dl className="mixdown-figures">
      <div className="mixdown-figure">
        <dt>Length</dt>
        <dd>{formatDuration(samplesToSeconds(asset.durationSamples), true)}</dd>
      </div>
      <div className="mixdown-figure">
        <dt>Loudness</dt>
        <dd>{level(asset.loudness.integratedLufs, 'LUFS')}</dd>
      </div>
      <div className="mixdown-figure">
        <dt>True peak</dt>
        <dd>{level(asset.loudness.truePeakDbtp, 'dBTP')}</dd>
      </div>
    </dl>
  );
}

/**
 * The hand-off from the edit to mastering: renders the episode's edit to one mixdown (and masters
 * it with the episode's processing settings), as a job, and shows the latest result.
 */
export function MixdownPanel({ episodeId }: { episodeId: string }) {
  const jobs = useStudio((s) => s.jobs);
  const notify = useStudio((s) => s.notify);
  const [mixdown, setMixdown] = useState<Mixdown | null>(null);
  const [starting, setStarting] = useState(false);
  const headingId = useId();
  const job = latestJob(jobs, episodeId);
  const active = job !== null && (job.status === 'queued' || job.status === 'running');

  // Only the latest request's answer is shown: a slow one for the episode the user just left (or
  // an older one for this episode) must not replace it.
  const loads = useRef(0);
  const load = useCallback(() => {
    const ticket = ++loads.current;
    client
      .request('mixdown.get', { episodeId })
      .then((value) => {
        if (ticket === loads.current) setMixdown(value);
      })
      .catch((error: unknown) => notify({ kind: 'error', message: (error as Error).message }));
  }, [episodeId, notify]);

  useEffect(() => {
    setMixdown(null);
    load();
    return client.on('library.changed', (change) => {
      if (change.episodeId && change.episodeId !== episodeId) return;
      if (change.scope === 'tracks' || change.scope === 'edit') load();
    });
  }, [episodeId, load]);

  // A job of this episode that finishes brings its mixdown.
  const lastStatus = useRef<string | null>(null);
  useEffect(() => {
    const status = job ? `${job.id}:${job.status}` : null;
    if (status !== lastStatus.current && job?.status === 'done') load();
    lastStatus.current = status;
  }, [job, load]);

  const start = (master: boolean) => {
    setStarting(true);
    // The Node side renders the stored edit: the last change must be in the library first.
    useEditor
      .getState()
      .saveNow()
      .then((saved) => {
        if (!saved) throw new Error('The edit could not be saved, so it was not rendered.');
        return client.request('mixdown.start', { episodeId, master });
      })
      .catch((error: unknown) => notify({ kind: 'error', message: (error as Error).message }))
      .finally(() => setStarting(false));
  };

  const cancel = (id: string) =>
    client
      .request('jobs.cancel', { id })
      .catch((error: unknown) => notify({ kind: 'error', message: (error as Error).message }));

  const failed =
    job?.status === 'failed' &&
    (!mixdown?.mixdown || job.updatedAt > mixdown.mixdown.createdAt) &&
    job.error;
  const render = mixdown?.mixdown ?? null;
  const master = mixdown?.master ?? null;

  return (
    <section className="mixdown-panel" aria-labelledby={headingId}>
      <div className="mixdown-head">
        <h3 id={headingId}>Mixdown</h3>
        <button
          type="button"
          className="primary"
          disabled={active || starting}
          onClick={() => start(true)}
        >
          Render and master
        </button>
        <button type="button" disabled={active || starting} onClick={() => start(false)}>
          Render only
        </button>
      </div>

      {active && job && (
        <div className="mixdown-progress">
          <progress max={1} value={job.progress ?? undefined} aria-label="Mixdown progress" />
          <span role="status">{job.status === 'queued' ? 'Waiting to start' : job.stage}</span>
          {job.progress !== null && job.status === 'running' && (
            <span aria-hidden="true">{Math.round(job.progress * 100)}%</span>
          )}
          <button type="button" aria-label="Cancel the mixdown" onClick={() => void cancel(job.id)}>
            Cancel
          </button>
        </div>
      )}

      {failed && <p className="hint error">The mixdown failed: {failed.message}</p>}

      {!render && !active && (
        <p className="hint">
          Renders the whole edit to one file, then masters it to the episode’s loudness target.
        </p>
      )}

      {render && (
        <>
          {mixdown?.editChangedSince && (
            <p className="mixdown-stale" role="note">
              The edit changed since this mixdown.
            </p>
          )}
          <div className="mixdown-version">
            <h4>Mixdown</h4>
            <Figures asset={render} />
            {/* biome-ignore lint/a11y/useMediaCaption: a podcast mixdown has no captions */}
            <audio
              controls
              preload="none"
              src={client.audioUrl(render.id)}
              aria-label="Play the mixdown"
            />
          </div>
          {master && (
            <div className="mixdown-version">
              <h4>Master</h4>
              <Figures asset={master.asset} />
              <p className="mixdown-summary">{masterLine(master)}</p>
              {/* biome-ignore lint/a11y/useMediaCaption: a podcast master has no captions */}
              <audio
                controls
                preload="none"
                src={client.audioUrl(master.asset.id)}
                aria-label="Play the master"
              />
            </div>
          )}
        </>
      )}
    </section>
  );
}

import {
  type AudioDevice,
  GAIN_PERCENT_MAX,
  hasOsInputControl,
  type RecorderStatus,
  type RecorderTrackStatus,
} from '../../../shared/recording';
import { MODEL_RATE } from '../../../shared/time';
import { useRecorder } from '../../state/recorder';
import { Icon } from '../../ui/Icon';
import { LevelMeter } from './LevelMeter';
import { LiveWaveform } from './LiveWaveform';
import { formatBytes, formatMarkerTime, formatTimeLeft } from './recorder-format';
import { recorderShortcuts as keys } from './recorder-keys';
import { gainUnavailableReason, sourceLabel } from './sources';
import { TakeClock } from './TakeClock';

/** Armed, recording or paused: transport, clock, a lane per track, and the take's markers. */
export function RecorderLive({ status }: { status: RecorderStatus }) {
  const devices = useRecorder((s) => s.devices);
  const countIn = useRecorder((s) => s.countIn);
  return (
    <div className="rec-live">
      <Transport status={status} counting={countIn !== null} />
      <MonitorControl status={status} />
      <ol className="rec-lanes" aria-label="Tracks">
        {status.tracks.map((track, index) => (
          <li
            // Lanes follow the armed order, which is the order of the level readings.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            key={index}
            className={`rec-lane ${track.error ? 'lost' : ''}`}
            data-testid="recorder-lane"
          >
            <div className="rec-lane-head">
              <div className="rec-lane-title">
                <span className="rec-lane-name">{track.name}</span>
                <span className="rec-lane-source">{labelOf(track.source, devices)}</span>
              </div>
              <LevelMeter index={index} name={track.name} />
              <GainControl index={index} track={track} />
              {track.error && (
                <p className="rec-lane-error" role="alert">
                  <strong>Not recording:</strong> {track.error}
                </p>
              )}
            </div>
            <LiveWaveform index={index} name={track.name} />
          </li>
        ))}
      </ol>
      <TakeMarkers status={status} />
      <p className="hint rec-shortcuts">
        Keys: <kbd>{keys.record}</kbd> record · <kbd>Space</kbd> pause/resume · <kbd>M</kbd> marker
        · <kbd>Shift</kbd>+<kbd>S</kbd> stop · <kbd>Esc</kbd> disarm or cancel the count-in
      </p>
      {countIn !== null && <CountIn seconds={countIn} />}
    </div>
  );
}

function labelOf(source: string, devices: readonly AudioDevice[]): string {
  return sourceLabel(source, devices);
}

function Transport({ status, counting }: { status: RecorderStatus; counting: boolean }) {
  const pending = useRecorder((s) => s.pending);
  const { record, pause, resume, stop, marker, disarm, cancelCountIn } = useRecorder.getState();
  const { state } = status;
  const takeOpen = state === 'recording' || state === 'paused';
  const lowOnTime = status.secondsLeft !== null && status.secondsLeft < 15 * 60;
  return (
    <div className="rec-transport" role="toolbar" aria-label="Recorder transport">
      {/* One button for record, pause and resume, so focus stays on it as the state changes. */}
      <button
        type="button"
        className={state === 'recording' ? 'rec-main' : 'rec-main rec-button'}
        // Space on this button is left to its own activation (see recorder-keys).
        data-recorder-main=""
        aria-keyshortcuts={counting ? 'Escape' : state === 'armed' ? keys.record : keys.pause}
        disabled={pending !== null}
        onClick={() => {
          if (counting) cancelCountIn();
          else if (state === 'armed') void record();
          else if (state === 'recording') void pause();
          else void resume();
        }}
      >
        <Icon name={counting ? 'stop' : state === 'recording' ? 'pause' : 'record'} />
        <span>
          {counting
            ? 'Cancel count-in'
            : state === 'armed'
              ? 'Record'
              : state === 'recording'
                ? 'Pause'
                : 'Resume'}
        </span>
      </button>
      {takeOpen && (
        <>
          <button
            type="button"
            aria-keyshortcuts={keys.stop}
            disabled={pending !== null}
            onClick={() => void stop()}
          >
            <Icon name="stop" />
            <span>{pending === 'stop' ? 'Saving…' : 'Stop'}</span>
          </button>
          <button type="button" aria-keyshortcuts={keys.marker} onClick={() => void marker()}>
            <Icon name="marker" />
            <span>Marker</span>
          </button>
        </>
      )}
      {state === 'armed' && (
        <button
          type="button"
          aria-keyshortcuts={keys.disarm}
          disabled={pending !== null || counting}
          onClick={() => void disarm()}
        >
          Disarm
        </button>
      )}
      <div className={`rec-clock ${status.state}`}>
        <TakeClock status={status} label="Take length" />
      </div>
      <dl className="rec-disk">
        <div>
          <dt>Disk free</dt>
          <dd>{status.diskFreeBytes === null ? 'unknown' : formatBytes(status.diskFreeBytes)}</dd>
        </div>
        <div className={lowOnTime ? 'low' : ''}>
          <dt>Time left</dt>
          <dd>{status.secondsLeft === null ? 'unknown' : formatTimeLeft(status.secondsLeft)}</dd>
        </div>
      </dl>
    </div>
  );
}

/** A track's OS input gain: a slider for PulseAudio/PipeWire inputs, disabled (saying why) otherwise. */
function GainControl({ index, track }: { index: number; track: RecorderTrackStatus }) {
  const draft = useRecorder((s) => s.gainDrafts[index]);
  const setGain = useRecorder((s) => s.setGain);
  const available = track.gainPercent !== null && track.error === null;
  const value = draft ?? track.gainPercent ?? 100;
  const id = `rec-gain-${index}`;
  const why = available
    ? `The input level the sound system applies to ${track.name}: 100% leaves it as it is.`
    : track.error
      ? 'This track is not recording.'
      : gainUnavailableReason(track.source);
  return (
    <div className={`rec-control rec-gain ${available ? '' : 'unavailable'}`} title={why}>
      <label htmlFor={id}>Input gain</label>
      <input
        id={id}
        type="range"
        min={0}
        max={GAIN_PERCENT_MAX}
        step={1}
        value={value}
        disabled={!available}
        title={why}
        aria-label={`${track.name} input gain`}
        aria-valuetext={available ? `${value}%` : 'not available'}
        aria-describedby={available ? undefined : `${id}-why`}
        onChange={(e) => setGain(index, Number(e.currentTarget.value))}
      />
      <output htmlFor={id}>{available ? `${value}%` : 'n/a'}</output>
      {!available && (
        <span id={`${id}-why`} className="visually-hidden">
          {why}
        </span>
      )}
    </div>
  );
}

/**
 * How loud the armed inputs play in the headphones; off (0) by default, since through speakers
 * the microphones would pick themselves up again.
 */
function MonitorControl({ status }: { status: RecorderStatus }) {
  const draft = useRecorder((s) => s.monitorDraft);
  const setMonitor = useRecorder((s) => s.setMonitor);
  // The Node side monitors PulseAudio/PipeWire inputs only; test signals and files are not played.
  const available = status.tracks.some((t) => hasOsInputControl(t.source));
  const value = available ? (draft ?? status.monitorLevel) : 0;
  const why = available
    ? 'Plays the armed inputs to the default output. Use headphones: through speakers the microphones hear themselves.'
    : 'Only sound-system inputs (PulseAudio or PipeWire) can be monitored; test signals and files are not played.';
  return (
    <div className={`rec-control rec-monitor ${available ? '' : 'unavailable'}`} title={why}>
      <label htmlFor="rec-monitor-level">Monitor (headphones)</label>
      <input
        id="rec-monitor-level"
        type="range"
        min={0}
        max={100}
        step={1}
        value={value}
        disabled={!available}
        title={why}
        aria-valuetext={!available ? 'not available' : value === 0 ? 'off' : `${value}%`}
        aria-describedby="rec-monitor-why"
        onChange={(e) => setMonitor(Number(e.currentTarget.value))}
      />
      <output htmlFor="rec-monitor-level">{value === 0 ? 'Off' : `${value}%`}</output>
      <span id="rec-monitor-why" className="visually-hidden">
        {why}
      </span>
    </div>
  );
}

function TakeMarkers({ status }: { status: RecorderStatus }) {
  const takeOpen = status.state === 'recording' || status.state === 'paused';
  if (!takeOpen && status.markers.length === 0) return null;
  return (
    <section className="rec-markers" aria-labelledby="rec-markers-heading">
      <h3 id="rec-markers-heading">Markers in this take</h3>
      {status.markers.length === 0 ? (
        <p className="hint">
          None yet. Press <kbd>M</kbd> to mark a moment to come back to.
        </p>
      ) : (
        <ol aria-live="polite" aria-relevant="additions">
          {status.markers.map((m, i) => (
            <li
              // Markers only ever grow at the end; two dropped while paused share a frame.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={`${m.frame}-${i}`}
            >
              <span className="marker-time">{formatMarkerTime(m.frame / MODEL_RATE)}</span>
              <span>{m.title || `Marker ${i + 1}`}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function CountIn({ seconds }: { seconds: number }) {
  return (
    <div className="rec-count-overlay">
      <div className="rec-count-box" role="timer" aria-live="assertive" aria-label="Count-in">
        <span className="rec-count-number">{seconds}</span>
        <span className="hint">Recording starts…</span>
      </div>
    </div>
  );
}

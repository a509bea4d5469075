import { useEffect, useId } from 'react';
import type { RecorderSettings, RecorderTrackSetup } from '../../../shared/recording';
import { useRecorder } from '../../state/recorder';
import { Icon } from '../../ui/Icon';
import { MAX_TRACKS, nameProblem, newTrack, setupIsValid, sourceGroups } from './sources';

const COUNT_IN_CHOICES = [0, 1, 2, 3, 4, 5] as const;

/** The idle recorder: which tracks to record from where, and the count-in; then Arm. */
export function RecorderSetup({ showId, episodeId }: { showId: string; episodeId: string }) {
  const setup = useRecorder((s) => s.setup);
  const devices = useRecorder((s) => s.devices);
  const devicesState = useRecorder((s) => s.devicesState);
  const devicesError = useRecorder((s) => s.devicesError);
  const pending = useRecorder((s) => s.pending);
  const savingTakes = useRecorder((s) => s.savingTakes);
  const notice = useRecorder((s) => s.notice);
  const lastTake = useRecorder((s) => s.lastTake);
  const { loadSetup, loadDevices, changeSetup, arm } = useRecorder.getState();
  const countInId = useId();

  useEffect(() => {
    void loadSetup(showId);
  }, [showId, loadSetup]);

  if (!setup || setup.showId !== showId) return <p className="hint">Loading the setup…</p>;
  const { settings } = setup;
  const change = (next: Partial<RecorderSettings>) => changeSetup({ ...settings, ...next });
  const setTrack = (index: number, patch: Partial<RecorderTrackSetup>) =>
    change({ tracks: settings.tracks.map((t, i) => (i === index ? { ...t, ...patch } : t)) });
  const groups = sourceGroups(
    devices,
    settings.tracks.map((t) => t.source),
  );
  const valid = setupIsValid(settings);

  return (
    <div className="rec-setup">
      {/* Announced by the notices (and the panel's status line): these lines are for reading. */}
      {(savingTakes > 0 || notice || lastTake) && (
        <div className="rec-outcome" data-testid="recorder-outcome">
          {savingTakes > 0 && (
            <p className="rec-outcome-saving">
              Saving the take… You can set up and arm the next one meanwhile.
            </p>
          )}
          {notice && <p className={notice.kind === 'error' ? 'error' : ''}>{notice.message}</p>}
          {lastTake && savingTakes === 0 && <p>{lastTake.message}</p>}
        </div>
      )}
      {devicesState === 'ready' && devices.length === 0 && (
        <div className="rec-empty" role="note">
          <p>
            <strong>No microphones or system audio found.</strong> Connect a microphone (it shows up
            here by itself), or pick a test signal to check the recording chain.
          </p>
          <button type="button" onClick={() => void loadDevices()}>
            Refresh devices
          </button>
        </div>
      )}
      {devicesState === 'error' && (
        <div className="rec-empty" role="note">
          <p>
            <strong>Audio devices could not be listed.</strong> {devicesError} Test signals still
            work.
          </p>
          <button type="button" onClick={() => void loadDevices()}>
            Try again
          </button>
        </div>
      )}

      <fieldset className="rec-tracks">
        <legend>Tracks</legend>
        {settings.tracks.length === 0 && <p className="hint">Add a track to record.</p>}
        <ol>
          {settings.tracks.map((track, index) => (
            <SetupRow
              // Rows are positional: the setup has no ids, and names change while typing.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={index}
              index={index}
              track={track}
              groups={groups}
              problem={nameProblem(settings.tracks, index)}
              onChange={(patch) => setTrack(index, patch)}
              onRemove={() => change({ tracks: settings.tracks.filter((_, i) => i !== index) })}
            />
          ))}
        </ol>
        <div className="rec-setup-actions">
          <button
            type="button"
            disabled={settings.tracks.length >= MAX_TRACKS}
            title={settings.tracks.length >= MAX_TRACKS ? `At most ${MAX_TRACKS} tracks` : ''}
            onClick={() =>
              change({ tracks: [...settings.tracks, newTrack(settings.tracks, devices)] })
            }
          >
            <Icon name="add" />
            <span>Add track</span>
          </button>
          {devicesState === 'loading' && <span className="hint">Looking for devices…</span>}
          {devicesState === 'ready' && devices.length > 0 && (
            <button type="button" className="link-button" onClick={() => void loadDevices()}>
              Refresh devices
            </button>
          )}
        </div>
      </fieldset>

      <div className="rec-setup-footer">
        <div className="field rec-count-in">
          <label htmlFor={countInId}>Count-in</label>
          <select
            id={countInId}
            value={settings.countInSec}
            onChange={(e) => change({ countInSec: Number(e.target.value) })}
          >
            {COUNT_IN_CHOICES.map((sec) => (
              <option key={sec} value={sec}>
                {sec === 0 ? 'Off' : `${sec} s`}
              </option>
            ))}
          </select>
        </div>
        <p className="hint rec-setup-note">
          Arming opens every source: the meters go live, nothing is written until you record.
        </p>
        <button
          type="button"
          className="primary rec-arm"
          disabled={!valid || pending !== null}
          onClick={() => void arm(episodeId)}
        >
          {pending === 'arm'
            ? 'Arming…'
            : `Arm ${settings.tracks.length === 1 ? 'track' : 'tracks'}`}
        </button>
      </div>
    </div>
  );
}

function SetupRow(props: {
  index: number;
  track: RecorderTrackSetup;
  groups: ReturnType<typeof sourceGroups>;
  problem: string | null;
  onChange: (patch: Partial<RecorderTrackSetup>) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const { index, track, problem } = props;
  const label = `Track ${index + 1}`;
  return (
    <li className="rec-setup-row" data-testid="recorder-track-setup">
      <span className="rec-track-number" aria-hidden="true">
        {index + 1}
      </span>
      <div className="field">
        <label htmlFor={`${id}-name`}>{label} name</label>
        <input
          id={`${id}-name`}
          value={track.name}
          maxLength={100}
          placeholder="Host, Guest, Remote…"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(e) => props.onChange({ name: e.target.value })}
        />
        {problem && (
          <span id={`${id}-problem`} className="hint error">
            {problem}
          </span>
        )}
      </div>
      <div className="field rec-source">
        <label htmlFor={`${id}-source`}>{label} source</label>
        <select
          id={`${id}-source`}
          value={track.source}
          onChange={(e) => props.onChange({ source: e.target.value })}
        >
          {props.groups.map((group) => (
            <optgroup key={group.label} label={group.label}>
              {group.options.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <button
        type="button"
        className="icon rec-remove"
        aria-label={`Remove ${track.name.trim() || label}`}
        onClick={props.onRemove}
      >
        <Icon name="trash" />
      </button>
    </li>
  );
}

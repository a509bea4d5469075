import { useId, useState } from 'react';
import {
  type EpisodeProcessing,
  type ProcessedFormat,
  processedFormats,
} from '../../../shared/domain';
import { denoiseMethodNames, type ProcessingSettings } from '../../../shared/processing';
import {
  applyPreset,
  changedFromPreset,
  describeProcessing,
  loudnessWhenEnabled,
} from '../../state/processing';
import { useStudio } from '../../state/store';
import { CheckboxField, DecimalField } from '../../ui/Fields';

const formatNames: Record<ProcessedFormat, string> = {
  flac: 'FLAC (lossless)',
  wav: 'WAV, 24-bit',
  mp3: 'MP3, 128 kbps',
  m4a: 'M4A (AAC), 128 kbps',
};

const FOLDED_KEY = 'studio.processingFolded';

const denoiseMethods = Object.keys(denoiseMethodNames) as ProcessingSettings['denoise']['method'][];

/**
 * The episode's processing settings: a preset, then each step on or off. Every change is saved to
 * the episode; each track is processed with them from its own row, or all at once from here.
 */
export function ProcessingPanel() {
  const { episode, processing, presets, changeProcessing, runProcessing, jobs } = useStudio();
  const presetId = useId();
  const formatId = useId();
  const bodyId = useId();
  // The steps take room the tracks need once they are set: let them fold away, and remember it.
  const [open, setOpen] = useState(() => localStorage.getItem(FOLDED_KEY) !== 'true');
  const toggle = () => {
    localStorage.setItem(FOLDED_KEY, String(open));
    setOpen(!open);
  };
  if (!episode || processing?.episodeId !== episode.episode.id) return null;
  const value = processing.value;
  const { settings } = value;
  const preset = presets.find((p) => p.id === value.presetId);
  const changed = changedFromPreset(value, presets);
  const change = (next: Partial<EpisodeProcessing>) => changeProcessing({ ...value, ...next });
  const setStep = (next: Partial<ProcessingSettings>) =>
    change({ settings: { ...settings, ...next } });
  const busy = new Set(
    jobs
      .filter((j) => j.kind === 'process' && (j.status === 'queued' || j.status === 'running'))
      .map((j) => j.trackId),
  );
  const ready = episode.tracks.filter((t) => t.asset && !busy.has(t.id));

  return (
    <section className="processing" aria-labelledby="processing-heading">
      <header className="processing-head">
        <h2 id="processing-heading">Processing</h2>
        <button
          type="button"
          className="fold-toggle"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={toggle}
        >
          {open ? 'Hide steps' : 'Show steps'}
        </button>
        <div className="preset-picker">
          <label htmlFor={presetId} className="preset-picker-label">
            Preset
          </label>
          <select
            id={presetId}
            value={value.presetId ?? ''}
            onChange={(e) => {
              const next = presets.find((p) => p.id === e.target.value);
              if (next) changeProcessing(applyPreset(value, next));
            }}
          >
            {!preset && <option value="">Custom</option>}
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          {changed && preset && (
            <>
              <span className="badge">Changed</span>
              <button type="button" onClick={() => changeProcessing(applyPreset(value, preset))}>
                Reset to preset
              </button>
            </>
          )}
        </div>
        <button
          type="button"
          className="primary"
          disabled={ready.length === 0}
          title={
            episode.tracks.length === 0
              ? 'Import audio first'
              : 'Process every track of this episode'
          }
          onClick={() => void runProcessing(ready.map((t) => t.id))}
        >
          {episode.tracks.length > 1 ? 'Process all tracks' : 'Process track'}
        </button>
      </header>
      {open && preset && <p className="hint preset-description">{preset.description}</p>}
      {!open && <p className="hint preset-description">{describeProcessing(value).join(' · ')}</p>}

      <div className="processing-body" id={bodyId} hidden={!open}>
        <fieldset className="steps">
          <legend>Cleanup</legend>
          <CheckboxField
            label="Rumble filter (below 80 Hz)"
            checked={settings.highPass}
            onCommit={(highPass) => setStep({ highPass })}
          />
          <CheckboxField
            label="Hum removal (50/60 Hz, when detected)"
            checked={settings.humRemoval}
            onCommit={(humRemoval) => setStep({ humRemoval })}
          />
          <fieldset className="denoise">
            <legend>Noise reduction</legend>
            <div className="segmented">
              {denoiseMethods.map((method) => (
                <label key={method} className="segment">
                  <input
                    type="radio"
                    name={`denoise-${episode.episode.id}`}
                    value={method}
                    checked={settings.denoise.method === method}
                    onChange={() => setStep({ denoise: { ...settings.denoise, method } })}
                  />
                  <span>{denoiseMethodNames[method]}</span>
                </label>
              ))}
            </div>
            <StrengthSlider
              value={settings.denoise.strength}
              disabled={settings.denoise.method === 'off'}
              onChange={(strength) => setStep({ denoise: { ...settings.denoise, strength } })}
            />
          </fieldset>
          <CheckboxField
            label="De-esser (softens harsh “s”)"
            checked={settings.deEsser}
            onCommit={(deEsser) => setStep({ deEsser })}
          />
          <CheckboxField
            label="Leveler (evens out speakers)"
            checked={settings.leveler}
            onCommit={(leveler) => setStep({ leveler })}
          />
          <div className="step-with-value">
            <CheckboxField
              label="Shorten long pauses"
              checked={settings.trimSilence.enabled}
              onCommit={(enabled) => setStep({ trimSilence: { ...settings.trimSilence, enabled } })}
            />
            <DecimalField
              label="Longest pause"
              unit="s"
              min={0.3}
              max={10}
              step={0.1}
              value={settings.trimSilence.maxPauseSeconds}
              disabled={!settings.trimSilence.enabled}
              onCommit={(maxPauseSeconds) =>
                setStep({ trimSilence: { ...settings.trimSilence, maxPauseSeconds } })
              }
            />
          </div>
        </fieldset>

        <fieldset className="steps">
          <legend>Loudness and format</legend>
          <CheckboxField
            label="Loudness to a target, with a true-peak limiter"
            checked={settings.loudness !== null}
            onCommit={(on) =>
              setStep({ loudness: on ? loudnessWhenEnabled(value, presets) : null })
            }
          />
          <div className="step-values">
            <DecimalField
              label="Target"
              unit="LUFS"
              min={-40}
              max={-5}
              step={0.5}
              value={
                settings.loudness?.targetLufs ?? loudnessWhenEnabled(value, presets).targetLufs
              }
              disabled={settings.loudness === null}
              onCommit={(targetLufs) =>
                settings.loudness && setStep({ loudness: { ...settings.loudness, targetLufs } })
              }
            />
            <DecimalField
              label="True peak at most"
              unit="dBTP"
              min={-10}
              max={0}
              step={0.1}
              value={
                settings.loudness?.truePeakDbtp ?? loudnessWhenEnabled(value, presets).truePeakDbtp
              }
              disabled={settings.loudness === null}
              onCommit={(truePeakDbtp) =>
                settings.loudness && setStep({ loudness: { ...settings.loudness, truePeakDbtp } })
              }
            />
          </div>
          <div className="field">
            <label htmlFor={formatId}>Output format</label>
            <select
              id={formatId}
              value={value.format}
              onChange={(e) => change({ format: e.target.value as ProcessedFormat })}
            >
              {processedFormats.map((format) => (
                <option key={format} value={format}>
                  {formatNames[format]}
                </option>
              ))}
            </select>
          </div>
          {episode.tracks.length === 0 && (
            <p className="hint">Import audio, then process it with these settings.</p>
          )}
        </fieldset>
      </div>
    </section>
  );
}

function StrengthSlider(props: {
  value: number;
  disabled: boolean;
  onChange: (value: number) => void;
}) {
  const id = useId();
  const percent = Math.round(props.value * 100);
  return (
    <div className="field slider">
      <label htmlFor={id}>Strength</label>
      <input
        id={id}
        type="range"
        min={0}
        max={100}
        step={5}
        value={percent}
        disabled={props.disabled}
        aria-valuetext={`${percent}%`}
        onChange={(e) => props.onChange(Number(e.target.value) / 100)}
      />
      <output htmlFor={id}>{percent}%</output>
    </div>
  );
}

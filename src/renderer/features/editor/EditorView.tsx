import { useEffect, useRef, useSyncExternalStore } from 'react';
import { canRedo, canUndo, editLength } from '../../../shared/edit';
import { useEditor } from '../../state/editor';
import { Icon } from '../../ui/Icon';
import { useAnimationFrame } from '../../ui/theme-colors';
import {
  addMarkerAtPlayhead,
  deleteSelection,
  rippleDeleteSelection,
  splitAtPlayhead,
} from './editor-commands';
import { editorShortcuts } from './editor-keys';
import { Inspector } from './Inspector';
import { MixdownPanel } from './MixdownPanel';
import { OfflineAssets } from './OfflineAssets';
import './editor.css';
import { playback } from './playback-control';
import { Timeline } from './Timeline';
import { TimelineScrollbar } from './TimelineScrollbar';
import { formatTimecode } from './timeline-geometry';

/** The timeline editor of one episode: toolbar, lanes, scrollbar, inspector and shortcut help. */
export function EditorView({ episodeId }: { episodeId: string }) {
  const status = useEditor((s) => s.status);
  const error = useEditor((s) => s.error);

  useEffect(() => {
    void useEditor.getState().open(episodeId);
    return () => {
      playback.pause();
      useEditor.getState().close();
    };
  }, [episodeId]);

  if (status === 'error') {
    return (
      <section className="editor" aria-label="Timeline editor">
        <p className="error" role="alert">
          The edit could not be opened: {error}{' '}
          <button type="button" onClick={() => void useEditor.getState().open(episodeId)}>
            Try again
          </button>
        </p>
      </section>
    );
  }
  if (status !== 'ready') {
    return (
      <section className="editor" aria-label="Timeline editor">
        <p className="hint">Opening the edit…</p>
      </section>
    );
  }
  return (
    <section className="editor" aria-label="Timeline editor" data-testid="editor">
      <Toolbar />
      <OfflineAssets />
      <Timeline />
      <TimelineScrollbar />
      <Inspector />
      <MixdownPanel episodeId={episodeId} />
      <HelpOverlay />
    </section>
  );
}

function Toolbar() {
  const history = useEditor((s) => s.history);
  const snapping = useEditor((s) => s.snapping);
  const save = useEditor((s) => s.save);
  const state = useEditor.getState;
  const playing = useSyncExternalStore(playback.subscribe, playback.playing);
  // Written straight into the DOM each frame: a React render per frame would cost the timeline.
  const clock = useRef<HTMLSpanElement>(null);
  useAnimationFrame(() => {
    const text = formatTimecode(playback.position());
    if (clock.current && clock.current.textContent !== text) clock.current.textContent = text;
  });
  const length = history ? editLength(history.present) : 0;
  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Editing tools">
      <button
        type="button"
        className="play"
        onClick={() => playback.toggle()}
        aria-label={playing ? 'Pause (Space)' : 'Play (Space)'}
        aria-keyshortcuts="Space"
      >
        <Icon name={playing ? 'pause' : 'play'} />
      </button>
      <span className="clock" role="timer" aria-label="Playhead position">
        <span ref={clock}>0:00.000</span> <span className="hint">/ {formatTimecode(length)}</span>
      </span>
      <span className="tool-group">
        <button
          type="button"
          onClick={splitAtPlayhead}
          title="Split at the playhead (S)"
          aria-keyshortcuts="S"
        >
          <Icon name="split" />
          <span>Split</span>
        </button>
        <button
          type="button"
          onClick={deleteSelection}
          title="Delete the selection (Delete)"
          aria-keyshortcuts="Delete"
        >
          <Icon name="trash" />
          <span>Delete</span>
        </button>
        <button
          type="button"
          onClick={rippleDeleteSelection}
          title="Remove the selection’s time from every track and close the gap (Shift+Delete)"
          aria-keyshortcuts="Shift+Delete"
        >
          <span>Ripple delete</span>
        </button>
        <button
          type="button"
          onClick={() => addMarkerAtPlayhead('chapter')}
          title="Add a chapter at the playhead (M)"
          aria-keyshortcuts="M"
        >
          <Icon name="marker" />
          <span>Chapter</span>
        </button>
      </span>
      <span className="tool-group">
        <button
          type="button"
          onClick={() => state().undo()}
          disabled={!history || !canUndo(history)}
          aria-label="Undo (Ctrl/⌘+Z)"
          title="Undo (Ctrl/⌘+Z)"
        >
          <Icon name="undo" />
        </button>
        <button
          type="button"
          onClick={() => state().redo()}
          disabled={!history || !canRedo(history)}
          aria-label="Redo (Shift+Z)"
          title="Redo (Shift+Z)"
        >
          <Icon name="redo" />
        </button>
      </span>
      <span className="tool-group">
        <button
          type="button"
          onClick={() => state().zoom(0.5)}
          aria-label="Zoom out (−)"
          title="Zoom out (−)"
        >
          <Icon name="zoomOut" />
        </button>
        <button
          type="button"
          onClick={() => state().zoom(2)}
          aria-label="Zoom in (+)"
          title="Zoom in (+)"
        >
          <Icon name="zoomIn" />
        </button>
        <button
          type="button"
          onClick={() => state().zoomToFit()}
          aria-label="Zoom to fit (0)"
          title="Zoom to fit (0)"
        >
          <Icon name="fit" />
        </button>
        <label
          className="snap"
          title="Snap to clip edges, markers, the playhead and silences (N; hold Alt while dragging to bypass)"
        >
          <input
            type="checkbox"
            checked={snapping}
            onChange={(e) => state().setSnapping(e.target.checked)}
          />
          Snap
        </label>
      </span>
      <span className="toolbar-end">
        <span className={`save-status ${save}`} role="status">
          {save === 'saving' ? 'Saving…' : save === 'failed' ? 'Not saved' : 'Saved'}
        </span>
        <button
          type="button"
          onClick={() => state().setHelpOpen(true)}
          aria-label="Keyboard shortcuts (?)"
          title="Keyboard shortcuts (?)"
        >
          <Icon name="help" />
        </button>
      </span>
    </div>
  );
}

function HelpOverlay() {
  const open = useEditor((s) => s.helpOpen);
  if (!open) return null;
  const groups = ['Playback', 'Edit', 'Markers', 'View'] as const;
  return (
    <div className="help-overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
      <div className="help-card">
        <header>
          <h2>Keyboard shortcuts</h2>
          <button
            type="button"
            onClick={() => useEditor.getState().setHelpOpen(false)}
            aria-label="Close"
          >
            <Icon name="close" />
          </button>
        </header>
        <div className="help-groups">
          {groups.map((group) => (
            <section key={group}>
              <h3>{group}</h3>
              <dl>
                {editorShortcuts
                  .filter((s) => s.group === group)
                  .map((s) => (
                    <div key={s.keys}>
                      <dt>
                        <kbd>{s.keys}</kbd>
                      </dt>
                      <dd>{s.does}</dd>
                    </div>
                  ))}
              </dl>
            </section>
          ))}
        </div>
        <p className="hint">
          Mouse: click a clip to select it (Shift or Ctrl/⌘ to add), drag it to move (also to
          another track), drag its edges to trim and the squares at its top to fade; drag across
          empty lane space to select a range; click or drag the ruler to move the playhead and
          scrub; Ctrl/⌘ + wheel zooms, Shift + wheel scrolls.
        </p>
      </div>
    </div>
  );
}

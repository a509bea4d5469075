import { useEffect } from 'react';
import { handleEditorKey } from './features/editor/editor-keys';
import { EpisodeView } from './features/episode/EpisodeView';
import { activePlayer, activeTrack } from './features/episode/players';
import { JobsPanel } from './features/jobs/JobsPanel';
import { EpisodeList } from './features/library/EpisodeList';
import { ShowDetails } from './features/library/ShowDetails';
import { ShowList } from './features/library/ShowList';
import { RecordingIndicator } from './features/recorder/RecordingIndicator';
import { handleRecorderKey } from './features/recorder/recorder-keys';
import { TrashPanel } from './features/trash/TrashPanel';
import { subscribeEditor, useEditor } from './state/editor';
import { subscribeToRecorder } from './state/recorder';
import { restoreSelection, storedSelection, subscribeToEvents, useStudio } from './state/store';
import { Icon } from './ui/Icon';
import { focusedElement, keyBelongsToFocus, shortcutLetter } from './ui/keys';
import { Notices } from './ui/Notices';

export function App() {
  const { panel, setPanel, theme, setTheme, jobs, episode, showsLoaded, shows, selectedShowId } =
    useStudio();
  const selectedShow = shows.find((show) => show.id === selectedShowId);
  const active = jobs.filter((j) => j.status === 'running' || j.status === 'queued').length;

  useEffect(() => {
    const off = subscribeToEvents();
    const offRecorder = subscribeToRecorder();
    const offEditor = subscribeEditor();
    // The edit of the episode the app reopens on is asked for with the lists, not after them.
    const { episodeId } = storedSelection();
    if (episodeId && useStudio.getState().episodeTab === 'edit') {
      useEditor.getState().prefetch(episodeId);
    }
    void restoreSelection();
    void useStudio.getState().loadJobs();
    void useStudio.getState().loadPresets();
    return () => {
      off();
      offRecorder();
      offEditor();
    };
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Text fields keep every key; a slider only its arrows (Space, M… stay shortcuts).
      if (keyBelongsToFocus(focusedElement(e.target), e.key)) return;
      // The recorder's keys first: while a take is open, Space pauses it instead of playing.
      if (handleRecorderKey(e)) return;
      // Then the timeline's, while it is open (its undo is the edit's, not the trash's).
      if (handleEditorKey(e)) return;
      const player = activePlayer();
      if (e.key === ' ' && player) {
        e.preventDefault();
        void player.playPause();
      } else if (e.key === 'ArrowLeft' && player) {
        player.setTime(Math.max(0, player.getCurrentTime() - 5));
      } else if (e.key === 'ArrowRight' && player) {
        player.setTime(Math.min(player.getDuration(), player.getCurrentTime() + 5));
      } else if (e.key === 'Home' && player) {
        player.setTime(0);
      } else if (shortcutLetter(e) === 'b' && !e.ctrlKey && !e.metaKey && !e.altKey) {
        // A/B: the active track switches between original and processed, at the same position.
        const trackId = activeTrack();
        const state = useStudio.getState();
        const track = state.episode?.tracks.find((t) => t.id === trackId);
        if (!track?.processed) return;
        const now = state.listening[track.id] ?? 'original';
        state.setListening(track.id, now === 'original' ? 'processed' : 'original');
      } else if ((e.ctrlKey || e.metaKey) && shortcutLetter(e) === 'z' && !e.shiftKey) {
        // Undo the most recent move to the trash.
        e.preventDefault();
        const state = useStudio.getState();
        void state.loadTrash().then(() => {
          const latest = useStudio.getState().trash[0];
          if (latest) void state.restore(latest.id);
        });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const nextTheme = theme === 'system' ? 'dark' : theme === 'dark' ? 'light' : 'system';

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Podcast Studio</span>
        <RecordingIndicator />
        <nav aria-label="Panels">
          <button
            type="button"
            aria-pressed={panel === 'jobs'}
            onClick={() => setPanel(panel === 'jobs' ? 'none' : 'jobs')}
          >
            Jobs{active > 0 ? ` (${active})` : ''}
          </button>
          <button
            type="button"
            aria-pressed={panel === 'trash'}
            onClick={() => setPanel(panel === 'trash' ? 'none' : 'trash')}
          >
            Trash
          </button>
          <button
            type="button"
            aria-label={`Theme: ${theme}. Switch to ${nextTheme}`}
            onClick={() => setTheme(nextTheme)}
          >
            <Icon name="theme" />
            <span>{theme === 'dark' ? 'Dark' : theme === 'light' ? 'Light' : 'System'}</span>
          </button>
        </nav>
      </header>
      <div className="body">
        <nav className="sidebar" aria-label="Library">
          <ShowList />
          <EpisodeList />
        </nav>
        <main className="content">
          {episode ? (
            <EpisodeView />
          ) : selectedShow ? (
            <ShowDetails show={selectedShow} />
          ) : (
            <div className="empty-state">
              {!showsLoaded ? (
                <p>Loading your library…</p>
              ) : shows.length === 0 ? (
                <>
                  <p className="empty-title">Welcome to Podcast Studio</p>
                  <p>Create a show on the left, add an episode, then drop your recordings in.</p>
                </>
              ) : (
                <p className="empty-title">Pick a show</p>
              )}
            </div>
          )}
        </main>
        {panel === 'jobs' && <JobsPanel />}
        {panel === 'trash' && <TrashPanel />}
      </div>
      <Notices />
    </div>
  );
}

import type WaveSurfer from 'wavesurfer.js';

/**
 * The track players on screen, so keyboard shortcuts act on the active one (the last one played or
 * clicked, else the first).
 */
const players = new Map<string, WaveSurfer>();
let activeId: string | null = null;

export function registerPlayer(trackId: string, player: WaveSurfer): () => void {
  players.set(trackId, player);
  return () => {
    if (players.get(trackId) === player) players.delete(trackId);
    if (activeId === trackId) activeId = null;
  };
}

export function setActivePlayer(trackId: string): void {
  activeId = trackId;
  for (const [id, player] of players) if (id !== trackId && player.isPlaying()) player.pause();
}

export function activePlayer(): WaveSurfer | null {
  const id = activeTrack();
  return id === null ? null : (players.get(id) ?? null);
}

/** The id of the track the keyboard acts on, or null when no player is on screen. */
export function activeTrack(): string | null {
  if (activeId && players.has(activeId)) return activeId;
  const first = players.keys().next();
  if (first.done) return null;
  activeId = first.value;
  return activeId;
}

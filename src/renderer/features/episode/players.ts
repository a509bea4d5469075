import type WaveSurfer from 'wavesurfer.js';

/**
 * The track players on screen, so keyboard shortcuts act on the active one (the last one played or
 * clicked, else the first).
 */
const players = new Map<string, WaveSurfer>();
let activeTrackId: string | null = null;

export function registerPlayer(trackId: string, player: WaveSurfer): () => void {
  players.set(trackId, player);
  return () => {
    if (players.get(trackId) === player) players.delete(trackId);
    if (activeTrackId === trackId) activeTrackId = null;
  };
}

export function setActivePlayer(trackId: string): void {
  activeTrackId = trackId;
  for (const [id, player] of players) if (id !== trackId && player.isPlaying()) player.pause();
}

export function activePlayer(): WaveSurfer | null {
  if (activeTrackId && players.has(activeTrackId)) return players.get(activeTrackId)!;
  const first = players.entries().next();
  if (first.done) return null;
  activeTrackId = first.value[0];
  return first.value[1];
}

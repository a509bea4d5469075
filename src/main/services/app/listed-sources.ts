import { StudioError } from '../../../shared/errors';
import {
  type AudioDevice,
  audioBackends,
  deviceKey,
  type RecorderTrackSetup,
} from '../../../shared/recording';

/**
 * The app's recorder opens a device only by an id the device listing gave (the contract has
 * already refused files and anything but the offered test signals): ffmpeg hands an ALSA,
 * avfoundation or dshow name to the OS as it is, and ALSA's `file:'|cmd'` runs a shell command.
 * `alsoAllowed` are sources taken before (a saved setup may name a device unplugged since).
 */
export function refuseUnlistedDevices(
  tracks: readonly RecorderTrackSetup[],
  devices: readonly AudioDevice[],
  alsoAllowed: ReadonlySet<string> = new Set(),
): void {
  const listed = new Set(devices.map(deviceKey));
  for (const track of tracks) {
    const scheme = track.source.slice(0, track.source.indexOf(':'));
    if (!(audioBackends as readonly string[]).includes(scheme)) continue;
    if (listed.has(track.source) || alsoAllowed.has(track.source)) continue;
    throw new StudioError(
      'not_found',
      `“${track.name}” is set to a device that is not connected (${track.source.slice(0, 80)}). Choose one of the connected microphones or system audio sources.`,
      { source: track.source, available: [...listed] },
    );
  }
}

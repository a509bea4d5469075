import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Podcast Studio';

/**
 * The data directory: STUDIO_DATA_DIR when set, else where Electron puts this app's userData
 * (so the CLI sees the desktop app's library). The browser host keeps a separate one.
 */
export function defaultDataDir(kind: 'app' | 'browser-host' = 'app'): string {
  if (process.env.STUDIO_DATA_DIR) return process.env.STUDIO_DATA_DIR;
  const appData =
    process.platform === 'win32'
      ? (process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Application Support')
        : (process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'));
  const base = join(appData, PRODUCT_NAME);
  return kind === 'app' ? base : join(base, 'browser-host');
}

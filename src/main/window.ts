import { join } from 'node:path';
import { BrowserWindow, nativeTheme } from 'electron';
import { APP_ORIGIN, APP_SCHEME } from '../shared/contract/transport';

/** The one window: locked-down web preferences, content from the app's own origin only. */
export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Podcast Studio',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#15171c' : '#f6f7f9',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // Chromium's spellchecker downloads dictionaries from Google; the app stays offline.
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());

  // electron-vite's dev server in `npm run dev`; the built renderer over studio:// otherwise.
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl) void window.loadURL(devUrl);
  else void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

/** True for the app's own pages: the studio:// origin, or the dev server in development. */
export function isAppUrl(url: string): boolean {
  try {
    // Node's URL gives custom schemes an opaque origin, so compare scheme and host.
    const parsed = new URL(url);
    if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app') return true;
    const devUrl = process.env.ELECTRON_RENDERER_URL;
    return devUrl !== undefined && parsed.origin === new URL(devUrl).origin;
  } catch {
    return false;
  }
}

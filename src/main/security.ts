import { app, session, shell, type WebContents } from 'electron';
import { isAppUrl } from './window';

/**
 * The baseline every window gets: no permissions (recording happens in main through ffmpeg, not
 * in the page), no navigation away from the app, no new windows, no <webview>. Links to the web
 * open in the user's browser.
 */
export function hardenSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // The renderer never loads remote content; anything that tries is cancelled.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed =
      details.url.startsWith('studio://') ||
      details.url.startsWith('devtools://') ||
      isAppUrl(details.url) ||
      details.url.startsWith('data:') ||
      details.url.startsWith('blob:');
    callback({ cancel: !allowed });
  });

  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
}

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalDocument(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Only plain https links leave the app, and only to the user's browser. */
function isExternalDocument(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

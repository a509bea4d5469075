import { existsSync } from 'node:fs';
import { join } from 'node:path';
import electronUpdater from 'electron-updater';

/**
 * Packaged builds check the release feed configured in electron-builder.yml (`publish`, none yet) and
 * install the update on the next quit. Failures (offline, no feed) are logged, never shown as
 * errors: the app is offline-first.
 */
export function checkForUpdates(): void {
  // electron-builder writes app-update.yml only when electron-builder.yml names a feed.
  if (!existsSync(join(process.resourcesPath, 'app-update.yml'))) return;
  const { autoUpdater } = electronUpdater;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.on('error', (error) => console.warn('Update check failed:', error.message));
  autoUpdater.checkForUpdatesAndNotify().catch((error: Error) => {
    console.warn('Update check failed:', error.message);
  });
}

import electronUpdater from 'electron-updater';

/**
 * Packaged builds check the release feed configured in electron-builder.yml (`publish`) and
 * install the update on the next quit. Failures (offline, no feed) are logged, never shown as
 * errors: the app is offline-first.
 */
export function checkForUpdates(): void {
  const { autoUpdater } = electronUpdater;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.on('error', (error) => console.warn('Update check failed:', error.message));
  autoUpdater.checkForUpdatesAndNotify().catch((error: Error) => {
    console.warn('Update check failed:', error.message);
  });
}

import { app, BrowserWindow, dialog, systemPreferences } from 'electron';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { registerIpc } from './ipc';
import { installApplicationMenu } from './menu';
import { hardenSessions } from './security';
import { createServices, type Services } from './services/app/services';
import { checkForUpdates } from './updates';
import { createMainWindow } from './window';

// The Electron entry: wires the plain-Node services to windows, IPC, the app protocol and the
// menu. Everything the app does lives in ./services and runs without Electron.

registerAppScheme(); // must happen before 'ready'

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let services: Services | undefined;

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  app.whenReady().then(async () => {
    try {
      services = await createServices({
        dataDir: process.env.STUDIO_DATA_DIR ?? app.getPath('userData'),
        transport: 'electron',
        version: app.getVersion(),
        // Development runs use a better-sqlite3 build for Electron's ABI (scripts/electron-native.js);
        // packaged builds are rebuilt by electron-builder and use the default binding.
        nativeBinding: app.isPackaged ? undefined : process.env.STUDIO_SQLITE_BINDING,
        // macOS shows its privacy prompt once and then answers from the user's choice; other
        // systems have no such gate for the app.
        askMicrophoneAccess: () =>
          process.platform === 'darwin'
            ? systemPreferences.askForMediaAccess('microphone')
            : Promise.resolve(true),
      });
    } catch (error) {
      dialog.showErrorBox(
        'Podcast Studio cannot open its library',
        error instanceof Error ? error.message : String(error),
      );
      app.exit(1);
      return;
    }
    hardenSessions();
    handleAppProtocol(services);
    registerIpc(services);
    installApplicationMenu();
    createMainWindow();
    if (app.isPackaged) checkForUpdates();

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Let running jobs stop and the database close before exit.
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing || !services) return;
    closing = true;
    event.preventDefault();
    services.close().finally(() => app.exit(0));
  });
}

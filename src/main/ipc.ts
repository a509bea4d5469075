import { BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../shared/contract/transport';
import type { Result } from '../shared/errors';
import type { Services } from './services/app/services';
import { isAppUrl } from './window';

/**
 * One IPC channel for every request in the contract. The dispatcher validates the name and the
 * input; here we only make sure the caller is one of the app's own top-level pages.
 */
export function registerIpc(services: Services): void {
  ipcMain.handle(
    IPC_REQUEST_CHANNEL,
    async (event: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<Result<unknown>> => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isAppUrl(frame.url)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: 'Requests are only answered for the app window.' },
        };
      }
      return services.dispatch(typeof name === 'string' ? name : '', input);
    },
  );

  services.bus.onAny((name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed() && isAppUrl(window.webContents.getURL()))
        window.webContents.send(IPC_EVENT_CHANNEL, { name, payload });
    }
  });
}

import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  IPC_REQUEST_CHANNEL,
  type StudioBridge,
} from '../shared/contract/transport';

// The whole surface the renderer gets: one request function, event subscription and the path
// of a dropped file. Names and inputs are validated again in main; nothing else crosses.
type EventMessage = { name: string; payload: unknown };

const bridge = {
  request: (name, input) => ipcRenderer.invoke(IPC_REQUEST_CHANNEL, name, input),
  on(name, listener) {
    const handler = (_event: Electron.IpcRendererEvent, message: EventMessage) => {
      if (message.name === name) (listener as (payload: unknown) => void)(message.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
} satisfies StudioBridge;

contextBridge.exposeInMainWorld('studio', bridge);

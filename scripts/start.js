// `npm start`: build, then open the desktop app. Where Electron's binary is not installed (and
// cannot be downloaded, as on offline CI machines) the same UI opens in the browser host instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildSqliteForElectron } from './electron-native.js';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) {
    // Electron downloads its binary on first use; offline this fails fast.
    spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore' });
  }
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const build = spawnSync(
  process.execPath,
  ['node_modules/electron-vite/bin/electron-vite.js', 'build'],
  {
    stdio: 'inherit',
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const binary = electronBinary();
if (!binary) {
  console.log(
    '\nElectron’s binary is not installed here (it is downloaded on first run and this machine could not reach it).\n' +
      'Opening the same studio in the browser host instead; open the address below in Chromium.\n',
  );
  const host = spawn(process.execPath, ['scripts/web.js', '--no-build', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  host.on('exit', (code) => process.exit(code ?? 0));
} else {
  const binding = await buildSqliteForElectron(require('electron/package.json').version);
  const app = spawn(binary, ['.', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, STUDIO_SQLITE_BINDING: binding },
  });
  app.on('exit', (code) => process.exit(code ?? 0));
}

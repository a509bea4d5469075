// better-sqlite3 in node_modules is built for Node (the CLI, the browser host and the tests use
// it). The Electron app needs a build for Electron's ABI; this makes one in .cache/ without
// touching node_modules, and `npm start` hands its path to the app (STUDIO_SQLITE_BINDING).
// Packaged apps do not need this: electron-builder rebuilds native modules for Electron.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);

export async function buildSqliteForElectron(electronVersion) {
  const target = resolve('.cache', `electron-${electronVersion}`, 'better_sqlite3.node');
  if (existsSync(target)) return target;
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const work = resolve('.cache', `better-sqlite3-electron-${electronVersion}`);
  rmSync(work, { recursive: true, force: true });
  cpSync(source, work, { recursive: true, filter: (path) => !path.includes(`${source}/build`) });
  const tools = dirname(require.resolve('prebuild-install/package.json'));
  // A prebuilt binary first; compiling against Electron's headers if there is none.
  const attempts = [
    [join(tools, 'bin.js'), '--runtime', 'electron', '--target', electronVersion],
    [
      require.resolve('node-gyp/bin/node-gyp.js'),
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers',
    ],
  ];
  for (const args of attempts) {
    const run = spawnSync(process.execPath, args, { cwd: work, stdio: 'inherit' });
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (run.status === 0 && existsSync(built)) {
      mkdirSync(dirname(target), { recursive: true });
      cpSync(built, target);
      rmSync(work, { recursive: true, force: true });
      return target;
    }
  }
  throw new Error(
    `Could not build better-sqlite3 for Electron ${electronVersion}: no prebuilt binary could be downloaded and compiling failed. See the output above.`,
  );
}

// `npm run web`: build the renderer, then serve it with the browser host on 127.0.0.1.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const skipBuild = args.includes('--no-build');
if (!skipBuild) {
  const build = spawnSync(
    process.execPath,
    ['node_modules/electron-vite/bin/electron-vite.js', 'build'],
    { stdio: 'inherit' },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const host = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'src/host/main.ts', ...args.filter((a) => a !== '--no-build')],
  { stdio: 'inherit' },
);
process.exit(host.status ?? 0);

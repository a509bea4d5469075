// `npm run bench -- <name>`: runs scripts/bench/<name>.ts and prints its figures.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const names = readdirSync(new URL('.', import.meta.url))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3));
const [name, ...rest] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`Usage: npm run bench -- <${names.join('|')}>`);
  process.exit(2);
}
const script = new URL(`./${name}.ts`, import.meta.url).pathname;
if (!existsSync(script)) process.exit(2);
const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...rest], { stdio: 'inherit' });
process.exit(run.status ?? 1);

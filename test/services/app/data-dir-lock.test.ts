import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/services/app/services';
import { StudioError } from '../../../src/shared/errors';
import { tempDir } from '../../helpers/audio';

const open = (dataDir: string) => createServices({ dataDir, transport: 'http', version: 'test' });

/** A child process that holds the data directory until killed; resolves once it holds it. */
function holdInChild(dataDir: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('./src/main/services/app/services.ts').then(({ createServices }) => createServices({ dataDir: ${JSON.stringify(dataDir)}, transport: 'http', version: 'test' })).then(() => console.log('held'))`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const held = new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
  return { child, held };
}

describe('one process per data directory', () => {
  it('refuses a second owner in the same process, and frees it on close', async () => {
    const dataDir = join(tempDir(), 'data');
    const first = await open(dataDir);
    const refused = await open(dataDir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StudioError);
    expect(refused).toMatchObject({ code: 'conflict' });
    expect((refused as Error).message).toContain(dataDir);
    await first.close();
    await (await open(dataDir)).close();
  });

  it('refuses while another process holds it, names its pid, and is free once it is killed', async () => {
    const dataDir = join(tempDir(), 'data');
    const { child, held } = holdInChild(dataDir);
    await held;
    const refused = await open(dataDir).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'conflict' });
    expect((refused as Error).message).toContain(`pid ${child.pid}`);
    // SIGKILL: no clean-up runs, the OS drops the lock with the process.
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
    await (await open(dataDir)).close();
  });

  it('lets exactly one of several racing processes in', async () => {
    const dataDir = join(tempDir(), 'data');
    const racers = Array.from({ length: 5 }, () =>
      spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `import('./src/main/services/app/services.ts').then(({ createServices }) => createServices({ dataDir: ${JSON.stringify(dataDir)}, transport: 'http', version: 'test' })).then(() => { console.log('owner'); setTimeout(() => process.exit(0), 6000); }, () => { console.log('refused'); process.exit(0); })`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      ),
    );
    const outcomes = await Promise.all(
      racers.map(
        (child) =>
          new Promise<string>((resolve) => {
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => {
              out += chunk.toString();
            });
            child.once('exit', () => resolve(out.trim()));
          }),
      ),
    );
    expect(outcomes.filter((o) => o === 'owner')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(4);
  });
});

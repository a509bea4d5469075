import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/services/app/services';
import { StudioError } from '../../../src/shared/errors';
import { tempDir } from '../../helpers/audio';

const open = (dataDir: string) => createServices({ dataDir, transport: 'http', version: 'test' });

describe('one process per data directory', () => {
  it('refuses a second owner with a message naming the directory, and frees it on close', async () => {
    const dataDir = join(tempDir(), 'data');
    const first = await open(dataDir);
    const refused = await open(dataDir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StudioError);
    expect(refused).toMatchObject({ code: 'conflict' });
    expect((refused as Error).message).toContain(dataDir);
    expect((refused as Error).message).toContain(`pid ${process.pid}`);
    await first.close();
    const second = await open(dataDir);
    await second.close();
  });

  it('takes over a lock left by a process that died', async () => {
    const dataDir = join(tempDir(), 'data');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    await (await open(dataDir)).close();
    writeFileSync(join(dataDir, 'studio.lock'), dead.stdout.toString());
    const services = await open(dataDir);
    await services.close();
  });
});

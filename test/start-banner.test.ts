import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A newcomer reads the start banner and opens what it says in a browser: it must name the IDE's
 * address (the root), not only /graphql, which a browser gets as a CSRF refusal.
 */
describe('the start banner', () => {
  let child: ChildProcess | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'timpora-banner-'));
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the IDE address, and that address serves the IDE to a browser', async () => {
    child = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'tools', 'start.js'), '--only', 'gateway'], {
      env: { ...process.env, DATA_DIR: dataDir, SEED_DEMO_DATA: 'false', LOG_LEVEL: 'silent', GATEWAY_PORT: '28991' },
    });
    let banner = '';
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (chunk) => {
        banner += chunk;
        if (banner.includes('Ready in')) resolve();
      });
      child!.on('exit', (code) => reject(new Error(`start.js exited with ${code}: ${banner}`)));
    });
    const ide = /^IDE\s+(\S+)/m.exec(banner)?.[1];
    expect(ide).toBe('http://127.0.0.1:28991/');
    const page = await fetch(ide!, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
  }, 30_000);
});

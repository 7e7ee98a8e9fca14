/**
 * An operator's mistakes at start-up get one clear line naming the remedy and exit status 2, never
 * `internal error:` and a stack trace: a port already in use, and a data directory held by another
 * running server.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'xmargin-serve-errors-'));
  dirs.push(d);
  return d;
};
const serve = (args: string[]) =>
  spawnSync(process.execPath, ['bin/xmargin.js', 'serve', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, XMARGIN_ADMIN_KEY: 'xm_serve_errors_admin_key_000' },
  });

describe('xmargin serve: start-up errors', () => {
  it('a busy port: one line naming --port and the remedy, exit 2', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = serve(['--port', String(port), '--data-dir', dataDir()]);
      expect(r.status).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^error ERR_INVALID_INPUT: --port must be a free port on 127\.0\.0\.1; it is in use: .*choose another with --port/,
      );
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      blocker.close();
    }
  }, 150_000);

  it('a data directory held by a running server: one line naming --data-dir and the remedy, exit 2', async () => {
    const dir = dataDir();
    const first = spawn(process.execPath, ['bin/xmargin.js', 'serve', '--port', '0', '--data-dir', dir], {
      cwd: ROOT,
      env: { ...process.env, XMARGIN_ADMIN_KEY: 'xm_serve_errors_admin_key_000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        first.stdout!.on('data', (d: Buffer) => d.toString().includes('listening on') && resolve());
        first.on('exit', (c) => reject(new Error(`first server exited ${c}`)));
      });
      const r = serve(['--port', '0', '--data-dir', dir]);
      expect(r.status).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /--data-dir must not be in use by another xmargin server \(pid \d+ holds it\): stop that server, or choose another --data-dir/,
      );
    } finally {
      first.kill('SIGTERM');
    }
  }, 150_000);
});

/**
 * docs/getting-started.md runs as written: every ```ts block is transpiled and run with node
 * against the built package (`'xmargin'` resolved to dist/src/index.js, the package's export),
 * importing nothing but `xmargin` and `node:*`; every `npx xmargin …` line of a ```sh block runs
 * the built CLI and must exit 0 (or the status its comment names); the `serve` line is started
 * by this test with its environment (XMARGIN_PORT set to a free port: the server must listen
 * there), and the service block runs against it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin', 'xmargin.js');
const guide = readFileSync(join(root, 'docs', 'getting-started.md'), 'utf8');
const blocks = [...guide.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1]!,
  code: m[2]!,
  /** the section the block is in */
  heading: [...guide.slice(0, m.index).matchAll(/^#+ (.*)$/gm)].at(-1)?.[1] ?? '',
}));
const tsBlocks = blocks.filter((b) => b.lang === 'ts');
const shLines = blocks
  .filter((b) => b.lang === 'sh')
  .flatMap((b) => b.code.split('\n'))
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const dir = mkdtempSync(join(tmpdir(), 'xmargin-guide-'));
const entry = pathToFileURL(join(root, 'dist', 'src', 'index.js')).href;

/** A port nobody listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Transpiles a block and runs it with node from the repository root; resolves to its output. */
function runBlock(code: string, env: Record<string, string> = {}, name = 'block') {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, js.replaceAll(`from 'xmargin'`, `from '${entry}'`));
  return spawnSync(process.execPath, [file], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
}

describe('docs/getting-started.md', () => {
  it('has library, command-line and service examples', () => {
    expect(tsBlocks.length).toBeGreaterThanOrEqual(6);
    expect(shLines.some((l) => l.includes('xmargin whatif'))).toBe(true);
    expect(shLines.some((l) => l.includes('xmargin serve'))).toBe(true);
  });

  it('imports only the package and node builtins', () => {
    for (const b of tsBlocks)
      for (const m of b.code.matchAll(/from '([^']+)'/g))
        expect(m[1] === 'xmargin' || m[1]!.startsWith('node:'), m[1]).toBe(true);
  });

  const library = tsBlocks.filter((b) => !b.code.includes('XMARGIN_URL'));
  library.forEach((b, i) => {
    it(`library: "${b.heading}" runs`, () => {
      const r = runBlock(b.code, {}, `library-${i}`);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
    });
  });

  for (const line of shLines.filter((l) => l.startsWith('npx xmargin') && !l.includes(' serve'))) {
    const expected = /# exits (\d)/.exec(line)?.[1];
    it(`"${line.slice(0, 90)}" exits ${expected ?? 0}`, () => {
      const args = line.replace(/#.*$/, '').trim().split(/\s+/).slice(2);
      const r = spawnSync(process.execPath, [bin, ...args], {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.status, r.stderr).toBe(Number(expected ?? 0));
      expect(r.stdout.length).toBeGreaterThan(0);
    });
  }

  it('every shell line is npm ci or an xmargin command (nothing left unrun)', () => {
    for (const l of shLines)
      expect(/^(npm ci\b|npx xmargin |([A-Z_]+=\S+ )+npx xmargin serve )/.test(l), l).toBe(true);
  });

  describe('the service', () => {
    const serveLine = shLines.find((l) => l.includes('xmargin serve'))!;
    const env = Object.fromEntries([...serveLine.matchAll(/([A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
    let server: ReturnType<typeof spawn> | undefined;
    let url = '';

    beforeAll(async () => {
      expect(env.XMARGIN_PORT, 'the guide chooses the port with XMARGIN_PORT').toBeDefined();
      const port = await freePort();
      server = spawn(process.execPath, [bin, 'serve', '--data-dir', mkdtempSync(join(dir, 'data-'))], {
        cwd: root,
        env: { ...process.env, ...env, XMARGIN_PORT: String(port), DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server!.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+) \(port (\d+)\)/.exec(out);
          if (m === null) return;
          if (Number(m[2]) === port)
            resolve(m[1]!); // the port came from XMARGIN_PORT
          else reject(new Error(`serve listens on ${m[2]}, not XMARGIN_PORT ${port}`));
        });
        server!.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
    }, 90_000);

    afterAll(async () => {
      if (!server || server.exitCode !== null) return;
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }, 30_000);

    it('the service block runs against `xmargin serve` started as the guide says', () => {
      const block = tsBlocks.find((b) => b.code.includes('XMARGIN_URL'))!;
      const r = runBlock(block.code, { ...env, XMARGIN_URL: url }, 'service');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  });
});

/**
 * `xmargin prove` and `xmargin verify` end to end on the demo venue (seeded accounts on real
 * history), with the shipped full circuit and its committed keys: every account of the epoch
 * verifies, a tampered file is refused (exit 1), bad input exits 2. In process through runCli; a
 * few accounts, so the suite proves a handful of full-size proofs (the benchmark times them).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/adapters/cli/run-cli.js';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'xmargin-prove-'));
const out = join(dir, 'epoch');
let proved: Awaited<ReturnType<typeof run>>;

beforeAll(async () => {
  const secret = join(dir, 'secret.hex');
  writeFileSync(secret, 'ab'.repeat(32));
  proved = await run([
    'prove',
    '--epoch',
    'e2e-1',
    '--out',
    out,
    '--accounts',
    '4',
    '--seed',
    '7',
    '--secret-file',
    secret,
  ]);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const accountFiles = () => readdirSync(join(out, 'accounts')).map((f) => join(out, 'accounts', f));

describe('xmargin prove', () => {
  it('commits the demo venue and proves every account', () => {
    expect(proved.err).toBe('');
    expect(proved.code).toBe(0);
    expect(proved.out).toContain('accounts 4: 4 proven compliant');
    const epoch = JSON.parse(readFileSync(join(out, 'epoch.json'), 'utf8')) as {
      root: { count: string };
      arrays: { rows: string[]; columns: unknown[] };
      circuit: { size: string };
    };
    expect(epoch.root.count).toBe('4');
    expect(epoch.circuit.size).toBe('full');
    // BTC, ETH, SOL: collateral rows and every listed instrument of the demo (44 listed, 3 assets)
    expect(epoch.arrays.rows.length).toBe(47);
    expect(accountFiles()).toHaveLength(4);
  });
});

describe('xmargin verify', () => {
  it('verifies the epoch, the aggregate and every account file', async () => {
    const r = await run(['verify', 'epoch', '--dir', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('aggregate: 4 of 4 accounts proven compliant (every account)');
    expect(r.out).toContain('account files: 4 inclusion proofs verified');
  }, 120_000);

  it("verifies an owner's inclusion against the root, and their account against the epoch", async () => {
    const root = (JSON.parse(readFileSync(join(out, 'epoch.json'), 'utf8')) as { root: { hash: string } })
      .root.hash;
    const file = accountFiles()[0]!;
    const inc = await run(['verify', 'inclusion', '--proof', file, '--root', root]);
    expect(inc.code).toBe(0);
    expect(inc.out).toMatch(/^inclusion verified: trader-\d{4}\/main: slot \d, equity [0-9.]+ USD/);
    const acc = await run([
      'verify',
      'account',
      '--proof',
      file,
      '--epoch',
      join(out, 'epoch.json'),
      '--json',
    ]);
    expect(acc.code).toBe(0);
    expect((JSON.parse(acc.out) as { verified: boolean }).verified).toBe(true);
  }, 120_000);

  it('refuses a tampered account file and a wrong root (exit 1, ERR_PROOF_INVALID)', async () => {
    const file = accountFiles()[1]!;
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { opening: { mm: string } };
    doc.opening.mm = (BigInt(doc.opening.mm) - 1n).toString(); // an understated requirement
    const forged = join(dir, 'forged.json');
    writeFileSync(forged, JSON.stringify(doc));
    const r = await run(['verify', 'account', '--proof', forged, '--epoch', join(out, 'epoch.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('ERR_PROOF_INVALID');
    const w = await run(['verify', 'inclusion', '--proof', file, '--root', '12345']);
    expect(w.code).toBe(1);
    expect(w.err).toContain('ERR_PROOF_INVALID');
  }, 120_000);

  it('bad input exits 2 naming the field', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'xmargin-solvency-account/1', epochId: 'e2e-1' }));
    const r = await run(['verify', 'account', '--proof', bad, '--epoch', join(out, 'epoch.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('ERR_VALIDATION');
    const s = await run(['prove', '--epoch', 'x', '--severity', 'rate=2000']);
    expect(s.code).toBe(2);
    expect(s.err).toContain('--severity');
    const e = await run(['prove', '--epoch', 'not an id!', '--accounts', '1', '--size', 'small']);
    expect(e.code).toBe(2);
    const root = await run(['verify', 'inclusion', '--proof', accountFiles()[0]!, '--root', 'xyz']);
    expect(root.code).toBe(2);
    expect(root.err).toContain('--root');
  }, 120_000);
});

/**
 * `xmargin prove --epoch ID [--out DIR] [--size full|small] [--severity auto|CLASS=N,...]
 *   [--accounts N] [--seed S] [--hours H] [--data-dir DIR] [--secret-file F] [--json]`:
 * builds and proves a solvency epoch of the demo venue (seeded accounts on real history, stepped
 * `--hours` hours after its start) or, with `--data-dir` (or DATABASE_URL), of the service's
 * stored venue; writes epoch.json, proofs.json and one file per account under DIR
 * (docs/methodology/solvency-proofs.md, docs/formats.md#solvency-epoch).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { HOUR_MS } from '../../core/history/utc-time.js';
import { RISK_CLASSES, type RiskClass } from '../../core/solvency/risk-class.js';
import type { SeverityChoice } from '../../core/solvency/build-epoch.js';
import { createDemoVenue, DEMO_DEFAULT_FROM_MS } from '../../engine/venue/demo-venue.js';
import { loadVenueHistory } from '../marketdata/history/load-market-history.js';
import { startService } from '../http/start-service.js';
import { collectVenueEpoch, type VenueEpochInput } from '../prover/venue-epoch.js';
import { proveEpoch, writeEpochFiles, type ProvenEpoch } from '../prover/prove-epoch.js';
import { releaseProverThreads } from '../prover/compliance-proof.js';
import type { CircuitSize } from '../prover/circuit-artifacts.js';
import type { CliIo } from './run-cli.js';
import { intOption } from './int-option.js';

/** Options of {@link runProve}, as on the command line. */
export interface ProveOptions {
  readonly epoch: string;
  readonly out?: string;
  readonly size?: string;
  readonly severity?: string;
  readonly accounts?: string;
  readonly seed?: string;
  readonly hours?: string;
  readonly dataDir?: string;
  readonly secretFile?: string;
  readonly onProof?: (done: number, total: number) => void;
}

/**
 * `auto`, or `CLASS=N,...` with N in thousandths (classes not named get 0).
 * @throws InvalidInputError ERR_INVALID_INPUT naming --severity
 */
export function parseSeverity(text: string | undefined): SeverityChoice {
  if (text === undefined || text === 'auto') return 'auto';
  const out: Partial<Record<RiskClass, number>> = {};
  for (const part of text.split(',')) {
    const m = /^([a-z]+)=([0-9]{1,4})$/.exec(part.trim());
    const cls = m?.[1] as RiskClass | undefined;
    const n = Number(m?.[2]);
    if (!m || !RISK_CLASSES.includes(cls!) || !(n >= 0 && n <= 1000))
      throw new InvalidInputError(
        '--severity',
        text,
        `must be auto or CLASS=N,... with CLASS in ${RISK_CLASSES.join('|')} and N in [0, 1000]`,
      );
    out[cls!] = n;
  }
  return out;
}

function readSecret(file: string | undefined): Uint8Array {
  const text = file !== undefined ? readText(file) : process.env['XMARGIN_SOLVENCY_SECRET'];
  if (text === undefined) return randomBytes(32);
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{32,128}$/.test(hex))
    throw new InvalidInputError(
      file !== undefined ? '--secret-file' : 'XMARGIN_SOLVENCY_SECRET',
      '(hidden)',
      'must hold 32 to 128 hex digits',
    );
  return Buffer.from(hex, 'hex');
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidInputError(
      '--secret-file',
      file,
      `must name a readable file (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
}

/** The demo venue, `hours` hours into its replay. */
export function demoVenueEpoch(accounts: number, seed: number, hours: number): VenueEpochInput {
  const toMs = DEMO_DEFAULT_FROM_MS + 15 * 24 * HOUR_MS;
  const history = loadVenueHistory(['BTC', 'ETH', 'SOL'], toMs);
  const demo = createDemoVenue({ history, seed, accounts });
  for (let h = 0; h < hours; h++) if (!demo.step()) break;
  return collectVenueEpoch(demo.venue);
}

async function storedVenueEpoch(dataDir: string | undefined): Promise<VenueEpochInput> {
  const url = process.env['DATABASE_URL'];
  const running = await startService({
    store: url ? { databaseUrl: url } : { dataDir: dataDir! },
    speed: 0,
    version: 'prove',
    logger: false,
    onFatal: (e) => {
      throw e;
    },
  });
  try {
    return collectVenueEpoch(running.service.venue);
  } finally {
    await running.close();
  }
}

/**
 * Builds and proves the epoch, writing its files when `out` is given.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the option; the errors of proveEpoch
 */
export async function runProve(o: ProveOptions): Promise<ProvenEpoch> {
  const size = (o.size ?? 'full') as CircuitSize;
  if (size !== 'full' && size !== 'small')
    throw new InvalidInputError('--size', o.size, 'must be full or small');
  const severity = parseSeverity(o.severity);
  const accounts = intOption(o.accounts, '--accounts', 200, 1, 65_536);
  const seed = intOption(o.seed, '--seed', 7, 0, 2 ** 31 - 1);
  const hours = intOption(o.hours, '--hours', 0, 0, 14 * 24);
  const secret = readSecret(o.secretFile);
  const stored = o.dataDir !== undefined || process.env['DATABASE_URL'] !== undefined;
  const input = stored ? await storedVenueEpoch(o.dataDir) : demoVenueEpoch(accounts, seed, hours);
  const proven = await proveEpoch(input, {
    epochId: o.epoch,
    venue: stored ? 'service' : `demo seed ${seed}, ${accounts} accounts, +${hours} h`,
    size,
    severity,
    secret,
    ...(o.onProof ? { onProof: o.onProof } : {}),
  });
  if (o.out !== undefined) writeEpochFiles(o.out, proven);
  return proven;
}

/** A summary of a proven epoch for the terminal. */
export function formatProven(p: ProvenEpoch, out: string | undefined): string {
  const d = p.epochDoc;
  const ms = [...p.proveMs].sort((a, b) => a - b);
  const lines = [
    `epoch ${d.epochId} at ${new Date(d.timeMs).toISOString()} (${d.venue})`,
    `root ${d.root.hash}`,
    `accounts ${d.accounts}: ${d.compliant} proven compliant, not compliant ${JSON.stringify(d.notCompliant)}`,
    `totals: equity ${d.totals.equityUsd} USD, maintenance ${d.totals.maintenanceUsd} USD`,
    `risk arrays: ${d.arrays.rows.length} rows x ${d.arrays.columns.length} scenarios (scale ${d.arrays.scale}), hash ${d.arrays.hash}`,
    `severities (thousandths, ${d.severityChoice}): ${d.classes.map((c, i) => `${c}=${d.severities[i]} (${d.perClass[i]} accounts)`).join(', ')}`,
    `circuit ${d.circuit.size} (${d.circuit.shape.rows} rows x ${d.circuit.shape.scenarios} scenarios, depth ${d.circuit.shape.depth})`,
    ms.length > 0
      ? `proving: median ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms per account`
      : 'proving: no account',
  ];
  if (out !== undefined) lines.push(`written: ${out}/epoch.json, ${out}/proofs.json, ${out}/accounts/*.json`);
  return lines.join('\n');
}

/** Registers `xmargin prove`. */
export function registerProveCommand(program: Command, io: CliIo, setJson: (j: boolean) => void): void {
  program
    .command('prove')
    .description(
      "Commit a solvency epoch (Merkle sum tree) and prove every account's margin compliance (Groth16)",
    )
    .requiredOption('--epoch <id>', 'epoch id, 1-64 characters of [A-Za-z0-9._:-]')
    .option('--out <dir>', 'write epoch.json, proofs.json and accounts/*.json here')
    .option(
      '--size <size>',
      'circuit: full (48 rows x 96 scenarios, 1,048,576 accounts) or small (tests)',
      'full',
    )
    .option(
      '--severity <spec>',
      'auto, or CLASS=N,... in thousandths (scenario, statistical, rate, other)',
      'auto',
    )
    .option('--accounts <n>', 'demo: number of accounts', '200')
    .option('--seed <s>', 'demo: seed of the accounts', '7')
    .option('--hours <h>', 'demo: hours of history replayed before the epoch', '0')
    .option(
      '--data-dir <dir>',
      "the service's store (PGlite directory; DATABASE_URL for PostgreSQL) instead of the demo",
    )
    .option(
      '--secret-file <file>',
      'hex secret the salts derive from (else XMARGIN_SOLVENCY_SECRET, else random)',
    )
    .option('--json', 'machine-readable output (epoch.json on stdout)')
    .action(async (opts: ProveOptions & { json?: boolean }) => {
      setJson(opts.json === true);
      const tty = opts.json !== true && process.stderr.isTTY === true;
      const p = await runProve({
        ...opts,
        ...(tty && { onProof: (d: number, t: number) => process.stderr.write(`\rproving ${d}/${t}`) }),
      }).finally(releaseProverThreads);
      if (tty) process.stderr.write('\n');
      io.out(opts.json === true ? JSON.stringify(p.epochDoc) : formatProven(p, opts.out));
    });
}

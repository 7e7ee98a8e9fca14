/**
 * `xmargin verify ...`: checks the files of a solvency epoch (docs/methodology/solvency-proofs.md).
 *
 *   verify inclusion --proof F --root R [--epoch E]   an owner's leaf is under the root R
 *   verify account --proof F --epoch E                inclusion and margin-compliance proof
 *   verify epoch --dir D                              the epoch, every published proof (the
 *                                                     aggregate) and every account file under D
 *
 * Exit codes: 0 everything verifies; 1 a proof is refused (the reason is printed); 2 bad input
 * (an unreadable or malformed file, a bad option).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { RiskError } from '../../core/errors.js';
import { parseField } from '../../core/solvency/field.js';
import { microToUsdString } from '../../core/solvency/fixed-point.js';
import { RISK_CLASSES } from '../../core/solvency/risk-class.js';
import {
  AccountProofDocumentSchema,
  EpochDocumentSchema,
  ProofsDocumentSchema,
  parseDocument,
  rootOf,
  type AccountProofDocument,
  type EpochDocument,
} from '../prover/epoch-documents.js';
import { createPoseidonHash } from '../prover/poseidon-hash.js';
import { releaseProverThreads } from '../prover/compliance-proof.js';
import {
  checkEpochDocument,
  verifyAccountDocument,
  verifyAccountInclusion,
  verifyAggregate,
} from '../prover/verify-epoch.js';
import { readJsonFile } from './read-json-file.js';
import type { CliIo } from './run-cli.js';

const readEpoch = (file: string): EpochDocument =>
  parseDocument(EpochDocumentSchema, readJsonFile(file, '--epoch'), file);
const readAccount = (file: string): AccountProofDocument =>
  parseDocument(AccountProofDocumentSchema, readJsonFile(file, '--proof'), file);

function describeLeaf(doc: AccountProofDocument): string {
  const o = doc.opening;
  return `${o.key}: slot ${doc.index}, equity ${microToUsdString(BigInt(o.equity))} USD, maintenance ${microToUsdString(BigInt(o.mm))} USD, class ${RISK_CLASSES[o.riskClass] ?? o.riskClass}`;
}

/**
 * Verifies an owner's inclusion proof against a root hash (and the epoch when given).
 * @returns the lines to print
 * @throws RiskError ERR_PROOF_INVALID / ERR_SOLVENCY_RANGE when it does not verify
 */
export async function runVerifyInclusion(o: {
  proof: string;
  root: string;
  epoch?: string;
}): Promise<string[]> {
  const hash = await createPoseidonHash();
  const account = readAccount(o.proof);
  const rootHash = parseField(o.root, '--root');
  if (o.epoch !== undefined) {
    const epoch = readEpoch(o.epoch);
    checkEpochDocument(epoch, hash);
    if (rootOf(epoch).hash !== rootHash)
      throw new RiskError('ERR_PROOF_INVALID', '--root is not the root of --epoch', { field: '--root' });
    verifyAccountInclusion(account, rootOf(epoch), hash);
  } else verifyAccountInclusion(account, { hash: rootHash }, hash);
  return [`inclusion verified: ${describeLeaf(account)}`, `root ${rootHash}`];
}

/**
 * Verifies an owner's file (inclusion and compliance) against an epoch.
 * @throws RiskError ERR_PROOF_INVALID when anything is refused
 */
export async function runVerifyAccount(o: { proof: string; epoch: string }): Promise<string[]> {
  const hash = await createPoseidonHash();
  const account = readAccount(o.proof);
  const epoch = readEpoch(o.epoch);
  const r = await verifyAccountDocument(account, epoch, hash);
  if (r.compliance === false)
    throw new RiskError(
      'ERR_PROOF_INVALID',
      `the compliance proof of slot ${account.index} does not verify against epoch ${epoch.epochId}`,
      {
        field: 'compliance',
        index: account.index,
      },
    );
  return [
    `inclusion verified: ${describeLeaf(account)}`,
    r.compliance === true
      ? `margin compliance verified: equity >= maintenance, and maintenance covers ${epoch.severities[account.opening.riskClass]! / 10}% of the loss in each of the ${epoch.arrays.columns.length} published scenarios`
      : `no compliance proof: the account is ${r.status}`,
  ];
}

/**
 * Verifies a whole epoch directory: epoch.json, proofs.json (aggregate) and accounts/*.json.
 * @throws RiskError ERR_PROOF_INVALID on the first refusal
 */
export async function runVerifyEpoch(o: { dir: string }): Promise<string[]> {
  const hash = await createPoseidonHash();
  const epoch = readEpoch(join(o.dir, 'epoch.json'));
  const proofs = parseDocument(
    ProofsDocumentSchema,
    readJsonFile(join(o.dir, 'proofs.json'), '--dir'),
    'proofs.json',
  );
  checkEpochDocument(epoch, hash);
  const agg = await verifyAggregate(epoch, proofs, hash);
  if (agg.failed.length > 0)
    throw new RiskError(
      'ERR_PROOF_INVALID',
      `compliance proofs of slots ${agg.failed.join(', ')} do not verify`,
      { failed: agg.failed },
    );
  const lines = [
    `epoch ${epoch.epochId}: root ${epoch.root.hash}`,
    `aggregate: ${agg.proven} of ${agg.accounts} accounts proven compliant${agg.complete ? ' (every account)' : ''}; totals equity ${epoch.totals.equityUsd} USD, maintenance ${epoch.totals.maintenanceUsd} USD`,
  ];
  const dir = join(o.dir, 'accounts');
  if (existsSync(dir)) {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    for (const f of files) {
      const r = await verifyAccountDocument(readAccount(join(dir, f)), epoch, hash);
      if (r.compliance === false)
        throw new RiskError('ERR_PROOF_INVALID', `${f}: the compliance proof does not verify`, { file: f });
    }
    lines.push(`account files: ${files.length} inclusion proofs verified`);
  }
  return lines;
}

/** Registers `xmargin verify`. */
export function registerVerifyCommand(program: Command, io: CliIo, setJson: (j: boolean) => void): void {
  const verify = program
    .command('verify')
    .description("Verify a solvency epoch's inclusion and compliance proofs");
  const done = (json: boolean | undefined, lines: string[]) =>
    io.out(json === true ? JSON.stringify({ verified: true, lines }) : lines.join('\n'));
  verify
    .command('inclusion')
    .description("An owner's leaf is included under the root (sums and ranges checked)")
    .requiredOption('--proof <file>', "the owner's accounts/<key>.json")
    .requiredOption('--root <hash>', 'the published root hash (decimal or 0x-hex)')
    .option('--epoch <file>', 'epoch.json, to check the totals and the epoch too')
    .option('--json', 'machine-readable output')
    .action(async (opts: { proof: string; root: string; epoch?: string; json?: boolean }) => {
      setJson(opts.json === true);
      done(opts.json, await runVerifyInclusion(opts).finally(releaseProverThreads));
    });
  verify
    .command('account')
    .description("An owner's inclusion and margin-compliance proofs against the epoch")
    .requiredOption('--proof <file>', "the owner's accounts/<key>.json")
    .requiredOption('--epoch <file>', 'epoch.json')
    .option('--json', 'machine-readable output')
    .action(async (opts: { proof: string; epoch: string; json?: boolean }) => {
      setJson(opts.json === true);
      done(opts.json, await runVerifyAccount(opts).finally(releaseProverThreads));
    });
  verify
    .command('epoch')
    .description('The epoch, every published compliance proof (the aggregate) and every account file')
    .requiredOption('--dir <dir>', 'the directory xmargin prove --out wrote')
    .option('--json', 'machine-readable output')
    .action(async (opts: { dir: string; json?: boolean }) => {
      setJson(opts.json === true);
      done(opts.json, await runVerifyEpoch(opts).finally(releaseProverThreads));
    });
}

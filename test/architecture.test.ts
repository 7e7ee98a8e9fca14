/**
 * Import rules (STYLE §3.2), read from the source text: no extra dependency needed.
 * - core imports only core (and zod); never node:*, engine, adapters, main or web;
 * - engine imports core and itself, never adapters or main;
 * - adapters never import main;
 * - within core, the concern order numeric → ledger/market → instruments → pricing → ... is
 *   respected (a lower concern never imports a higher one).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier imported or re-exported by a file. */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const re =
    /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2])!);
  return specs;
}

/** Layer of a path under src/: core/<concern>, engine, adapters, main. */
function layerOf(file: string): { layer: string; concern?: string } {
  const parts = relative(src, file).split(/[\\/]/);
  if (parts[0] === 'core')
    return parts.length > 2 ? { layer: 'core', concern: parts[1]! } : { layer: 'core', concern: '(root)' };
  return { layer: parts[0]! };
}

/** Rank of each core concern: an import must go to an equal or lower rank. Leaves rank 0. */
const CORE_RANK: Record<string, number> = {
  '(root)': 0, // errors.ts, index.ts is checked separately
  params: 0,
  numeric: 1,
  ledger: 2,
  market: 2,
  history: 2,
  instruments: 3,
  pricing: 4,
  statistics: 4,
  portfolio: 4,
  scenarios: 5,
  risk: 6,
  collateral: 7,
  margin: 7,
  liquidation: 8,
  analytics: 9,
  optimise: 9,
};

const files = listTs(src);

describe('architecture: import rules', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const file of files) {
    const rel = relative(root, file);
    const from = layerOf(file);
    const specs = importsOf(readFileSync(file, 'utf8'));
    it(`${rel} respects the layer rules`, () => {
      for (const spec of specs) {
        if (from.layer === 'core') {
          expect(spec.startsWith('node:'), `${rel} imports ${spec}: core is pure`).toBe(false);
          if (!spec.startsWith('.')) {
            expect(spec === 'zod', `${rel} imports package ${spec}: core may use only zod`).toBe(true);
            continue;
          }
          const target = layerOf(resolve(dirname(file), spec));
          expect(target.layer, `${rel} imports ${spec}: core imports only core`).toBe('core');
          const isIndex = rel === 'src/core/index.ts';
          if (!isIndex && from.concern && target.concern && target.concern !== from.concern) {
            const a = CORE_RANK[from.concern];
            const b = CORE_RANK[target.concern];
            expect(a, `unknown core concern ${from.concern}: add it to CORE_RANK`).toBeDefined();
            expect(b, `unknown core concern ${target.concern}: add it to CORE_RANK`).toBeDefined();
            expect(
              b! <= a!,
              `${rel} (${from.concern}) imports ${spec} (${target.concern}): against the concern order`,
            ).toBe(true);
          }
        } else if (from.layer === 'engine' && spec.startsWith('.')) {
          const t = layerOf(resolve(dirname(file), spec)).layer;
          expect(
            ['core', 'engine'].includes(t),
            `${rel} imports ${spec}: engine imports only core and engine`,
          ).toBe(true);
        } else if (from.layer === 'adapters' && spec.startsWith('.')) {
          const t = layerOf(resolve(dirname(file), spec)).layer;
          expect(t !== 'main', `${rel} imports ${spec}: adapters never import main`).toBe(true);
        }
      }
    });
  }

  // One engine (DESIGN "Layers"): one path from a price to a liquidation.
  const chain = 'src/engine/venue/liquidation-chain.ts';
  const kernels = ['src/engine/venue/venue-risk.ts', 'src/engine/backtest/run-backtest.ts'];
  for (const file of files.filter((f) => !relative(root, f).startsWith('src/core/'))) {
    const rel = relative(root, file);
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    it(`${rel}: no second liquidation chain, no second margin loop`, () => {
      for (const fn of ['planLiquidation', 'rankAdl', 'applyLiquidationAction', 'cashAssetOf'])
        if (new RegExp(`\\b${fn}\\b`).test(text))
          expect(rel, `${rel} uses ${fn}: liquidation is planned and executed only in ${chain}`).toBe(chain);
      if (rel.startsWith('src/engine/'))
        expect(
          /\.compute\(/.test(text) && rel !== 'src/engine/margin-check.ts',
          `${rel} calls a model's compute: the engine margins accounts through the prepared kernels (venue-risk.ts); compute is the explanation of one account`,
        ).toBe(false);
      if (
        /\.margin\(view|\.margin\(\s*book|kernel\.margin\(|\.kernel\.margin\(|\.margin\([a-z]+, ids/.test(
          text,
        )
      )
        expect(
          kernels,
          `${rel} runs a margin kernel over accounts: only the venue's book and the backtest do`,
        ).toContain(rel);
    });
  }

  it('the rule checker itself catches a forbidden import', () => {
    expect(importsOf("import { x } from 'node:fs';\nexport { y } from '../engine/book.js';")).toEqual([
      'node:fs',
      '../engine/book.js',
    ]);
    expect(importsOf("import type { Z } from './z.js'; const m = await import('./lazy.js');")).toEqual([
      './z.js',
      './lazy.js',
    ]);
  });
});

/**
 * `engines.node` of the package and of every locked dependency agree: each lower bound of the
 * package's own range (20.19.0, 22.13.0, 24.0.0) satisfies every dependency's range, so that
 * `npm ci` on a supported Node prints no EBADENGINE warning. The range matcher below covers the
 * forms npm registries use (||, space-joined comparators, ^, >=, >, <, <=, x-ranges, bare
 * majors, *) and fails on anything else rather than guessing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type V = [number, number, number];

function parse(v: string): { v: V; wild: number } {
  const m = /^v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(v.trim());
  if (!m) throw new Error(`unsupported version "${v}"`);
  const parts = [m[1], m[2], m[3]];
  const wild = parts.findIndex((p) => p === undefined || p === 'x' || p === '*');
  const nums = parts.map((p) => (p === undefined || p === 'x' || p === '*' ? 0 : Number(p))) as V;
  return { v: nums, wild: wild < 0 ? 3 : wild };
}

function cmp(a: V, b: V): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Whether version `x` satisfies one comparator. */
function comparator(x: V, c: string): boolean {
  const m = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(c.trim());
  if (!m) throw new Error(`unsupported comparator "${c}"`);
  const op = m[1] ?? '';
  if (m[2] === '*') return true;
  const { v, wild } = parse(m[2]!);
  const upper = (i: number): V =>
    i === 0 ? [v[0] + 1, 0, 0] : i === 1 ? [v[0], v[1] + 1, 0] : [v[0], v[1], v[2] + 1];
  switch (op) {
    case '>=':
      return cmp(x, v) >= 0;
    case '>':
      return wild < 3 ? cmp(x, upper(wild - 1)) >= 0 : cmp(x, v) > 0;
    case '<':
      return cmp(x, v) < 0;
    case '<=':
      return wild < 3 ? cmp(x, upper(wild - 1)) < 0 : cmp(x, v) <= 0;
    case '^': {
      const first = v[0] !== 0 ? 0 : v[1] !== 0 ? 1 : 2;
      return cmp(x, v) >= 0 && cmp(x, upper(Math.min(first, Math.max(0, wild - 1)))) < 0;
    }
    case '~':
      return cmp(x, v) >= 0 && cmp(x, upper(Math.min(1, Math.max(0, wild - 1)))) < 0;
    default:
      return wild === 0 ? true : wild < 3 ? cmp(x, v) >= 0 && cmp(x, upper(wild - 1)) < 0 : cmp(x, v) === 0;
  }
}

/** Whether `version` satisfies a range (|| of space-joined comparators). */
export function satisfies(version: string, range: string): boolean {
  const x = parse(version).v;
  return range.split('||').some((set) => {
    const comps = set
      .trim()
      .replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    return comps.length === 0 || comps.every((c) => comparator(x, c));
  });
}

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe('engines', () => {
  it('the range matcher reads the forms in use', () => {
    expect(satisfies('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('22.0.0', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('20.19.0', '>=22')).toBe(false);
    expect(satisfies('20.19.0', '18 || 20 || >=22')).toBe(true);
    expect(satisfies('15.0.0', '>=16 || 14 >=14.17')).toBe(false);
    expect(satisfies('14.18.0', '>=16 || 14 >=14.17')).toBe(true);
    expect(satisfies('20.19.0', '>= 10.x')).toBe(true);
    expect(satisfies('20.19.0', '*')).toBe(true);
  });

  const lowerBounds = pkg.engines.node.split('||').map((r) => r.trim().replace(/^(\^|>=)/, ''));
  it(`the package's own range starts at ${lowerBounds.join(', ')}`, () => {
    for (const v of lowerBounds) expect(satisfies(v, pkg.engines.node), v).toBe(true);
  });

  for (const v of lowerBounds) {
    it(`every locked dependency accepts Node ${v}`, () => {
      const bad = Object.entries(lock.packages)
        .filter(([name, p]) => name !== '' && !Array.isArray(p.engines) && p.engines?.node !== undefined)
        .filter(([, p]) => !satisfies(v, (p.engines as { node: string }).node))
        .map(([name, p]) => `${name}@${p.version} needs node ${(p.engines as { node: string }).node}`);
      expect(bad).toEqual([]);
    });
  }
});

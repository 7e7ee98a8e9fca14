/** Locates files shipped with the package, whether running from src/ (tests) or dist/ (CLI). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding xmargin's package.json, searched upward from this module. */
export function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'xmargin')
      return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('xmargin package root not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

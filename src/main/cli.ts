/** Composition root of the `xmargin` command: wires the CLI adapter to the process. */
import { runCli } from '../adapters/cli/run-cli.js';

/** Entry point used by bin/xmargin.js; resolves to the process exit code. */
export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
}

/**
 * `xmargin serve`: the HTTP + WebSocket service (docs/api.md) on an embedded PGlite database in
 * `--data-dir` (default ./.xmargin-data), or on PostgreSQL when `DATABASE_URL` is set.
 *
 * The port: `--port`, else the `XMARGIN_PORT` environment variable, else `PORT`, else 8080
 * (`npm start -- --port 9000` and `XMARGIN_PORT=9000 npm start` both work).
 * Prints the URL it listens on (`--port 0` picks a free port and prints it) and, when it created
 * one, the admin key (once; or set `XMARGIN_ADMIN_KEY`). Serves until SIGINT or SIGTERM, then
 * closes the server and the database. If persisting an operation fails, it logs the error and
 * exits with status 1 (fail-stop: the next start rebuilds the state from the database).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError, requireInput } from '../../core/errors.js';
import { startService } from '../http/start-service.js';
import { findPackageRoot } from '../system/package-root.js';
import type { CliIo } from './run-cli.js';

/** Options of the command, as commander parses them. */
interface ServeOptions {
  port?: string;
  host: string;
  dataDir: string;
  demo?: boolean;
  speed?: string;
  seed: string;
  accounts: string;
}

/**
 * The port to listen on: `--port`, else `XMARGIN_PORT`, else `PORT`, else 8080.
 * @throws InvalidInputError ERR_INVALID_INPUT naming the flag or variable it came from
 */
export function resolvePort(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): number {
  const [field, text] =
    flag !== undefined
      ? ['--port', flag]
      : env.XMARGIN_PORT !== undefined
        ? ['XMARGIN_PORT', env.XMARGIN_PORT]
        : env.PORT !== undefined
          ? ['PORT', env.PORT]
          : ['--port', '8080'];
  const port = Number(text);
  requireInput(
    text.trim() !== '' && Number.isInteger(port) && port >= 0 && port <= 65535,
    field,
    text,
    'must be an integer in [0, 65535]',
  );
  return port;
}

/** Registers `serve` on the program. */
export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description(
      'Run the HTTP + WebSocket API and the dashboard (PGlite in --data-dir, or PostgreSQL via DATABASE_URL)',
    )
    .option('--port <n>', 'TCP port (0 = any free port; default $XMARGIN_PORT, else $PORT, else 8080)')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'PGlite data directory (ignored when DATABASE_URL is set)', './.xmargin-data')
    .option('--demo', 'seed a demo venue and replay real history (first start only)')
    .option('--speed <n>', 'demo: hours of history per hour of wall time (default 3600: one hour per second)')
    .option('--seed <n>', 'demo: seed of the generated accounts', '7')
    .option('--accounts <n>', 'demo: number of generated accounts', '200')
    .action(async (opts: ServeOptions) => {
      const port = resolvePort(opts.port, process.env);
      const speed = opts.speed === undefined ? undefined : Number(opts.speed);
      requireInput(
        speed === undefined || (speed >= 0 && speed < Infinity),
        '--speed',
        opts.speed,
        'must be a number >= 0',
      );
      const seed = Number(opts.seed);
      const accounts = Number(opts.accounts);
      requireInput(Number.isSafeInteger(seed), '--seed', opts.seed, 'must be an integer');
      requireInput(
        Number.isInteger(accounts) && accounts >= 1 && accounts <= 100_000,
        '--accounts',
        opts.accounts,
        'must be an integer in [1, 100000]',
      );
      // A stray rejection in a request's code must not stop the venue (one request is never a kill
      // switch): it is logged; storage failures stop the service through onFatal, as designed.
      process.on('unhandledRejection', (reason) =>
        io.err(
          `xmargin serve: unhandled rejection (logged, still serving): ${(reason as Error)?.stack ?? String(reason)}`,
        ),
      );
      const root = findPackageRoot();
      const databaseUrl = process.env.DATABASE_URL;
      const running = await startService({
        store: databaseUrl ? { databaseUrl } : { dataDir: opts.dataDir },
        ...(opts.demo ? { demo: { seed, accounts } } : {}),
        ...(speed !== undefined ? { speed } : {}),
        ...(process.env.XMARGIN_ADMIN_KEY ? { adminKey: process.env.XMARGIN_ADMIN_KEY } : {}),
        webDir: join(root, 'dist', 'web'),
        version: '0.1.0',
        onFatal: (error) => {
          io.err(
            `xmargin serve: persisting failed, stopping (state is rebuilt from the database on restart): ${(error as Error)?.stack ?? String(error)}`,
          );
          process.exit(1);
        },
      });
      let address: string;
      try {
        address = await running.server.app.listen({ port, host: opts.host });
      } catch (e) {
        await running.close().catch(() => undefined);
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
          throw new InvalidInputError(
            code === 'EADDRNOTAVAIL' ? '--host' : '--port',
            code === 'EADDRNOTAVAIL' ? opts.host : port,
            code === 'EADDRINUSE'
              ? `must be a free port on ${opts.host}; it is in use: stop what holds it, or choose another with --port (0 picks a free one)`
              : code === 'EACCES'
                ? 'must be a port this user may open (ports below 1024 need privileges): choose another with --port'
                : 'must be an address of this machine: choose another with --host',
          );
        throw e;
      }
      const url = new URL(address);
      io.out(
        `xmargin serve: listening on ${address} (port ${url.port}); API ${address}/api/v1, docs ${address}/docs`,
      );
      io.out(
        `xmargin serve: store ${databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${opts.dataDir}`}; restored ${running.restored.subAccounts} sub-accounts and ${running.restored.operations} operations`,
      );
      const heavy = running.server.heavy;
      io.out(
        heavy.pool.workers > 0
          ? `xmargin serve: heavy requests (margin, what-if, risk, builder, optimiser) on ${heavy.pool.workers} worker thread(s); per key ${heavy.limits.costPerSec} work units/s, at most ${heavy.limits.maxQueued} waiting`
          : `xmargin serve: heavy requests run on the event loop: ${heavy.pool.inProcessReason}`,
      );
      if (running.newAdminKey)
        io.out(
          `xmargin serve: admin key (shown once): ${running.newAdminKey}\n  dashboard: ${address}/?key=${running.newAdminKey}`,
        );
      else
        io.out(
          `xmargin serve: dashboard ${address}/?key=<admin key>; the admin key is ` +
            (process.env.XMARGIN_ADMIN_KEY
              ? 'the one in XMARGIN_ADMIN_KEY'
              : 'the one printed on the first start (or start with XMARGIN_ADMIN_KEY=<key> to install another)') +
            `; to reset the demo, stop the server and delete ${databaseUrl ? 'the database' : opts.dataDir}`,
        );
      if (running.replay)
        io.out(
          `xmargin serve: demo replay at ${new Date(running.replay.timeMs()).toISOString()} (window ${new Date(running.replay.fromMs).toISOString()} → ${new Date(running.replay.toMs).toISOString()})`,
        );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          io.out('xmargin serve: shutting down');
          running.close().then(resolve, (e: unknown) => {
            io.err(`xmargin serve: error while closing: ${String(e)}`);
            resolve();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

/**
 * `xmargin models [--card NAME] [--cards FILE] [--json]`: the margin models and presets, or one
 * model's card (what it covers, its coverage, crash and capital figures, its weaknesses) from the
 * cards a backtest wrote (`xmargin backtest --cards FILE`, or its report.json). The default file
 * is docs/model-cards.json, the cards of the shipped full backtest.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import { parseWithSchema } from '../../core/params/parse.js';
import { MARGIN_MODELS } from '../../core/margin/registry.js';
import type { ModelCard } from '../../engine/backtest/index.js';
import { formatModelCard } from '../report/model-cards-html.js';
import { findPackageRoot } from '../system/package-root.js';
import { formatModels } from './margin-commands.js';
import { readJsonFile } from './read-json-file.js';
import type { CliIo } from './run-cli.js';

/** The cards shipped with the package (the full backtest's). */
export const DEFAULT_CARDS_FILE = 'docs/model-cards.json';

const num = z.number();
const nullableNum = z.number().nullable();
const CardSchema = z.object({
  model: z.string().min(1),
  description: z.string(),
  source: z.string(),
  covers: z.string(),
  level: z.object({ measure: z.enum(['es', 'var']), alpha: num, target: num, leverageCap: z.boolean() }),
  coverage: z.object({
    books: num,
    booksPassing: num,
    perBook: z.array(
      z.object({
        book: z.string(),
        exceedances: num,
        observations: num,
        oneSidedP: nullableNum,
        z2P: nullableNum,
        worstLossOverIm: nullableNum,
      }),
    ),
  }),
  crashes: z.array(
    z.object({
      crash: z.string(),
      liquidations: num,
      bankruptcies: num,
      insuranceDrawnUsd: num,
      badDebtUsd: num,
      adlEvents: num,
      error: z.string().nullable(),
    }),
  ),
  capital: z.array(
    z.object({
      book: z.string(),
      meanImUsd: nullableNum,
      vsIsolatedCover: nullableNum,
      vsDeribitPm: nullableNum,
    }),
  ),
  leverageCap: z
    .array(z.object({ asset: z.string(), rate: num, bars: num, exceedances: num, share: num }))
    .nullable(),
  weaknesses: z.array(z.string()),
});
/** A cards document or a backtest report: both carry `cards`. */
const CardsDocSchema = z.object({ cards: z.array(CardSchema) });

/**
 * The card of `model` from a cards document.
 * @throws InvalidInputError ERR_INVALID_INPUT naming --cards (unreadable or not a cards document)
 *         or --card (no card for that model, listing those there are)
 */
export function loadModelCard(model: string, file?: string): ModelCard {
  const path = file ?? join(findPackageRoot(), DEFAULT_CARDS_FILE);
  const doc = parseWithSchema(CardsDocSchema, readJsonFile(path, '--cards'), '--cards') as {
    cards: ModelCard[];
  };
  const card = doc.cards.find((c) => c.model === model);
  if (card === undefined) {
    const known = MARGIN_MODELS.some((m) => m.name === model);
    throw new InvalidInputError(
      '--card',
      model,
      `${known ? 'has no card in' : 'must be a model with a card in'} ${path} (cards: ${doc.cards.map((c) => c.model).join(', ')}); run xmargin backtest --models ${model} --cards FILE`,
    );
  }
  return card;
}

/** Registers `xmargin models` on the program. */
export function registerModelsCommand(program: Command, io: CliIo, setJson: (j: boolean) => void): void {
  program
    .command('models')
    .description('List the margin models and presets, or print one model card (--card NAME)')
    .option('--card <name>', "a model's card: what it covers, coverage, crashes, capital, weaknesses")
    .option('--cards <file>', `cards written by xmargin backtest --cards (default ${DEFAULT_CARDS_FILE})`)
    .option('--json', 'machine-readable output (with --card)')
    .action((opts: { card?: string; cards?: string; json?: boolean }) => {
      setJson(opts.json === true);
      if (opts.card === undefined) {
        if (opts.cards !== undefined) throw new InvalidInputError('--cards', opts.cards, 'needs --card NAME');
        io.out(formatModels());
        return;
      }
      const card = loadModelCard(opts.card, opts.cards);
      io.out(opts.json === true ? JSON.stringify(card) : formatModelCard(card));
    });
}

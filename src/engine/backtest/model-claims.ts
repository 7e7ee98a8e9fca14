/**
 * The written part of each model card (docs/methodology/backtesting.md#model-cards): what the
 * model's requirement covers, and the weaknesses known from its design. The measured part
 * (coverage, crashes, capital) is added by the backtest (model-cards.ts).
 */

/** Claim and known design weaknesses of one model. */
export interface ModelClaim {
  readonly covers: string;
  readonly weaknesses: readonly string[];
}

const RATE_WEAKNESS = [
  'Per-position rates: hedges, spreads and collateral that offsets a position earn no relief (isolated) or only same-instrument netting (cross).',
  'The first tier (2% IM / 1% MM on BTC and ETH below 1M USD) is a 50× leverage cap, not a one-day cover: the one-day backtest fails by design on directional books.',
];

/** Claims by model name; a model not listed gets a generic claim from its description. */
export const MODEL_CLAIMS: Readonly<Record<string, ModelClaim>> = {
  isolated: {
    covers:
      'A leverage cap per position, as perpetual venues run it: tiered rates (BTC/ETH 2% IM, 1% MM up to 1M USD), the standard option margin, each position on its own with its profit locked. It claims no one-day cover; its own claim is a move within the hour, measured on hourly bars with intrabar extremes.',
    weaknesses: RATE_WEAKNESS,
  },
  cross: {
    covers:
      'The same leverage-cap rates summed against one pool of collateral valued with haircuts, P&L netted across positions. Claims no one-day cover (see isolated).',
    weaknesses: RATE_WEAKNESS,
  },
  'isolated-cover': {
    covers:
      'Isolated margin whose tiers and haircuts are recalibrated at every valuation to the 99% one-day move of each asset over its history (daily closes back to 2014), plus the cost of closing the bracket: a one-day cover at 99% per position, without netting. The capital baseline of the hedged books.',
    weaknesses: [
      'No netting: a hedged book pays for both legs.',
      'Options keep the standard option rule (15% of the underlying less OTM, floor 10%), not recalibrated.',
    ],
  },
  portfolio: {
    covers:
      "xmargin's risk matrix: per underlying, spot ±15% (SOL ±25%) in 11 buckets × vol up/none/down, extended moves and skew rotations, combined across underlyings with correlations, contingencies and a joint-stress floor; claims the 99% one-day move within the grid's range.",
    weaknesses: [
      'A fixed grid: it does not widen when the market becomes more volatile, and a move beyond ±15% is only in the dampened extended scenarios.',
    ],
  },
  es: {
    covers:
      'Expected Shortfall 99% of the 24-hour P&L over two years of filtered joint history (FHS), floored by the stress library (2015–2019 from daily closes, each later crash once past) and by the move between two margin checks (BTC ±20%, ETH ±25%, alts by their vol, vols ×1.5 / ×0.7) over the MM fraction; IM falls by at most 10% a day. Claims: 24-hour losses exceed IM with probability at most 0.32% (the VaR-equivalent level of ES 99% under a t(4)), and the ES itself (Acerbi–Szekely Z2).',
    weaknesses: [
      'The move floor makes unhedged books expensive: a BTC perpetual needs at least 25% IM (MM 20%), a short 0.9/1.1 BTC strangle about 17%.',
      'Before 2020 the stress library is daily closes (no intraday path), and alts without data move as β·BTC.',
      'Option vols move by a spot rule before DVOL exists (2021-03); no skew or term structure in the scenarios.',
      'Liquidity add-on from assumed daily volumes (BTC 15B, ETH 8B, SOL 2B USD), not from order books.',
    ],
  },
  var: {
    covers:
      'The es model with Value-at-Risk 99% as the market measure (same scenarios, floors and add-ons); claims a 1% exceedance rate.',
    weaknesses: ['A quantile says nothing about the size of the losses beyond it.'],
  },
  'deribit-pm': {
    covers:
      "Deribit's portfolio margin reproduced from its documentation: ±16% in 9 buckets × vol shocks, the extended table (−66%…+500%, vol up, dampened); the venue's practice for a 99% one-day cover.",
    weaknesses: [
      'A venue preset: its grid does not react to the market; before 2021-03 option vols come from realised vol in the backtest.',
    ],
  },
  'derive-pm2': {
    covers:
      "Derive's PMRM_2 reproduced from its contracts and tests: 33 scenarios with term-scaled vol and skew shocks, basis, option, perp and collateral contingencies.",
    weaknesses: ['Refuses SOL collateral (no SOL feed in the preset): books holding SOL are not observed.'],
  },
};

/** The claim of a model (a generic one from its description when it has no written card). */
export function claimOf(model: string, description: string): ModelClaim {
  return MODEL_CLAIMS[model] ?? { covers: description, weaknesses: [] };
}

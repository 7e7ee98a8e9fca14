/**
 * Named stress scenarios: joint moves of many underlyings at once, from real crashes.
 *
 * Each move is the worst UTC-day close-to-close change in that window, measured on the project's
 * market history (../shared/data README, "Worst moves in the stress windows", Binance perpetual
 * and Yahoo daily closes), rounded to the percent. Assets not listed move by `otherMove`.
 * `volMultiplier` scales every option's vol (crashes raise implied vol: BTC DVOL rose 40–60% in
 * 2021-05 and 2022-11, same source).
 */

/** A joint stress scenario. */
export interface StressScenario {
  readonly id: string;
  readonly label: string;
  /** relative moves per asset symbol */
  readonly moves: Readonly<Record<string, number>>;
  /** relative move of any asset not listed (stablecoins are never moved by it) */
  readonly otherMove: number;
  /** multiplier on every option vol, e.g. 1.5 */
  readonly volMultiplier: number;
}

/** The shipped stresses (sources in the module header). */
export const NAMED_STRESSES: readonly StressScenario[] = [
  {
    id: 'crash-2020-03-12',
    label: 'Black Thursday 2020-03-12 (worst UTC day)',
    moves: { BTC: -0.4, ETH: -0.45, BNB: -0.44, LINK: -0.48, LTC: -0.39 },
    otherMove: -0.45,
    volMultiplier: 1.8,
  },
  {
    id: 'crash-2021-05-19',
    label: '2021-05-19 deleveraging (worst UTC day)',
    moves: { BTC: -0.14, ETH: -0.28, SOL: -0.38, ADA: -0.27, DOGE: -0.31 },
    otherMove: -0.3,
    volMultiplier: 1.5,
  },
  {
    id: 'crash-2022-11-09',
    label: 'FTX collapse 2022-11-09 (worst UTC day)',
    moves: { BTC: -0.14, SOL: -0.51, FTT: -0.75 },
    otherMove: -0.2,
    volMultiplier: 1.4,
  },
  {
    id: 'rally-2x-move',
    label: 'a symmetric upside shock: every volatile asset +30%',
    moves: {},
    otherMove: 0.3,
    volMultiplier: 1.3,
  },
];

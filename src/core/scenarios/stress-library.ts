/**
 * The stress library of the statistical models: named periods whose raw windows (at the model's
 * margin period of risk) form the stressed scenario set (scenarios/historical-scenarios.ts).
 *
 * Point in time: a window enters the set only once it has ended at or before the valuation time,
 * so a crash is in the library from the hour its bar closes, never before. The pre-2020 episodes
 * come from the daily closes spliced before the hourly history (Yahoo BTC-USD and LTC-USD from
 * 2014-09, ETH-USD from 2017-11; assets without data then move by β·BTC, the proxy rule); later
 * crashes from the hourly Binance bars.
 *
 * Each period is the crash and the weeks around it (the worst UTC days by BTC-USD daily
 * close-to-close, measured on the shipped data: 2015-01-14 −23.8%, 2015-08-18 −20.1%,
 * 2017-09-14 −20.8%, 2018-01-16 −18.5%, 2018-02-05 −17.4%, 2018-11-19 −14.4%, 2019-06-27 −15.2%,
 * 2019-07-16 −13.9%, 2019-09-24 −12.1%; later crashes: docs/methodology/market-history.md).
 * A window belongs to a period when its end time t satisfies fromMs < t ≤ toMs.
 */
import type { StressPeriod } from './historical-scenarios.js';

const d = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** A stress period with a label for reports. */
export interface NamedStressPeriod extends StressPeriod {
  readonly label: string;
}

/** The shipped stress library (module header), oldest first. */
export const STRESS_LIBRARY: readonly NamedStressPeriod[] = [
  {
    id: 'btc-2015-01',
    label: 'January 2015 (BTC −24% on 01-14)',
    fromMs: d('2015-01-01'),
    toMs: d('2015-02-01'),
  },
  {
    id: 'btc-2015-08',
    label: 'August 2015 (BTC −20% on 08-18)',
    fromMs: d('2015-08-12'),
    toMs: d('2015-09-01'),
  },
  {
    id: 'china-2017-09',
    label: 'September 2017 (BTC −21% on 09-14)',
    fromMs: d('2017-09-01'),
    toMs: d('2017-10-01'),
  },
  {
    id: 'crash-2018-01',
    label: 'January–February 2018 (BTC −19% on 01-16, −17% on 02-05)',
    fromMs: d('2018-01-10'),
    toMs: d('2018-02-12'),
  },
  {
    id: 'bch-2018-11',
    label: 'November 2018 (BTC −14% on 11-19)',
    fromMs: d('2018-11-12'),
    toMs: d('2018-12-08'),
  },
  {
    id: 'reversal-2019-06',
    label: 'June–July 2019 (BTC −15% on 06-27, −14% on 07-16)',
    fromMs: d('2019-06-24'),
    toMs: d('2019-07-20'),
  },
  {
    id: 'bakkt-2019-09',
    label: 'September 2019 (BTC −12% on 09-24)',
    fromMs: d('2019-09-20'),
    toMs: d('2019-10-01'),
  },
  { id: 'covid-2020-03', label: 'Black Thursday 2020-03-12', fromMs: d('2020-03-08'), toMs: d('2020-03-20') },
  {
    id: 'deleveraging-2021-05',
    label: 'May 2021 deleveraging',
    fromMs: d('2021-05-12'),
    toMs: d('2021-05-25'),
  },
  { id: 'luna-2022-05', label: 'LUNA/UST 2022-05', fromMs: d('2022-05-05'), toMs: d('2022-05-20') },
  { id: 'celsius-3ac-2022-06', label: 'Celsius/3AC 2022-06', fromMs: d('2022-06-10'), toMs: d('2022-06-20') },
  { id: 'ftx-2022-11', label: 'FTX 2022-11', fromMs: d('2022-11-06'), toMs: d('2022-11-15') },
  { id: 'usdc-2023-03', label: 'USDC depeg 2023-03', fromMs: d('2023-03-09'), toMs: d('2023-03-14') },
  {
    id: 'yen-carry-2024-08',
    label: 'Yen carry unwind 2024-08',
    fromMs: d('2024-08-02'),
    toMs: d('2024-08-08'),
  },
  {
    id: 'cascade-2025-10',
    label: 'Liquidation cascade 2025-10-10',
    fromMs: d('2025-10-09'),
    toMs: d('2025-10-13'),
  },
];

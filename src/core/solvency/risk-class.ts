/**
 * @module solvency/risk-class
 *
 * Risk classes of a solvency epoch. Margin modes differ in how far their maintenance margin (MM)
 * covers a scenario move (a portfolio margin covers the whole maintenance grid, a 50x perpetual
 * under a rate-based mode about 1%), so each class has its own published severity: the share of
 * every published scenario loss that the MM of each account of the class covers (severity 1000 =
 * all of it). A class's severity is public; which class an account is in stays private (the
 * owner sees it in the opening of their leaf).
 */

/** The classes, in circuit order (index = the leaf's `class`). */
export const RISK_CLASSES = ['scenario', 'statistical', 'rate', 'other'] as const;
/** A risk class. */
export type RiskClass = (typeof RISK_CLASSES)[number];

const CLASS_OF_MODE: Readonly<Record<string, RiskClass>> = {
  portfolio: 'scenario',
  'deribit-pm': 'scenario',
  'derive-pm2': 'scenario',
  es: 'statistical',
  var: 'statistical',
  isolated: 'rate',
  cross: 'rate',
  'deribit-sm': 'rate',
  'derive-srm': 'rate',
  dydx: 'rate',
  drift: 'rate',
};

/** The class of a margin mode (a registry model name); unknown modes are `other`. */
export function riskClassOf(mode: string): RiskClass {
  return CLASS_OF_MODE[mode] ?? 'other';
}

/** The class's index in the circuit. */
export function riskClassIndex(c: RiskClass): number {
  return RISK_CLASSES.indexOf(c);
}

/**
 * Severities tried by `auto`, strongest first (thousandths): the epoch publishes, per class, the
 * strongest one that every account of the class meets (0 = no scenario claim, MM only).
 */
export const SEVERITY_LADDER: readonly number[] = [1000, 750, 500, 250, 100, 50, 25, 10, 0];

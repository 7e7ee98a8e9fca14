import { describe, it, expect } from 'vitest';
import * as ledger from './index.js';

describe('ledger public surface', () => {
  it('exports exactly the documented runtime API', () => {
    // Types (Asset, Amount, RoundingMode, FormatDecimalOptions) vanish at run time.
    expect(Object.keys(ledger).sort()).toEqual(
      [
        'ASSET_SYMBOL_PATTERN',
        'AssetRegistry',
        'MAX_DECIMALS',
        'ROUNDING_MODES',
        'addAmounts',
        'allocate',
        'allocateAmount',
        'amountOf',
        'compareAmounts',
        'creditToUnits',
        'defineAsset',
        'divideCeil',
        'divideDown',
        'divideFloor',
        'divideHalfDown',
        'divideHalfEven',
        'divideHalfUp',
        'divideRounded',
        'divideUp',
        'formatAmount',
        'formatDecimal',
        'fromUnits',
        'isRoundingMode',
        'isSameAsset',
        'isZero',
        'liquidationSizeToUnits',
        'negateAmount',
        'parseAmount',
        'parseDecimal',
        'requirementToUnits',
        'scaleAmount',
        'subtractAmounts',
        'sumAmounts',
        'toUnits',
      ].sort(),
    );
  });

  it('composes end to end: parse, convert, allocate, format', () => {
    const usdc = new ledger.AssetRegistry([ledger.defineAsset('USDC', 6)]).getAsset('USDC');
    const balance = ledger.parseAmount(usdc, '100.000001');
    // A requirement of 1/3 USD, rounded up: ⌈333333.33…⌉ = 333334 units.
    const fee = ledger.amountOf(usdc, ledger.requirementToUnits(1 / 3, usdc.decimals));
    expect(fee.units).toBe(333_334n);
    const after = ledger.subtractAmounts(balance, fee);
    expect(ledger.formatAmount(after)).toBe('99.666667'); // 100_000_001 − 333_334 = 99_666_667
    const split = ledger.allocateAmount(fee, [1n, 1n]);
    expect(ledger.sumAmounts(usdc, split).units).toBe(fee.units);
  });
});

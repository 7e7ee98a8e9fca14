/**
 * Input documents of `xmargin price` and `xmargin iv`, validated at the edge with zod.
 *
 *   price: {"options":[{"type":"call"|"put","forward":F,"strike":K,"tYears":t,"vol":σ,"rate":r?}]}
 *   iv:    {"options":[{"type":"call"|"put","forward":F,"strike":K,"tYears":t,"price":p,"rate":r?}]}
 *
 * `rate` is continuously compounded, default 0. `tYears` is years to expiry, ≥ 0 (0 = at expiry,
 * priced at intrinsic). Unknown fields are errors. The vol bound (500% unless --allow-high-vol)
 * is checked by the command (core/portfolio/plausibility.ts).
 */
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const positive = finite.refine((x) => x > 0, { message: 'must be > 0' });

const Common = {
  type: z.enum(['call', 'put']),
  forward: positive,
  strike: positive,
  tYears: finite.refine((x) => x >= 0, { message: 'must be >= 0 (years to expiry; 0 = at expiry)' }),
  rate: finite.optional(),
};

/** One option to price. */
export const PriceRowSchema = z.strictObject({
  ...Common,
  vol: finite.refine((x) => x >= 0, { message: 'must be >= 0' }),
});
/** One option price to invert. */
export const IvRowSchema = z.strictObject({ ...Common, tYears: positive, price: finite });

export const PriceFileSchema = z.strictObject({ options: z.array(PriceRowSchema).min(1) });
export const IvFileSchema = z.strictObject({ options: z.array(IvRowSchema).min(1) });

export type PriceRow = z.output<typeof PriceRowSchema>;
export type IvRow = z.output<typeof IvRowSchema>;

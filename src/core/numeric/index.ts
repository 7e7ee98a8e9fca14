/**
 * @module numeric
 *
 * Numerical building blocks of the pure core: the normal distribution to full double precision
 * (Cody's erfc), safeguarded root finding (Brent), named tolerances and the one float
 * comparison (`approxEqual`), and ACT/365 year fractions. Everything here is float64; exact
 * amounts live in `ledger`. No function reads a clock or a random source.
 */
export { erf, erfc, normCdf, normPdf, normSf } from './normal.js';
export { findRoot, type FindRootOptions, type FindRootResult } from './find-root.js';
export { approxEqual, TOL, type Tolerance } from './tolerances.js';
export { MS_PER_DAY, MS_PER_YEAR, yearFraction } from './year-fraction.js';

/**
 * @module adapters/http/text-rules
 *
 * The boundary's text rule, shared with the CLI's files: see core/params/text-rules.ts.
 */
export { findUnstorable, identifier, safeText, textProblem } from '../../core/params/text-rules.js';

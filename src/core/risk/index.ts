/**
 * @module risk
 *
 * Risk arrays (P&L per unit of each instrument and collateral asset in each scenario, computed
 * once per market update) and the portfolio aggregation kernel over them. P&L positive = gain.
 */
export { buildRiskArrays, collateralKey, type RiskArrays, type RevaluationParams } from './risk-arrays.js';
export { aggregateScenarioPnl, aggregateScenarioPnlReference, findWorstScenario } from './aggregate.js';
export { buildStressArrays, type StressArrays } from './stress-arrays.js';
export { buildJointRiskArrays, type JointRiskArrays } from './historical-risk-arrays.js';
export { estimateHistoryCorrelation, type HistoryCorrelation } from './history-correlation.js';

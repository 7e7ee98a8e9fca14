pragma circom 2.1.6;
// The shipped size: 48 rows x 96 scenarios, tree depth 16 (65,536 accounts), 4 risk classes.
include "compliance.circom";
component main {public [epochTag, rootHash, totalEquity, totalMm, accountCount, leafIndex, severity, riskArrays]} = Compliance(48, 96, 16, 4);

pragma circom 2.1.6;
// The shipped size: 48 rows x 96 scenarios, tree depth 20 (1,048,576 accounts), 4 risk classes.
include "compliance.circom";
component main {public [epochTag, rootHash, totalEquity, totalMm, accountCount, leafIndex, severity, riskArrays]} = Compliance(48, 96, 20, 4);

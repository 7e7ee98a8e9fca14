pragma circom 2.1.6;
// The test size: 4 rows x 4 scenarios, tree depth 3 (8 accounts), 4 risk classes.
include "compliance.circom";
component main {public [epochTag, rootHash, totalEquity, totalMm, accountCount, leafIndex, severity, riskArrays]} = Compliance(4, 4, 3, 4);

pragma circom 2.1.6;

// Margin-compliance proof of one account of a solvency epoch (docs/methodology/solvency-proofs.md).
//
// Public: the epoch tag; the Merkle sum tree's root (hash and totals: equity, maintenance margin,
// account count); the leaf index; the scan severity of each risk class; the epoch's risk arrays
// (USD per unit of each row in each scenario, fixed point).
// Private: the leaf (salted id hash, equity, maintenance margin, class, quantities and their salt)
// and its Merkle path (sibling hashes and sums).
//
// Proven:
//   1. the leaf, bound to the epoch, sits at `leafIndex` under the public root, every sibling sum
//      of its path is in range (non-negative, no field overflow), and the totals are the root's;
//   2. 0 <= MM <= equity < 2^VALUE_BITS (the account meets its margin);
//   3. for every scenario s: MM * Q_SCALE * SEVERITY_SCALE + severity[class] * pnl[s] >= 0 with
//      pnl[s] = sum_r q[r] * riskArrays[r][s], i.e. MM covers the class's share of the loss in every
//      published scenario, and so does the equity.
// The verifier checks off-circuit that |riskArrays| < 2^RA_BITS and severity <= SEVERITY_SCALE.

include "../node_modules/circomlib/circuits/poseidon.circom";
include "../node_modules/circomlib/circuits/bitify.circom";

// Fixed-point layout (src/core/solvency/fixed-point.ts holds the same numbers).
function VALUE_BITS() { return 56; }     // equity, MM: micro-USD, < 2^56
function Q_BITS() { return 50; }         // quantities: signed micro-units, |q| < 2^49
function RA_BITS() { return 40; }        // risk arrays: signed micro-USD per unit, |ra| < 2^40
function Q_SCALE() { return 1000000; }   // quantity units per contract or asset unit
function SEVERITY_SCALE() { return 1000; }
function SEVERITY_BITS() { return 10; }
function SUM_SLOT() { return 88; }       // bits per sum in a node's packed sums
function QUANTITIES_PER_WORD() { return 5; }

function ceilLog2(n) {
    var r = 0;
    var x = 1;
    while (x < n) { x = x * 2; r++; }
    return r;
}

// Node sums packed into one field element: equity + mm * 2^88 + count * 2^176 (each < 2^88).
function packSums(e, m, c) { return e + m * (1 << SUM_SLOT()) + c * (1 << (2 * SUM_SLOT())); }

template Compliance(ROWS, SCENARIOS, DEPTH, CLASSES) {
    // Public.
    signal input epochTag;
    signal input rootHash;
    signal input totalEquity;
    signal input totalMm;
    signal input accountCount;
    signal input leafIndex;
    signal input severity[CLASSES];
    signal input riskArrays[ROWS][SCENARIOS];
    // Private: the leaf.
    signal input idHash;
    signal input equity;
    signal input mm;
    signal input class;
    signal input quantities[ROWS];
    signal input positionSalt;
    // Private: the path, leaf to root.
    signal input siblingHash[DEPTH];
    signal input siblingEquity[DEPTH];
    signal input siblingMm[DEPTH];
    signal input siblingCount[DEPTH];

    // 2. Ranges and the margin rule.
    component eqBits = Num2Bits(VALUE_BITS());
    eqBits.in <== equity;
    component mmBits = Num2Bits(VALUE_BITS());
    mmBits.in <== mm;
    component marginBits = Num2Bits(VALUE_BITS());
    marginBits.in <== equity - mm;

    // The class, one-hot, and its severity.
    signal isClass[CLASSES];
    signal severityTerm[CLASSES];
    var classSum = 0;
    var classIndex = 0;
    var classSeverity = 0;
    for (var c = 0; c < CLASSES; c++) {
        isClass[c] <-- class == c ? 1 : 0;
        isClass[c] * (isClass[c] - 1) === 0;
        classSum += isClass[c];
        classIndex += c * isClass[c];
        severityTerm[c] <== isClass[c] * severity[c];
        classSeverity += severityTerm[c];
    }
    classSum === 1;
    classIndex === class;

    // Quantities: signed, |q| < 2^(Q_BITS-1), committed with their salt.
    component qBits[ROWS];
    var WORDS = (ROWS + QUANTITIES_PER_WORD() - 1) \ QUANTITIES_PER_WORD();
    var packed[WORDS];
    for (var w = 0; w < WORDS; w++) packed[w] = 0;
    for (var r = 0; r < ROWS; r++) {
        qBits[r] = Num2Bits(Q_BITS());
        qBits[r].in <== quantities[r] + (1 << (Q_BITS() - 1));
        var slot = r % QUANTITIES_PER_WORD();
        packed[r \ QUANTITIES_PER_WORD()] += (quantities[r] + (1 << (Q_BITS() - 1))) * (1 << (slot * Q_BITS()));
    }
    component positions = Poseidon(WORDS + 1);
    for (var w = 0; w < WORDS; w++) positions.inputs[w] <== packed[w];
    positions.inputs[WORDS] <== positionSalt;

    // 1. The leaf and its path.
    component leaf = Poseidon(6);
    leaf.inputs[0] <== epochTag;
    leaf.inputs[1] <== idHash;
    leaf.inputs[2] <== equity;
    leaf.inputs[3] <== mm;
    leaf.inputs[4] <== class;
    leaf.inputs[5] <== positions.out;

    component indexBits = Num2Bits(DEPTH);
    indexBits.in <== leafIndex;
    component sibE[DEPTH];
    component sibM[DEPTH];
    component sibC[DEPTH];
    component node[DEPTH];
    signal hash[DEPTH + 1];
    signal sums[DEPTH + 1];
    signal leftHash[DEPTH];
    signal leftSums[DEPTH];
    var e = equity;
    var m = mm;
    var n = 1;
    hash[0] <== leaf.out;
    sums[0] <== packSums(equity, mm, 1);
    for (var l = 0; l < DEPTH; l++) {
        // A subtree of 2^l leaves: sums < 2^(VALUE_BITS + l), count <= 2^l.
        sibE[l] = Num2Bits(VALUE_BITS() + l);
        sibE[l].in <== siblingEquity[l];
        sibM[l] = Num2Bits(VALUE_BITS() + l);
        sibM[l].in <== siblingMm[l];
        sibC[l] = Num2Bits(l + 1);
        sibC[l].in <== siblingCount[l];
        var sibSums = packSums(siblingEquity[l], siblingMm[l], siblingCount[l]);
        // bit 0: this node is the left child.
        leftHash[l] <== hash[l] + indexBits.out[l] * (siblingHash[l] - hash[l]);
        leftSums[l] <== sums[l] + indexBits.out[l] * (sibSums - sums[l]);
        node[l] = Poseidon(4);
        node[l].inputs[0] <== leftHash[l];
        node[l].inputs[1] <== leftSums[l];
        node[l].inputs[2] <== hash[l] + siblingHash[l] - leftHash[l];
        node[l].inputs[3] <== sums[l] + sibSums - leftSums[l];
        hash[l + 1] <== node[l].out;
        e += siblingEquity[l];
        m += siblingMm[l];
        n += siblingCount[l];
        sums[l + 1] <== packSums(e, m, n);
    }
    rootHash === hash[DEPTH];
    totalEquity === e;
    totalMm === m;
    accountCount === n;

    // 3. Every scenario: MM covers the class's share of the loss.
    var X_BITS = Q_BITS() - 1 + RA_BITS() + ceilLog2(ROWS) + SEVERITY_BITS() + 1;
    signal product[ROWS][SCENARIOS];
    signal scaledPnl[SCENARIOS];
    component cover[SCENARIOS];
    for (var s = 0; s < SCENARIOS; s++) {
        var pnl = 0;
        for (var r = 0; r < ROWS; r++) {
            product[r][s] <== quantities[r] * riskArrays[r][s];
            pnl += product[r][s];
        }
        scaledPnl[s] <== classSeverity * pnl;
        cover[s] = Num2Bits(X_BITS);
        cover[s].in <== mm * Q_SCALE() * SEVERITY_SCALE() + scaledPnl[s];
    }
}

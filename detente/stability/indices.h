// Stability indices over a pair of postures: the Kent & Thaler first-strike
// stability index (RAND R-3765, 1989, as described in
// ../shared/data/stability_reference.md §2.2 — a secondary description,
// UNCERTAIN until checked against the report) and simple balance measures.
//
// Kent & Thaler, as implemented (docs/stability.md §4):
//  * Value damage from w arriving warheads: D(w) = 1 - exp(-w ln 5 / w80),
//    w80 the arriving warheads that destroy 80% of a side's value. This
//    curve is the secondary tool's substitute, NOT Kent & Thaler's
//    hand-drawn one; w80 is a named parameter per side.
//  * Cost to side X: C_X = D_X^a + k (1 - D_Y^b), a = b = 0.75, k = 0.3.
//  * Side X striking first spends w counterforce warheads (the greedy plan
//    of exchange.h, any w from 0 to the whole plan), the rest on value; the
//    victim retaliates with its survivors. X stops at the w minimising its
//    own cost; among w within `tie_tolerance` of that minimum it takes the
//    one with the highest victim cost (then the smallest w).
//  * C1_X: X's cost when X strikes first; C2_X: X's cost when struck first
//    (the other side stopping by the same rule). Ratio r_X = C1_X / C2_X,
//    capped at 1 (if C2_X = 0 the ratio is 1). Index = r_A * r_B, in [0, 1];
//    1 is most stable.
//
// Everything is a pure function of its inputs; thread-safe.
#ifndef DETENTE_STABILITY_INDICES_H_
#define DETENTE_STABILITY_INDICES_H_

#include <cstdint>

#include "detente/base/result.h"
#include "detente/stability/exchange.h"
#include "detente/stability/weapons.h"

namespace detente::stability {

struct KentThalerOptions {
  ExchangeOptions exchange;
  // Arriving warheads that destroy 80% of side A's (B's) value. No sourced
  // figure exists in the reference: notional defaults, to be set by the
  // analyst (docs/stability.md).
  double w80_a = 300.0;
  double w80_b = 300.0;
  double own_damage_exponent = 0.75;    // a
  double enemy_damage_exponent = 0.75;  // b
  double enemy_damage_weight = 0.3;     // k
  double tie_tolerance = 1e-9;
  bool cap_ratios = true;
};

// D(w) = 1 - exp(-w ln 5 / w80).
double ValueDamage(double arriving_warheads, double w80);

// The first strike of one side, stopped by Kent & Thaler's rule.
struct FirstStrike {
  int64_t stop_warheads = 0;  // counterforce warheads used
  int64_t max_warheads = 0;   // the whole greedy plan
  ExchangeOutcome outcome;
  double damage_to_striker = 0.0;  // D of the striker's value
  double damage_to_victim = 0.0;
  double striker_cost = 0.0;
  double victim_cost = 0.0;
};

struct KentThalerResult {
  FirstStrike a_strikes;  // A first
  FirstStrike b_strikes;  // B first
  double c1_a = 0.0, c2_a = 0.0, c1_b = 0.0, c2_b = 0.0;
  double ratio_a = 0.0, ratio_b = 0.0;  // break-even chances
  double index = 0.0;
};

// The stop-rule first strike of `striker` on `victim`, with the striker's
// value curve w80_striker and the victim's w80_victim.
Result<FirstStrike> StopRuleFirstStrike(const Posture& striker,
                                        const Posture& victim,
                                        double w80_striker, double w80_victim,
                                        const KentThalerOptions& options);

Result<KentThalerResult> KentThalerIndex(const Posture& a, const Posture& b,
                                         const KentThalerOptions& options);

// Balance measures for "is this pair of postures balanced?": each side as
// victim of the other's full counterforce strike (the whole greedy plan).
struct SideBalance {
  int64_t warheads = 0;  // the side's total
  // After the other side's full counterforce first strike:
  double surviving = 0.0;  // its warheads left
  double arriving = 0.0;   // its retaliating warheads that arrive
  // As the striker of a full counterforce first strike:
  double residual = 0.0;  // pool warheads not used on counterforce, plus
                          // those withheld
  // Arriving warheads of an all-out strike on value, struck by nobody.
  double arriving_unstruck = 0.0;
  // Schelling's "penalty for waiting" in arriving warheads:
  // arriving_unstruck - arriving.
  double penalty_for_waiting = 0.0;
  // residual when striking first minus the other's surviving: positive
  // means the side is left with more than its victim.
  double first_strike_advantage = 0.0;
};

struct Balance {
  SideBalance a;
  SideBalance b;
  // Schelling-style instability (D1 - D2)(d1 - d2), in arriving warheads
  // squared (reference §2.3).
  double instability = 0.0;
};

Result<Balance> BalanceMeasures(const Posture& a, const Posture& b,
                                const ExchangeOptions& options);

}  // namespace detente::stability

#endif  // DETENTE_STABILITY_INDICES_H_

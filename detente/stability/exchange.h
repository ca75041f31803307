// Exchange model: a counterforce first strike by one side (the striker) on
// the other's (the victim's) targetable forces, the victim's survivors, its
// retaliation, and what the striker has left — as an expected value
// (analytic) and, in monte_carlo.h, by simulation of the same model.
//
// The model (docs/stability.md §3):
//  * Targets are aim points: each silo; and, for road-mobile, submarine and
//    bomber forces, the launchers that are NOT on alert (the posture's alert
//    level), grouped `launchers_per_aim_point` to an aim point (garrisons,
//    boats in port, bomber bases). Launchers on alert are untargetable.
//  * The striker's pool: all warheads of its silo forces and
//    `striker_survivable_use` of the rest. Counterforce-eligible warheads
//    (ballistic missiles; bombers only if `bombers_in_counterforce`) are
//    used most lethal first (K = Y^(2/3) / CEP^2, descending).
//  * Allocation is greedy on marginal kill: each warhead goes to the aim
//    point where it adds most expected victim warheads destroyed,
//    value_i * (S_i before - S_i after), never past
//    `max_warheads_per_aim_point`; ties go to the lower aim-point index.
//    The allocation stops when the eligible warheads run out or no aim point
//    gains more than `min_marginal_kill`. The greedy order is nested: the
//    strike with w warheads is the first w assignments of the plan, which
//    is what Kent & Thaler's stop rule needs.
//  * An aim point killed loses every warhead on it; launch under attack (if
//    on) saves `launch_under_attack_fraction` of the silo warheads first.
//  * The victim's survivors all retaliate against the striker's value;
//    a warhead arrives with reliability x penetration of the striker's
//    defences. The striker's pool warheads not spent on counterforce go
//    against the victim's value likewise.
//
// Plans and outcomes are values; the functions are pure and thread-safe.
#ifndef DETENTE_STABILITY_EXCHANGE_H_
#define DETENTE_STABILITY_EXCHANGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/stability/damage.h"
#include "detente/stability/weapons.h"

namespace detente::stability {

// Every assumption of the exchange model, with its default and where it
// comes from (docs/stability.md §Parameters).
struct ExchangeOptions {
  // LR = c * Y^(1/3) / H^(1/3), nmi, Mt, psi (reference §1.1).
  double lethal_radius_constant = kLethalRadiusConstant;
  // Cap on warheads per aim point. Notional: two per silo is the common
  // "2-on-1" laydown; not a sourced figure.
  int max_warheads_per_aim_point = 2;
  // Stop when no aim point gains more than this many expected warheads.
  double min_marginal_kill = 0.0;
  // Off by default; reference §1.4 rule when on.
  Fratricide fratricide;
  // Layers the striker's warheads must pass over the victim, and layers the
  // victim's retaliation must pass over the striker. Empty: no defences.
  std::vector<DefenceLayer> victim_defences;
  std::vector<DefenceLayer> striker_defences;
  // Share of its non-silo (survivable) warheads the striker commits, Kent &
  // Thaler p. 34 as quoted by a secondary source (reference §2.2,
  // UNCERTAIN): 0.9. Silo warheads are committed in full.
  double striker_survivable_use = 0.9;
  // Bombers are slow: by default they join only the strike on value.
  bool bombers_in_counterforce = false;
  // Launch under attack by the victim, saving this share of its silo
  // warheads (Kent & Thaler p. 35 n. 4 via reference §2.2: 0.9).
  bool victim_launch_under_attack = false;
  double launch_under_attack_fraction = 0.9;
  // When set, replaces the victim posture's own alert level.
  std::optional<AlertLevel> victim_alert;
};

// Checks ranges (probabilities in [0, 1], cap >= 1, positive constant).
Status ValidateExchangeOptions(const ExchangeOptions& options);

struct AimPoint {
  size_t force = 0;  // index in the victim posture's forces
  double hardness_psi = 0.0;
  int64_t launchers = 0;
  int64_t warheads = 0;  // value: warheads lost if the aim point is killed
  bool silo = false;
  double victim_reliability = 0.0;  // of the warheads here, when retaliating
};

// One kind of warhead in the striker's pool.
struct WarheadType {
  size_t force = 0;  // index in the striker posture's forces
  std::string system;
  double yield_kt = 0.0;
  double cep_m = 0.0;
  double reliability = 0.0;
  double arrive = 0.0;  // reliability x penetration of the victim's defences
  int64_t count = 0;    // warheads of this type in the pool
  bool counterforce = false;
};

struct Assignment {
  size_t aim_point = 0;
  size_t type = 0;         // index in StrikePlan::types
  double sspk = 0.0;       // against that aim point's hardness
  double clear = 1.0;      // fratricide clear-skies probability of this shot
  double destroyed = 0.0;  // marginal expected victim warheads destroyed
};

// Victim warheads on launchers on alert (untargetable), per force.
struct UntargetableGroup {
  size_t force = 0;
  int64_t warheads = 0;
  double reliability = 0.0;
};

struct StrikePlan {
  std::vector<AimPoint> aim_points;
  std::vector<WarheadType> types;       // counterforce-eligible first, by K
  std::vector<Assignment> assignments;  // greedy order
  int64_t striker_pool = 0;             // warheads committed by the striker
  int64_t striker_withheld = 0;         // survivable warheads not committed
  int64_t victim_warheads = 0;          // all the victim's warheads
  // The victim's warheads on untargetable (alert) launchers, and the
  // expected number of them that arrive when retaliating.
  int64_t victim_untargetable = 0;
  std::vector<UntargetableGroup> untargetable;
  double victim_untargetable_arriving = 0.0;
  double victim_penetration = 1.0;  // of the striker's defences
  ExchangeOptions options;
};

// Builds the greedy plan of `striker` against `victim`. InvalidArgument for
// an invalid posture or options.
Result<StrikePlan> PlanCounterforce(const Posture& striker,
                                    const Posture& victim,
                                    const ExchangeOptions& options);

// The expected outcome of using the first `counterforce_warheads`
// assignments of a plan.
struct ExchangeOutcome {
  int64_t counterforce_warheads = 0;
  double victim_destroyed = 0.0;   // expected victim warheads destroyed
  double victim_surviving = 0.0;   // victim_warheads - destroyed
  double victim_arriving = 0.0;    // retaliating warheads arriving
  double striker_remaining = 0.0;  // pool warheads left for value
  double striker_arriving = 0.0;   // of those, expected to arrive
  double striker_withheld = 0.0;   // not committed at all
};

// REQUIRES: 0 <= counterforce_warheads <= plan.assignments.size().
ExchangeOutcome ExpectedOutcome(const StrikePlan& plan,
                                int64_t counterforce_warheads);

// ExpectedOutcome for every w in 0..assignments.size(), in one pass.
std::vector<ExchangeOutcome> ExpectedCurve(const StrikePlan& plan);

// Per aim point, the probability it survives the first `w` assignments.
std::vector<double> AimPointSurvival(const StrikePlan& plan, int64_t w);

}  // namespace detente::stability

#endif  // DETENTE_STABILITY_EXCHANGE_H_

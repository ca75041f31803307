// Damage model: the closed-form probabilities of the counterforce
// literature (docs/stability.md §1; ../shared/data/stability_reference.md
// §1). Lethal radius from yield and hardness, single-shot kill probability
// from a circular normal miss, terminal kill with reliability, several
// warheads on one aim point (optionally with fratricide), and layered
// defences.
//
// Units: yield in kilotons at the interface (converted to megatons inside
// the lethal-radius rule), hardness in psi, CEP and lethal radius in metres
// unless a name says nmi. All functions are pure and thread-safe; inputs are
// validated by the loaders (weapons.h), so these REQUIRE valid ranges
// (positive yield, hardness and CEP; probabilities in [0, 1]).
#ifndef DETENTE_STABILITY_DAMAGE_H_
#define DETENTE_STABILITY_DAMAGE_H_

#include <span>

namespace detente::stability {

// The lethal-radius constant c in LR[nmi] = c * Y[Mt]^(1/3) / H[psi]^(1/3),
// as used by Lieber & Press 2006 (through the Tecott & Halterman
// replication) and jimjkelly/missile-defense. Its provenance in the primary
// literature is unverified (reference §1.1, §6.2): keep it a parameter.
inline constexpr double kLethalRadiusConstant = 2.62;
// International nautical mile in metres.
inline constexpr double kMetresPerNauticalMile = 1852.0;

// LR in nautical miles: c * cbrt(yield_mt) / cbrt(hardness_psi).
double LethalRadiusNmi(double yield_mt, double hardness_psi,
                       double constant = kLethalRadiusConstant);

// LR in metres for a yield in kilotons: 1852 * LethalRadiusNmi(kt/1000, H).
double LethalRadiusMetres(double yield_kt, double hardness_psi,
                          double constant = kLethalRadiusConstant);

// Single-shot kill probability: the chance that a circular bivariate normal
// miss with this CEP lands within the lethal radius,
// 1 - 0.5^((LR/CEP)^2). (Per-axis sigma = CEP / sqrt(ln 4).)
double SingleShotKill(double lethal_radius_m, double cep_m);

// SingleShotKill(LethalRadiusMetres(yield_kt, hardness_psi, c), cep_m).
double SingleShotKillFor(double yield_kt, double cep_m, double hardness_psi,
                         double constant = kLethalRadiusConstant);

// The per-axis standard deviation of a circular normal miss with this CEP:
// CEP / sqrt(ln 4).
double SigmaFromCep(double cep_m);

// Terminal kill probability: sspk * reliability.
double TerminalKill(double sspk, double reliability);

// One layer of defence: each attacking warhead is tracked with probability
// `tracking`, then engaged by `interceptors` independent interceptors each
// killing it with probability `interceptor_sspk`.
struct DefenceLayer {
  int interceptors = 0;
  double tracking = 0.0;
  double interceptor_sspk = 0.0;
};

// The probability that a layer stops one warhead:
// tracking * (1 - (1 - interceptor_sspk)^interceptors).
double LayerStopProbability(const DefenceLayer& layer);

// The probability that a warhead passes every layer: prod_k (1 - D_k); 1
// with no layers.
double Penetration(std::span<const DefenceLayer> layers);

// The probability that one warhead destroys its target:
// terminal_kill * Penetration(layers) (jimjkelly's PW).
double WarheadSuccess(double terminal_kill,
                      std::span<const DefenceLayer> layers);

// The probability that none of the warheads succeeds: prod_i (1 - pw_i)
// (jimjkelly's P0).
double ProbabilityNoneSucceed(std::span<const double> warhead_success);

// The probability that at least one of n identical independent warheads
// succeeds: 1 - (1 - pw)^n.
double KillProbability(double warhead_success, int n);

// Fratricide: a warhead that arrives and misses may raise a debris cloud
// that destroys a later warhead on the same aim point. The rule is the one
// the Lieber & Press replication uses (reference §1.4): the first
// `free_warheads` shots are unaffected; a later shot i flies through clear
// skies with probability
//   clear_i = prod_{j < i} (1 - cloud_probability * arrive_j * (1 - sspk_j)),
// and kills with probability clear_i * arrive_i * sspk_i. See
// docs/stability.md for how this differs from the replication's code.
struct Fratricide {
  bool enabled = false;
  int free_warheads = 2;
  double cloud_probability = 0.75;
};

// One warhead aimed at the point: the chance it arrives (reliability times
// defence penetration) and its single-shot kill probability if it does.
struct Shot {
  double arrive = 1.0;
  double sspk = 0.0;
};

// The probability that shot `index` of `shots` flies through clear skies
// (1 for the free shots and whenever fratricide is disabled).
double ClearSkies(std::span<const Shot> shots, size_t index,
                  const Fratricide& fratricide);

// The probability that the aim point survives every shot, in order:
// prod_i (1 - ClearSkies(i) * arrive_i * sspk_i).
double SurvivalProbability(std::span<const Shot> shots,
                           const Fratricide& fratricide);

}  // namespace detente::stability

#endif  // DETENTE_STABILITY_DAMAGE_H_

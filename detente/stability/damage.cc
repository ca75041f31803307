#include "detente/stability/damage.h"

#include <cmath>
#include <numbers>

namespace detente::stability {

double LethalRadiusNmi(double yield_mt, double hardness_psi, double constant) {
  return constant * std::cbrt(yield_mt) / std::cbrt(hardness_psi);
}

double LethalRadiusMetres(double yield_kt, double hardness_psi,
                          double constant) {
  return kMetresPerNauticalMile *
         LethalRadiusNmi(yield_kt / 1000.0, hardness_psi, constant);
}

double SingleShotKill(double lethal_radius_m, double cep_m) {
  double ratio = lethal_radius_m / cep_m;
  return 1.0 - std::pow(0.5, ratio * ratio);
}

double SingleShotKillFor(double yield_kt, double cep_m, double hardness_psi,
                         double constant) {
  return SingleShotKill(LethalRadiusMetres(yield_kt, hardness_psi, constant),
                        cep_m);
}

double SigmaFromCep(double cep_m) { return cep_m / std::sqrt(std::log(4.0)); }

double TerminalKill(double sspk, double reliability) {
  return sspk * reliability;
}

double LayerStopProbability(const DefenceLayer& layer) {
  return layer.tracking *
         (1.0 - std::pow(1.0 - layer.interceptor_sspk, layer.interceptors));
}

double Penetration(std::span<const DefenceLayer> layers) {
  double p = 1.0;
  for (const DefenceLayer& layer : layers)
    p *= 1.0 - LayerStopProbability(layer);
  return p;
}

double WarheadSuccess(double terminal_kill,
                      std::span<const DefenceLayer> layers) {
  return terminal_kill * Penetration(layers);
}

double ProbabilityNoneSucceed(std::span<const double> warhead_success) {
  double p = 1.0;
  for (double pw : warhead_success) p *= 1.0 - pw;
  return p;
}

double KillProbability(double warhead_success, int n) {
  return 1.0 - std::pow(1.0 - warhead_success, n);
}

double ClearSkies(std::span<const Shot> shots, size_t index,
                  const Fratricide& fratricide) {
  if (!fratricide.enabled) return 1.0;
  if (fratricide.free_warheads > 0 &&
      index < static_cast<size_t>(fratricide.free_warheads)) {
    return 1.0;
  }
  double clear = 1.0;
  for (size_t j = 0; j < index && j < shots.size(); ++j) {
    clear *= 1.0 - fratricide.cloud_probability * shots[j].arrive *
                       (1.0 - shots[j].sspk);
  }
  return clear;
}

double SurvivalProbability(std::span<const Shot> shots,
                           const Fratricide& fratricide) {
  double survive = 1.0;
  for (size_t i = 0; i < shots.size(); ++i) {
    survive *= 1.0 - ClearSkies(shots, i, fratricide) * shots[i].arrive *
                         shots[i].sspk;
  }
  return survive;
}

}  // namespace detente::stability

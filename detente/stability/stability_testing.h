// Helpers for the stability tests: systems and postures built in code.
#ifndef DETENTE_STABILITY_STABILITY_TESTING_H_
#define DETENTE_STABILITY_STABILITY_TESTING_H_

#include <string>
#include <utility>
#include <vector>

#include "detente/stability/weapons.h"

namespace detente::stability::testing {

inline WeaponSystem System(std::string id, Basing basing, int per_missile,
                           double yield_kt, double cep_m, double reliability,
                           double hardness_psi, double alert_day_to_day = 0.0,
                           double alert_generated = 0.0,
                           int per_aim_point = 1) {
  WeaponSystem s;
  s.id = std::move(id);
  s.name = s.id;
  s.side = "test";
  s.basing = basing;
  s.warheads_per_missile = per_missile;
  s.yield_kt = yield_kt;
  s.cep_m = cep_m;
  s.reliability = reliability;
  s.hardness_psi = hardness_psi;
  s.alert_day_to_day = alert_day_to_day;
  s.alert_generated = alert_generated;
  s.launchers_per_aim_point = per_aim_point;
  return s;
}

inline Posture MakePosture(
    std::string id,
    std::vector<std::pair<WeaponSystem, std::pair<int64_t, int64_t>>> forces,
    AlertLevel alert = AlertLevel::kDayToDay) {
  Posture p;
  p.id = std::move(id);
  p.name = p.id;
  p.side = p.id;
  p.alert = alert;
  for (auto& [system, counts] : forces) {
    Force f;
    f.system = std::move(system);
    f.launchers = counts.first;
    f.warheads = counts.second;
    p.forces.push_back(std::move(f));
  }
  return p;
}

}  // namespace detente::stability::testing

#endif  // DETENTE_STABILITY_STABILITY_TESTING_H_

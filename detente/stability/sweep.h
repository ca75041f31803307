// Parameter sweeps: a grid of postures and assumptions, read from a TOML
// file (docs/stability.md §6), each point evaluated with the Kent & Thaler
// index, the balance measures and optionally a Monte Carlo of side A's
// full counterforce strike on side B.
//
// A sweep file names two postures (side A and side B), the exchange and
// index options, and one or more axes; the grid is the cartesian product of
// the axes' values in file order, the last axis varying fastest. Each axis
// changes one parameter of one side or both: `warhead_limit`,
// `mirv_loading`, `alert_rate`, `silo_hardness`, `cep_m`, `yield_kt`,
// `reliability`. Changes apply to a copy of the postures in axis order.
//
// A point is a pure function of the spec and its index, so any partition of
// the points (threads here, MPI ranks in the CLI) gives identical rows: the
// engine has no MPI in it (stability depends on base only); a caller that
// distributes points gathers the rows and orders them by index.
//
// SweepSpec is a value; EvaluatePoint and RunSweep are thread-safe and
// RunSweep owns its threads. The progress callback is called under a lock,
// from whichever thread finished a point.
#ifndef DETENTE_STABILITY_SWEEP_H_
#define DETENTE_STABILITY_SWEEP_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/stability/indices.h"
#include "detente/stability/weapons.h"

namespace detente::stability {

// Persistent (the `parameter` of an axis in sweep files): do not rename.
enum class SweepParameter {
  kWarheadLimit,  // "warhead_limit": the side's total warheads
  kMirvLoading,   // "mirv_loading": warheads per missile of MIRVed systems
  kAlertRate,     // "alert_rate": share of non-silo launchers on alert
  kSiloHardness,  // "silo_hardness": psi of silo launchers
  kCep,           // "cep_m"
  kYield,         // "yield_kt"
  kReliability,   // "reliability"
};
std::string_view SweepParameterName(SweepParameter p);

struct SweepAxis {
  std::string name;  // column name; default parameter[_a|_b][.system]
  SweepParameter parameter = SweepParameter::kWarheadLimit;
  bool side_a = true;  // applies to side A's posture
  bool side_b = true;
  std::string system;  // only this system ("" = every system it fits)
  std::vector<double> values;
  int line = 0;  // of the [[axis]] table in the file
};

struct SweepSpec {
  std::string file;  // path as given
  std::string text;  // the file's bytes, recorded in outputs
  std::string name;
  std::string posture_a_ref, posture_b_ref;  // as written
  Posture a, b;                              // as loaded
  KentThalerOptions options;
  std::vector<SweepAxis> axes;
  int64_t mc_trials = 0;  // 0: no Monte Carlo per point
  uint64_t seed = 0;

  // The number of points: the product of the axes' sizes.
  int64_t Points() const;
  // The value index on each axis of point `point`, last axis fastest.
  std::vector<size_t> Coordinates(int64_t point) const;
};

// Loads a sweep file. Postures are looked up by id in `postures_dir`
// (`<dir>/<id>.toml`) or, if the value contains '/' or ends in ".toml", as
// a path relative to the sweep file's directory; their systems come from
// `catalog`. Every error is reported, one a line, as
// `file:line:column: field: what` (e.g. `axis[1].values: no values`).
Result<SweepSpec> LoadSweepFile(const std::string& path,
                                const WeaponCatalog& catalog,
                                const std::string& postures_dir);
Result<SweepSpec> LoadSweepString(std::string_view toml_text,
                                  const std::string& file_name,
                                  const WeaponCatalog& catalog,
                                  const std::string& postures_dir);

// The postures of one point: the spec's, with every axis applied in order.
// warhead_limit apportions the limit over the side's forces in proportion
// to their warheads (largest remainder, ties to the earlier force), never
// past a force's capacity (launchers x loading): the excess goes to the
// others, and a limit above the total capacity leaves every force full.
Result<std::pair<Posture, Posture>> PointPostures(const SweepSpec& spec,
                                                  int64_t point);

// The column names of a row, in order: "point", one per axis, then the
// measures (docs/stability.md §6 lists them).
std::vector<std::string> SweepColumns(const SweepSpec& spec);

// One point's row, aligned with SweepColumns. Integers are exact doubles.
Result<std::vector<double>> EvaluatePoint(const SweepSpec& spec, int64_t point);

struct SweepRunOptions {
  int threads = 1;  // >= 1; does not change the rows
  // Evaluate only these points (all when empty), in any order.
  std::vector<int64_t> points;
  // Called with (points done, points to do) after each point.
  std::function<void(int64_t, int64_t)> progress;
};

// The rows of the requested points, in the order of `options.points` (or
// of the points). The first error by point order wins.
Result<std::vector<std::vector<double>>> RunSweep(
    const SweepSpec& spec, const SweepRunOptions& options);

}  // namespace detente::stability

#endif  // DETENTE_STABILITY_SWEEP_H_

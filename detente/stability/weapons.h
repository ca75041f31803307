// Weapons and postures: the data the exchange model runs on.
//
// A WeaponSystem is one delivery system with one warhead type (Minuteman III
// with the W78, Trident II with the W76-1, ...): its basing, loading, yield,
// CEP, reliability, the hardness of its launchers when they are attacked,
// the share of launchers on alert (untargetable) day to day and when
// generated, and how many launchers share one aim point. Every figure
// carries its provenance: a source, or the mark `notional`.
// A Posture is one side's forces: launchers and warheads per system, and the
// alert level they are in.
//
// Files (docs/stability.md §Data): data/weapons/*.toml, data/postures/*.toml
// and data/assumptions/*.toml. The loaders are strict, report every problem
// in one run, each as `file:line:column: field: what is wrong`, and keep
// toml++ behind this interface.
//
// Everything here is a value: catalogues and postures own their data and may
// be shared read-only between threads. The functions are thread-safe.
#ifndef DETENTE_STABILITY_WEAPONS_H_
#define DETENTE_STABILITY_WEAPONS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/status.h"

namespace detente::stability {

// Persistent (appears in data files and output): do not change the names.
enum class Basing {
  kSilo,        // "silo": fixed, hardened, always targetable
  kRoadMobile,  // "road_mobile": targetable in garrison (off alert)
  kSubmarine,   // "submarine": targetable in port (off alert)
  kBomber,      // "bomber": targetable on its base (off alert)
};
std::string_view BasingName(Basing basing);

// Persistent: "day_to_day" or "generated".
enum class AlertLevel { kDayToDay, kGenerated };
std::string_view AlertLevelName(AlertLevel level);

// Where a figure comes from: a source text, or notional (an assumption made
// here, with a note saying why that value).
struct Provenance {
  std::string source;
  bool notional = false;
  std::string note;
};

struct WeaponSystem {
  std::string id;    // [a-z][a-z0-9_]*, unique in a catalogue
  std::string name;  // human-readable
  std::string side;  // e.g. "US", "Russia"
  Basing basing = Basing::kSilo;
  int warheads_per_missile = 1;  // full loading of one launcher
  double yield_kt = 0.0;
  double cep_m = 0.0;
  double reliability = 0.0;       // launch-to-arrival, in [0, 1]
  double hardness_psi = 0.0;      // of a launcher (or its base) when attacked
  double alert_day_to_day = 0.0;  // share of launchers untargetable, [0, 1]
  double alert_generated = 0.0;
  int launchers_per_aim_point = 1;  // 1 for silos; boats, bases, garrisons
  // Field name ("yield_kt", ...) -> its provenance.
  std::map<std::string, Provenance> provenance;
  std::string file;  // where it was defined ("" if built in code)
  int line = 0;

  double AlertRate(AlertLevel level) const {
    return level == AlertLevel::kGenerated ? alert_generated : alert_day_to_day;
  }
};

// Checks a system built in code against the loader's rules (positive yield,
// CEP and hardness, probabilities in [0, 1], positive loading). The message
// names `where` and the field.
Status ValidateSystem(const WeaponSystem& system, std::string_view where);

// An ordered set of systems, unique by id.
class WeaponCatalog {
 public:
  // AlreadyExists naming both definitions if the id is taken.
  Status Add(WeaponSystem system);
  // nullptr when absent; the pointer borrows from the catalogue.
  const WeaponSystem* Find(std::string_view id) const;
  const std::vector<WeaponSystem>& systems() const { return systems_; }

 private:
  std::vector<WeaponSystem> systems_;
};

// One system in a posture. `system` is a copy, so a posture stands alone.
struct Force {
  WeaponSystem system;
  int64_t launchers = 0;  // deployed launchers (missiles, or bombers)
  int64_t warheads = 0;   // warheads on them
  Provenance launchers_provenance;
  Provenance warheads_provenance;
};

struct Posture {
  std::string id;  // the file stem, or chosen by the caller
  std::string name;
  std::string side;
  AlertLevel alert = AlertLevel::kDayToDay;
  std::vector<Force> forces;
  Provenance provenance;  // of the posture as a whole
  std::string file;

  int64_t TotalLaunchers() const;
  int64_t TotalWarheads() const;
};

// Checks a posture built in code: at least one force with launchers, no
// negative counts, warheads <= launchers * warheads_per_missile, each system
// valid.
Status ValidatePosture(const Posture& posture);

// Loads one weapons file ([[system]] tables). NotFound / IOError name the
// path; a bad file is InvalidArgument listing every error, one a line.
Result<WeaponCatalog> LoadWeaponsFile(const std::string& path);
Result<WeaponCatalog> LoadWeaponsString(std::string_view toml_text,
                                        std::string_view file_name);
// Every *.toml in `dir`, in name order, into one catalogue (ids unique
// across files).
Result<WeaponCatalog> LoadWeaponsDir(const std::string& dir);

// Loads a posture; its systems are looked up in `catalog` (an unknown one is
// an error naming the file, line and field). The id is the file stem.
Result<Posture> LoadPostureFile(const std::string& path,
                                const WeaponCatalog& catalog);
Result<Posture> LoadPostureString(std::string_view toml_text,
                                  std::string_view file_name,
                                  const WeaponCatalog& catalog);

// ---------------------------------------------------------------------------
// Postures from treaty aggregates.
//
// The treaty database counts deployed launchers and warheads per category
// (ICBM, SLBM, heavy bomber); the exchange model needs systems. An
// AssumptionSet says, per category, which systems make it up and in what
// shares; everything the aggregates do not say (yield, CEP, hardness,
// alert, the split between systems) comes from it and its systems'
// provenance. Stability never reads the registry: the caller passes plain
// numbers.

// Persistent: "icbm", "slbm", "heavy_bomber".
enum class Category { kIcbm, kSlbm, kHeavyBomber };
std::string_view CategoryName(Category category);

struct CategoryAggregate {
  Category category = Category::kIcbm;
  int64_t deployed_launchers = 0;
  int64_t deployed_warheads = 0;
};

struct AssumptionShare {
  std::string system;  // id in the catalogue
  double share = 0.0;  // of the category's launchers and warheads
};

struct AssumptionSet {
  std::string id;  // the file stem
  std::string side;
  std::string description;
  std::map<Category, std::vector<AssumptionShare>> categories;
  Provenance shares_provenance;
  std::string file;
};

// data/assumptions/*.toml; systems are checked against `catalog`, shares in
// a category must be non-negative and sum to 1 (within 1e-9).
Result<AssumptionSet> LoadAssumptionsFile(const std::string& path,
                                          const WeaponCatalog& catalog);
Result<AssumptionSet> LoadAssumptionsString(std::string_view toml_text,
                                            std::string_view file_name,
                                            const WeaponCatalog& catalog);

// The posture whose forces are the aggregates split over the assumption
// set's systems: launchers and warheads of a category are apportioned by
// share with the largest-remainder rule (ties to the earlier system), so the
// totals equal the aggregates exactly. Errors: a category in the aggregates
// that the set does not cover, negative counts, warheads a system cannot
// carry (more than launchers * warheads_per_missile), an empty result.
Result<Posture> PostureFromAggregates(
    std::string_view id, std::string_view side,
    const std::vector<CategoryAggregate>& aggregates,
    const AssumptionSet& assumptions, const WeaponCatalog& catalog,
    AlertLevel alert);

}  // namespace detente::stability

#endif  // DETENTE_STABILITY_WEAPONS_H_

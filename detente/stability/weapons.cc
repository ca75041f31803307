#include "detente/stability/weapons.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "fmt/format.h"
#include "toml++/toml.h"

namespace detente::stability {

std::string_view BasingName(Basing basing) {
  switch (basing) {
    case Basing::kSilo:
      return "silo";
    case Basing::kRoadMobile:
      return "road_mobile";
    case Basing::kSubmarine:
      return "submarine";
    case Basing::kBomber:
      return "bomber";
  }
  return "?";
}

std::string_view AlertLevelName(AlertLevel level) {
  return level == AlertLevel::kGenerated ? "generated" : "day_to_day";
}

std::string_view CategoryName(Category category) {
  switch (category) {
    case Category::kIcbm:
      return "icbm";
    case Category::kSlbm:
      return "slbm";
    case Category::kHeavyBomber:
      return "heavy_bomber";
  }
  return "?";
}

namespace {

std::optional<Basing> ParseBasing(std::string_view s) {
  for (Basing b : {Basing::kSilo, Basing::kRoadMobile, Basing::kSubmarine,
                   Basing::kBomber}) {
    if (BasingName(b) == s) return b;
  }
  return std::nullopt;
}

std::optional<Category> ParseCategory(std::string_view s) {
  for (Category c :
       {Category::kIcbm, Category::kSlbm, Category::kHeavyBomber}) {
    if (CategoryName(c) == s) return c;
  }
  return std::nullopt;
}

std::optional<AlertLevel> ParseAlert(std::string_view s) {
  if (s == "day_to_day") return AlertLevel::kDayToDay;
  if (s == "generated") return AlertLevel::kGenerated;
  return std::nullopt;
}

bool IsId(std::string_view s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Collects errors as "file:line:column: field: message".
class Errors {
 public:
  explicit Errors(std::string file) : file_(std::move(file)) {}

  void Add(const toml::source_region& where, std::string_view field,
           std::string_view message) {
    list_.push_back(fmt::format("{}:{}:{}: {}: {}", file_, where.begin.line,
                                where.begin.column, field, message));
  }
  bool empty() const { return list_.empty(); }
  const std::string& file() const { return file_; }
  Status ToStatus() const {
    std::string joined;
    for (const std::string& e : list_) {
      if (!joined.empty()) joined += '\n';
      joined += e;
    }
    return Status::InvalidArgument(joined);
  }

 private:
  std::string file_;
  std::vector<std::string> list_;
};

// Reads the keys of one table, remembering which were used so that unknown
// keys are reported.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, Errors* errors)
      : table_(table), path_(std::move(path)), errors_(errors) {}

  std::string Field(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
  }

  const toml::node* Get(std::string_view key, bool required) {
    used_.emplace_back(key);
    const toml::node* n = table_.get(key);
    if (n == nullptr && required) {
      errors_->Add(table_.source(), Field(key), "missing");
    }
    return n;
  }

  std::optional<std::string> String(std::string_view key, bool required) {
    const toml::node* n = Get(key, required);
    if (n == nullptr) return std::nullopt;
    if (!n->is_string()) {
      errors_->Add(n->source(), Field(key), "expected a string");
      return std::nullopt;
    }
    return std::string(n->as_string()->get());
  }

  std::optional<int64_t> Integer(std::string_view key, bool required) {
    const toml::node* n = Get(key, required);
    if (n == nullptr) return std::nullopt;
    if (!n->is_integer()) {
      errors_->Add(n->source(), Field(key), "expected an integer");
      return std::nullopt;
    }
    return n->as_integer()->get();
  }

  // A number (integer or float) with its provenance: either a bare number
  // is refused, or a table {value, source | notional, note}.
  std::optional<std::pair<double, Provenance>> Figure(
      std::string_view key, const toml::node** value_node) {
    const toml::node* n = Get(key, true);
    if (n == nullptr) return std::nullopt;
    std::string field = Field(key);
    if (!n->is_table()) {
      errors_->Add(n->source(), field,
                   "expected a table { value = ..., source = \"...\" } or "
                   "{ value = ..., notional = true, note = \"...\" }");
      return std::nullopt;
    }
    TableReader r(*n->as_table(), field, errors_);
    const toml::node* v = r.Get("value", true);
    std::optional<std::string> source = r.String("source", false);
    std::optional<std::string> note = r.String("note", false);
    const toml::node* notional = r.Get("notional", false);
    r.RejectUnknown();
    Provenance p;
    if (notional != nullptr) {
      if (!notional->is_boolean() || !notional->as_boolean()->get()) {
        errors_->Add(notional->source(), r.Field("notional"),
                     "must be true when present");
      } else {
        p.notional = true;
      }
    }
    if (source) p.source = *source;
    if (note) p.note = *note;
    if (p.notional && !p.source.empty()) {
      errors_->Add(n->source(), field,
                   "a figure is either sourced or notional, not both");
    } else if (!p.notional && p.source.empty()) {
      errors_->Add(n->source(), field,
                   "has neither a source nor notional = true");
    }
    if (v == nullptr) return std::nullopt;
    if (value_node != nullptr) *value_node = v;
    if (v->is_integer()) {
      return std::make_pair(static_cast<double>(v->as_integer()->get()), p);
    }
    if (v->is_floating_point()) {
      double d = v->as_floating_point()->get();
      if (!std::isfinite(d)) {
        errors_->Add(v->source(), r.Field("value"), "must be finite");
        return std::nullopt;
      }
      return std::make_pair(d, p);
    }
    errors_->Add(v->source(), r.Field("value"), "expected a number");
    return std::nullopt;
  }

  void RejectUnknown() {
    for (const auto& [k, node] : table_) {
      if (std::find(used_.begin(), used_.end(), k.str()) != used_.end())
        continue;
      errors_->Add(k.source(), Field(k.str()), "unknown field");
    }
  }

 private:
  const toml::table& table_;
  std::string path_;
  Errors* errors_;
  std::vector<std::string> used_;
};

Result<toml::table> Parse(std::string_view text, const std::string& file) {
  try {
    return toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(
        fmt::format("{}:{}:{}: {}", file, e.source().begin.line,
                    e.source().begin.column, e.description()));
  }
}

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound(fmt::format("{}: no such file", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(fmt::format("{}: cannot read", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError(fmt::format("{}: cannot read", path));
  return ss.str();
}

std::string Stem(std::string_view file_name) {
  return std::filesystem::path(std::string(file_name)).stem().string();
}

// Range checks shared by the loader (with a source location) and
// ValidateSystem (with a name): nullopt when fine, else the message.
std::optional<std::string> CheckField(std::string_view field, double v) {
  if (field == "yield_kt" || field == "cep_m" || field == "hardness_psi") {
    if (!(v > 0.0)) return fmt::format("must be > 0 (got {})", v);
  } else if (field == "reliability" || field == "alert_day_to_day" ||
             field == "alert_generated") {
    if (!(v >= 0.0 && v <= 1.0))
      return fmt::format("must be in [0, 1] (got {})", v);
  } else if (field == "warheads_per_missile" ||
             field == "launchers_per_aim_point") {
    if (!(v >= 1.0) || v != std::floor(v) || v > 1e6)
      return fmt::format("must be a positive integer (got {})", v);
  }
  return std::nullopt;
}

constexpr const char* kFigureFields[] = {"warheads_per_missile",
                                         "yield_kt",
                                         "cep_m",
                                         "reliability",
                                         "hardness_psi",
                                         "alert_day_to_day",
                                         "alert_generated",
                                         "launchers_per_aim_point"};

double* FigureSlot(WeaponSystem& s, std::string_view field) {
  static double dummy = 0;
  if (field == "yield_kt") return &s.yield_kt;
  if (field == "cep_m") return &s.cep_m;
  if (field == "reliability") return &s.reliability;
  if (field == "hardness_psi") return &s.hardness_psi;
  if (field == "alert_day_to_day") return &s.alert_day_to_day;
  if (field == "alert_generated") return &s.alert_generated;
  return &dummy;
}

double FigureValue(const WeaponSystem& s, std::string_view field) {
  if (field == "warheads_per_missile") return s.warheads_per_missile;
  if (field == "launchers_per_aim_point") return s.launchers_per_aim_point;
  return *FigureSlot(const_cast<WeaponSystem&>(s), field);
}

Status LoadWeaponsInto(std::string_view text, const std::string& file,
                       WeaponCatalog* catalog) {
  DETENTE_ASSIGN_OR_RETURN(toml::table root, Parse(text, file));
  Errors errors(file);
  TableReader top(root, "", &errors);
  const toml::node* systems = top.Get("system", true);
  top.RejectUnknown();
  if (systems != nullptr && !systems->is_array_of_tables()) {
    errors.Add(systems->source(), "system",
               "expected an array of tables ([[system]])");
    systems = nullptr;
  }
  std::vector<WeaponSystem> loaded;
  if (systems != nullptr) {
    const toml::array& arr = *systems->as_array();
    if (arr.empty()) errors.Add(systems->source(), "system", "is empty");
    for (size_t i = 0; i < arr.size(); ++i) {
      const toml::table& t = *arr[i].as_table();
      std::string path = fmt::format("system[{}]", i);
      TableReader r(t, path, &errors);
      WeaponSystem s;
      s.file = file;
      s.line = static_cast<int>(t.source().begin.line);
      bool ok = true;
      if (auto id = r.String("id", true)) {
        if (!IsId(*id)) {
          errors.Add(t.get("id")->source(), r.Field("id"),
                     fmt::format("\"{}\" is not a lower-case id", *id));
          ok = false;
        }
        s.id = *id;
      } else {
        ok = false;
      }
      s.name = r.String("name", true).value_or("");
      s.side = r.String("side", true).value_or("");
      if (auto basing = r.String("basing", true)) {
        if (auto b = ParseBasing(*basing)) {
          s.basing = *b;
        } else {
          errors.Add(t.get("basing")->source(), r.Field("basing"),
                     fmt::format("unknown basing \"{}\" (silo, road_mobile, "
                                 "submarine, bomber)",
                                 *basing));
          ok = false;
        }
      } else {
        ok = false;
      }
      for (const char* field : kFigureFields) {
        const toml::node* value_node = nullptr;
        auto fig = r.Figure(field, &value_node);
        if (!fig) {
          ok = false;
          continue;
        }
        if (auto bad = CheckField(field, fig->first)) {
          errors.Add(value_node->source(), r.Field(field), *bad);
          ok = false;
          continue;
        }
        if (std::string_view(field) == "warheads_per_missile") {
          s.warheads_per_missile = static_cast<int>(fig->first);
        } else if (std::string_view(field) == "launchers_per_aim_point") {
          s.launchers_per_aim_point = static_cast<int>(fig->first);
        } else {
          *FigureSlot(s, field) = fig->first;
        }
        s.provenance[field] = fig->second;
      }
      r.RejectUnknown();
      if (ok && s.basing == Basing::kSilo && s.launchers_per_aim_point != 1) {
        errors.Add(t.source(), r.Field("launchers_per_aim_point"),
                   "must be 1 for a silo-based system (one silo, one aim "
                   "point)");
        ok = false;
      }
      if (ok) loaded.push_back(std::move(s));
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  for (WeaponSystem& s : loaded)
    DETENTE_RETURN_IF_ERROR(catalog->Add(std::move(s)));
  return Status::Ok();
}

}  // namespace

Status ValidateSystem(const WeaponSystem& system, std::string_view where) {
  if (!IsId(system.id)) {
    return Status::InvalidArgument(
        fmt::format("{}: id: \"{}\" is not a lower-case id", where, system.id));
  }
  for (const char* field : kFigureFields) {
    if (auto bad = CheckField(field, FigureValue(system, field))) {
      return Status::InvalidArgument(
          fmt::format("{}: {}.{}: {}", where, system.id, field, *bad));
    }
  }
  return Status::Ok();
}

Status WeaponCatalog::Add(WeaponSystem system) {
  if (const WeaponSystem* old = Find(system.id)) {
    return Status::AlreadyExists(
        fmt::format("{}:{}: system \"{}\" is already defined at {}:{}",
                    system.file, system.line, system.id, old->file, old->line));
  }
  systems_.push_back(std::move(system));
  return Status::Ok();
}

const WeaponSystem* WeaponCatalog::Find(std::string_view id) const {
  for (const WeaponSystem& s : systems_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

int64_t Posture::TotalLaunchers() const {
  int64_t n = 0;
  for (const Force& f : forces) n += f.launchers;
  return n;
}

int64_t Posture::TotalWarheads() const {
  int64_t n = 0;
  for (const Force& f : forces) n += f.warheads;
  return n;
}

Status ValidatePosture(const Posture& posture) {
  std::string where = posture.file.empty() ? posture.id : posture.file;
  if (posture.forces.empty() || posture.TotalLaunchers() <= 0) {
    return Status::InvalidArgument(
        fmt::format("{}: force: the posture is empty", where));
  }
  for (size_t i = 0; i < posture.forces.size(); ++i) {
    const Force& f = posture.forces[i];
    std::string field = fmt::format("{}: force[{}]", where, i);
    DETENTE_RETURN_IF_ERROR(ValidateSystem(f.system, field));
    if (f.launchers < 0 || f.warheads < 0) {
      return Status::InvalidArgument(
          fmt::format("{}: launchers and warheads must be >= 0", field));
    }
    if (f.warheads > f.launchers * f.system.warheads_per_missile) {
      return Status::InvalidArgument(fmt::format(
          "{}.warheads: {} warheads exceed {} launchers x {} per missile",
          field, f.warheads, f.launchers, f.system.warheads_per_missile));
    }
  }
  return Status::Ok();
}

Result<WeaponCatalog> LoadWeaponsString(std::string_view toml_text,
                                        std::string_view file_name) {
  WeaponCatalog catalog;
  DETENTE_RETURN_IF_ERROR(
      LoadWeaponsInto(toml_text, std::string(file_name), &catalog));
  return catalog;
}

Result<WeaponCatalog> LoadWeaponsFile(const std::string& path) {
  DETENTE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return LoadWeaponsString(text, path);
}

Result<WeaponCatalog> LoadWeaponsDir(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::NotFound(fmt::format("{}: no such directory", dir));
  }
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".toml") files.push_back(e.path().string());
  }
  if (ec) return Status::IOError(fmt::format("{}: {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    return Status::NotFound(fmt::format("{}: no *.toml weapons files", dir));
  }
  WeaponCatalog catalog;
  for (const std::string& f : files) {
    DETENTE_ASSIGN_OR_RETURN(std::string text, ReadFile(f));
    DETENTE_RETURN_IF_ERROR(LoadWeaponsInto(text, f, &catalog));
  }
  return catalog;
}

Result<Posture> LoadPostureString(std::string_view toml_text,
                                  std::string_view file_name,
                                  const WeaponCatalog& catalog) {
  std::string file(file_name);
  DETENTE_ASSIGN_OR_RETURN(toml::table root, Parse(toml_text, file));
  Errors errors(file);
  TableReader top(root, "", &errors);
  Posture p;
  p.id = Stem(file_name);
  p.file = file;
  p.name = top.String("name", true).value_or("");
  p.side = top.String("side", true).value_or("");
  if (auto alert = top.String("alert", true)) {
    if (auto a = ParseAlert(*alert)) {
      p.alert = *a;
    } else {
      errors.Add(root.get("alert")->source(), "alert",
                 fmt::format("unknown alert level \"{}\" (day_to_day, "
                             "generated)",
                             *alert));
    }
  }
  p.provenance.source = top.String("source", false).value_or("");
  p.provenance.note = top.String("note", false).value_or("");
  if (const toml::node* n = top.Get("notional", false)) {
    if (!n->is_boolean()) {
      errors.Add(n->source(), "notional", "expected a boolean");
    } else {
      p.provenance.notional = n->as_boolean()->get();
    }
  }
  const toml::node* forces = top.Get("force", false);
  top.RejectUnknown();
  if (forces == nullptr ||
      (forces->is_array() && forces->as_array()->empty())) {
    errors.Add(forces != nullptr ? forces->source() : root.source(), "force",
               "the posture is empty: it needs at least one [[force]]");
  } else if (!forces->is_array_of_tables()) {
    errors.Add(forces->source(), "force",
               "expected an array of tables ([[force]])");
  } else {
    const toml::array& arr = *forces->as_array();
    for (size_t i = 0; i < arr.size(); ++i) {
      const toml::table& t = *arr[i].as_table();
      TableReader r(t, fmt::format("force[{}]", i), &errors);
      Force f;
      bool ok = true;
      if (auto id = r.String("system", true)) {
        if (const WeaponSystem* s = catalog.Find(*id)) {
          f.system = *s;
        } else {
          errors.Add(t.get("system")->source(), r.Field("system"),
                     fmt::format("unknown system \"{}\"", *id));
          ok = false;
        }
      } else {
        ok = false;
      }
      const toml::node* ln = nullptr;
      const toml::node* wn = nullptr;
      auto launchers = r.Figure("launchers", &ln);
      auto warheads = r.Figure("warheads", &wn);
      r.RejectUnknown();
      auto count = [&](const std::optional<std::pair<double, Provenance>>& v,
                       const toml::node* node, std::string_view key,
                       int64_t* out, Provenance* prov) {
        if (!v) return false;
        if (v->first < 0 || v->first != std::floor(v->first) ||
            v->first > 1e9) {
          errors.Add(
              node->source(), r.Field(key) + ".value",
              fmt::format("must be a non-negative integer (got {})", v->first));
          return false;
        }
        *out = static_cast<int64_t>(v->first);
        *prov = v->second;
        return true;
      };
      ok = count(launchers, ln, "launchers", &f.launchers,
                 &f.launchers_provenance) &&
           ok;
      ok = count(warheads, wn, "warheads", &f.warheads,
                 &f.warheads_provenance) &&
           ok;
      if (ok && f.warheads > f.launchers * f.system.warheads_per_missile) {
        errors.Add(wn->source(), r.Field("warheads"),
                   fmt::format("{} warheads exceed {} launchers x {} per "
                               "missile of {}",
                               f.warheads, f.launchers,
                               f.system.warheads_per_missile, f.system.id));
        ok = false;
      }
      if (ok) p.forces.push_back(std::move(f));
    }
    if (errors.empty() && p.TotalLaunchers() == 0) {
      errors.Add(forces->source(), "force",
                 "the posture is empty: every force has 0 launchers");
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return p;
}

Result<Posture> LoadPostureFile(const std::string& path,
                                const WeaponCatalog& catalog) {
  DETENTE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return LoadPostureString(text, path, catalog);
}

Result<AssumptionSet> LoadAssumptionsString(std::string_view toml_text,
                                            std::string_view file_name,
                                            const WeaponCatalog& catalog) {
  std::string file(file_name);
  DETENTE_ASSIGN_OR_RETURN(toml::table root, Parse(toml_text, file));
  Errors errors(file);
  TableReader top(root, "", &errors);
  AssumptionSet set;
  set.id = Stem(file_name);
  set.file = file;
  set.side = top.String("side", true).value_or("");
  set.description = top.String("description", true).value_or("");
  set.shares_provenance.source = top.String("source", false).value_or("");
  set.shares_provenance.note = top.String("note", false).value_or("");
  if (const toml::node* n = top.Get("notional", false)) {
    set.shares_provenance.notional = n->is_boolean() && n->as_boolean()->get();
  }
  if (set.shares_provenance.source.empty() && !set.shares_provenance.notional) {
    errors.Add(root.source(), "source",
               "the shares have neither a source nor notional = true");
  }
  const toml::node* cats = top.Get("category", true);
  top.RejectUnknown();
  if (cats != nullptr && !cats->is_array_of_tables()) {
    errors.Add(cats->source(), "category",
               "expected an array of tables ([[category]])");
  } else if (cats != nullptr) {
    const toml::array& arr = *cats->as_array();
    for (size_t i = 0; i < arr.size(); ++i) {
      const toml::table& t = *arr[i].as_table();
      TableReader r(t, fmt::format("category[{}]", i), &errors);
      std::optional<Category> category;
      if (auto name = r.String("name", true)) {
        category = ParseCategory(*name);
        if (!category) {
          errors.Add(t.get("name")->source(), r.Field("name"),
                     fmt::format("unknown category \"{}\" (icbm, slbm, "
                                 "heavy_bomber)",
                                 *name));
        } else if (set.categories.count(*category) != 0) {
          errors.Add(t.get("name")->source(), r.Field("name"),
                     fmt::format("category \"{}\" given twice", *name));
          category.reset();
        }
      }
      const toml::node* systems = r.Get("systems", true);
      r.RejectUnknown();
      if (systems == nullptr) continue;
      if (!systems->is_array_of_tables() || systems->as_array()->empty()) {
        errors.Add(systems->source(), r.Field("systems"),
                   "expected a non-empty array of { system, share } tables");
        continue;
      }
      std::vector<AssumptionShare> shares;
      double sum = 0.0;
      const toml::array& sa = *systems->as_array();
      for (size_t k = 0; k < sa.size(); ++k) {
        TableReader sr(*sa[k].as_table(),
                       fmt::format("{}[{}]", r.Field("systems"), k), &errors);
        AssumptionShare share;
        if (auto id = sr.String("system", true)) {
          if (catalog.Find(*id) == nullptr) {
            errors.Add(sa[k].as_table()->get("system")->source(),
                       sr.Field("system"),
                       fmt::format("unknown system \"{}\"", *id));
          }
          share.system = *id;
        }
        if (const toml::node* s = sr.Get("share", true)) {
          if (!s->is_number() || !(s->value<double>().value_or(-1) >= 0.0)) {
            errors.Add(s->source(), sr.Field("share"), "must be a number >= 0");
          } else {
            share.share = s->value<double>().value_or(0.0);
            sum += share.share;
          }
        }
        sr.RejectUnknown();
        shares.push_back(std::move(share));
      }
      if (std::abs(sum - 1.0) > 1e-9) {
        errors.Add(systems->source(), r.Field("systems"),
                   fmt::format("shares sum to {:.9g}, not 1", sum));
      }
      if (category) set.categories[*category] = std::move(shares);
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return set;
}

Result<AssumptionSet> LoadAssumptionsFile(const std::string& path,
                                          const WeaponCatalog& catalog) {
  DETENTE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return LoadAssumptionsString(text, path, catalog);
}

namespace {

// Largest-remainder apportionment of `total` by `shares` (which sum to 1);
// ties go to the earlier entry.
std::vector<int64_t> Apportion(int64_t total,
                               const std::vector<AssumptionShare>& shares) {
  std::vector<int64_t> out(shares.size(), 0);
  std::vector<std::pair<double, size_t>> rema;
  int64_t given = 0;
  for (size_t i = 0; i < shares.size(); ++i) {
    double exact = static_cast<double>(total) * shares[i].share;
    out[i] = static_cast<int64_t>(std::floor(exact));
    given += out[i];
    rema.emplace_back(exact - std::floor(exact), i);
  }
  std::stable_sort(rema.begin(), rema.end(), [](const auto& a, const auto& b) {
    return a.first > b.first;
  });
  for (size_t k = 0; given < total && k < rema.size(); ++k, ++given) {
    ++out[rema[k].second];
  }
  return out;
}

}  // namespace

Result<Posture> PostureFromAggregates(
    std::string_view id, std::string_view side,
    const std::vector<CategoryAggregate>& aggregates,
    const AssumptionSet& assumptions, const WeaponCatalog& catalog,
    AlertLevel alert) {
  Posture p;
  p.id = std::string(id);
  p.name = fmt::format("{} from treaty aggregates with assumption set {}", side,
                       assumptions.id);
  p.side = std::string(side);
  p.alert = alert;
  p.provenance.source = "treaty aggregates passed by the caller";
  p.provenance.note = fmt::format(
      "characteristics and the split between systems from assumption set "
      "\"{}\"{}",
      assumptions.id,
      assumptions.shares_provenance.notional ? " (shares notional)" : "");
  for (size_t i = 0; i < aggregates.size(); ++i) {
    const CategoryAggregate& a = aggregates[i];
    std::string field =
        fmt::format("aggregates[{}] ({})", i, CategoryName(a.category));
    if (a.deployed_launchers < 0 || a.deployed_warheads < 0) {
      return Status::InvalidArgument(fmt::format(
          "{}: deployed_launchers and deployed_warheads must be >= 0", field));
    }
    if (a.deployed_launchers == 0 && a.deployed_warheads == 0) continue;
    auto it = assumptions.categories.find(a.category);
    if (it == assumptions.categories.end()) {
      return Status::InvalidArgument(fmt::format(
          "{}: assumption set \"{}\" ({}) does not cover category {}", field,
          assumptions.id, assumptions.file, CategoryName(a.category)));
    }
    std::vector<int64_t> launchers =
        Apportion(a.deployed_launchers, it->second);
    std::vector<int64_t> warheads = Apportion(a.deployed_warheads, it->second);
    for (size_t k = 0; k < it->second.size(); ++k) {
      const WeaponSystem* s = catalog.Find(it->second[k].system);
      if (s == nullptr) {
        return Status::NotFound(
            fmt::format("{}: unknown system \"{}\" in assumption set \"{}\"",
                        field, it->second[k].system, assumptions.id));
      }
      if (launchers[k] == 0 && warheads[k] == 0) continue;
      Force f;
      f.system = *s;
      f.launchers = launchers[k];
      f.warheads = warheads[k];
      f.launchers_provenance.source =
          fmt::format("{} deployed launchers x share {}",
                      CategoryName(a.category), it->second[k].share);
      f.warheads_provenance.source =
          fmt::format("{} deployed warheads x share {}",
                      CategoryName(a.category), it->second[k].share);
      if (f.warheads > f.launchers * s->warheads_per_missile) {
        return Status::InvalidArgument(fmt::format(
            "{}: {} warheads on {} launchers of {} exceed its {} per missile",
            field, f.warheads, f.launchers, s->id, s->warheads_per_missile));
      }
      p.forces.push_back(std::move(f));
    }
  }
  DETENTE_RETURN_IF_ERROR(ValidatePosture(p));
  return p;
}

}  // namespace detente::stability

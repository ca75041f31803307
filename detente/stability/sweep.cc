#include "detente/stability/sweep.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>

#include "detente/stability/monte_carlo.h"
#include "fmt/format.h"
#include "toml++/toml.h"

namespace detente::stability {

std::string_view SweepParameterName(SweepParameter p) {
  switch (p) {
    case SweepParameter::kWarheadLimit:
      return "warhead_limit";
    case SweepParameter::kMirvLoading:
      return "mirv_loading";
    case SweepParameter::kAlertRate:
      return "alert_rate";
    case SweepParameter::kSiloHardness:
      return "silo_hardness";
    case SweepParameter::kCep:
      return "cep_m";
    case SweepParameter::kYield:
      return "yield_kt";
    case SweepParameter::kReliability:
      return "reliability";
  }
  return "?";
}

int64_t SweepSpec::Points() const {
  int64_t n = 1;
  for (const SweepAxis& axis : axes)
    n *= static_cast<int64_t>(axis.values.size());
  return n;
}

std::vector<size_t> SweepSpec::Coordinates(int64_t point) const {
  std::vector<size_t> c(axes.size(), 0);
  for (size_t k = axes.size(); k-- > 0;) {
    auto n = static_cast<int64_t>(axes[k].values.size());
    c[k] = static_cast<size_t>(point % n);
    point /= n;
  }
  return c;
}

namespace {

constexpr SweepParameter kParameters[] = {
    SweepParameter::kWarheadLimit, SweepParameter::kMirvLoading,
    SweepParameter::kAlertRate,    SweepParameter::kSiloHardness,
    SweepParameter::kCep,          SweepParameter::kYield,
    SweepParameter::kReliability};

// Grids larger than this are refused: a typo in `step` should not fill the
// disk.
constexpr int64_t kMaxPoints = 10'000'000;

class Errors {
 public:
  explicit Errors(std::string file) : file_(std::move(file)) {}
  void Add(const toml::source_region& where, std::string_view field,
           std::string_view message) {
    list_.push_back(fmt::format("{}:{}:{}: {}: {}", file_, where.begin.line,
                                where.begin.column, field, message));
  }
  bool empty() const { return list_.empty(); }
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

// Reads one table's keys and reports those it did not read.
class Reader {
 public:
  Reader(const toml::table& t, std::string path, Errors* errors)
      : t_(t), path_(std::move(path)), errors_(errors) {}

  std::string Field(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
  }
  const toml::node* Get(std::string_view key, bool required) {
    used_.emplace_back(key);
    const toml::node* n = t_.get(key);
    if (n == nullptr && required)
      errors_->Add(t_.source(), Field(key), "missing");
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
  std::optional<int64_t> Integer(std::string_view key) {
    const toml::node* n = Get(key, false);
    if (n == nullptr) return std::nullopt;
    if (!n->is_integer()) {
      errors_->Add(n->source(), Field(key), "expected an integer");
      return std::nullopt;
    }
    return n->as_integer()->get();
  }
  std::optional<double> Number(std::string_view key) {
    const toml::node* n = Get(key, false);
    if (n == nullptr) return std::nullopt;
    return AsNumber(*n, Field(key));
  }
  std::optional<bool> Bool(std::string_view key) {
    const toml::node* n = Get(key, false);
    if (n == nullptr) return std::nullopt;
    if (!n->is_boolean()) {
      errors_->Add(n->source(), Field(key), "expected true or false");
      return std::nullopt;
    }
    return n->as_boolean()->get();
  }
  std::optional<double> AsNumber(const toml::node& n, std::string_view field) {
    if (n.is_integer()) return static_cast<double>(n.as_integer()->get());
    if (n.is_floating_point() && std::isfinite(n.as_floating_point()->get())) {
      return n.as_floating_point()->get();
    }
    errors_->Add(n.source(), field, "expected a finite number");
    return std::nullopt;
  }
  void RejectUnknown() {
    for (const auto& [k, node] : t_) {
      if (std::find(used_.begin(), used_.end(), k.str()) != used_.end())
        continue;
      errors_->Add(k.source(), Field(k.str()), "unknown field");
    }
  }
  const toml::table& table() const { return t_; }

 private:
  const toml::table& t_;
  std::string path_;
  Errors* errors_;
  std::vector<std::string> used_;
};

// nullopt when `v` is a valid value of `p`, else what is wrong.
std::optional<std::string> CheckValue(SweepParameter p, double v) {
  auto integral = [&] { return v == std::floor(v); };
  switch (p) {
    case SweepParameter::kWarheadLimit:
      if (!integral() || v < 1)
        return fmt::format("must be an integer >= 1 (got {})", v);
      return std::nullopt;
    case SweepParameter::kMirvLoading:
      if (!integral() || v < 1)
        return fmt::format("must be an integer >= 1 (got {})", v);
      return std::nullopt;
    case SweepParameter::kAlertRate:
    case SweepParameter::kReliability:
      if (!(v >= 0.0 && v <= 1.0))
        return fmt::format("must be in [0, 1] (got {})", v);
      return std::nullopt;
    case SweepParameter::kSiloHardness:
    case SweepParameter::kCep:
    case SweepParameter::kYield:
      if (!(v > 0.0)) return fmt::format("must be > 0 (got {})", v);
      return std::nullopt;
  }
  return "unknown parameter";
}

// Whether `axis` (without a named system) changes force `f`.
bool AxisFits(const SweepAxis& axis, const Force& f) {
  if (!axis.system.empty()) return f.system.id == axis.system;
  switch (axis.parameter) {
    case SweepParameter::kMirvLoading:
      return f.system.basing != Basing::kBomber &&
             f.system.warheads_per_missile > 1;
    case SweepParameter::kAlertRate:
      return f.system.basing != Basing::kSilo;
    case SweepParameter::kSiloHardness:
      return f.system.basing == Basing::kSilo;
    default:
      return true;
  }
}

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound(fmt::format("{}: no such file", path));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in || in.bad()) {
    return Status::IOError(fmt::format("{}: cannot read", path));
  }
  return ss.str();
}

// The largest-remainder apportionment of `total` by `weights` (ties to the
// earlier index). REQUIRES: some weight > 0.
std::vector<int64_t> Apportion(int64_t total,
                               const std::vector<int64_t>& weights) {
  int64_t sum = 0;
  for (int64_t w : weights) sum += w;
  std::vector<int64_t> out(weights.size(), 0);
  std::vector<std::pair<int64_t, size_t>> rem;  // (-remainder, index)
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    // Treaty-sized numbers: total * w stays far below 2^63.
    int64_t num = total * weights[i];
    out[i] = static_cast<int64_t>(num / sum);
    rem.emplace_back(-(num % sum), i);
    given += out[i];
  }
  std::sort(rem.begin(), rem.end());
  for (size_t k = 0; given < total && k < rem.size(); ++k, ++given) {
    ++out[rem[k].second];
  }
  return out;
}

Status ApplyWarheadLimit(Posture& p, int64_t limit, std::string_view where) {
  std::vector<int64_t> cap(p.forces.size());
  int64_t capacity = 0;
  for (size_t i = 0; i < p.forces.size(); ++i) {
    cap[i] = p.forces[i].launchers * p.forces[i].system.warheads_per_missile;
    capacity += cap[i];
  }
  if (p.TotalWarheads() == 0) {
    return Status::InvalidArgument(fmt::format(
        "{}: posture {} has no warheads to apportion", where, p.id));
  }
  int64_t left = std::min(limit, capacity);
  std::vector<bool> fixed(p.forces.size(), false);
  std::vector<int64_t> out(p.forces.size(), 0);
  // Water-filling: apportion over the forces not yet full; fix any that
  // overflow at their capacity and apportion the rest again.
  for (;;) {
    std::vector<int64_t> weights(p.forces.size(), 0);
    int64_t wsum = 0;
    for (size_t i = 0; i < p.forces.size(); ++i) {
      if (!fixed[i]) weights[i] = p.forces[i].warheads;
      wsum += weights[i];
    }
    if (wsum == 0) {
      // The forces that carried warheads are full: the rest by capacity.
      for (size_t i = 0; i < p.forces.size(); ++i)
        if (!fixed[i]) weights[i] = cap[i];
      for (int64_t w : weights) wsum += w;
      if (wsum == 0) break;
    }
    std::vector<int64_t> share = Apportion(left, weights);
    bool overflow = false;
    for (size_t i = 0; i < p.forces.size(); ++i) {
      if (!fixed[i] && share[i] > cap[i]) {
        fixed[i] = true;
        out[i] = cap[i];
        left -= cap[i];
        overflow = true;
      }
    }
    if (!overflow) {
      for (size_t i = 0; i < p.forces.size(); ++i)
        if (!fixed[i]) out[i] = share[i];
      break;
    }
  }
  for (size_t i = 0; i < p.forces.size(); ++i) p.forces[i].warheads = out[i];
  return Status::Ok();
}

void ApplyToForce(const SweepAxis& axis, double v, Force& f) {
  switch (axis.parameter) {
    case SweepParameter::kWarheadLimit:
      break;  // per posture
    case SweepParameter::kMirvLoading: {
      auto n = static_cast<int>(v);
      f.system.warheads_per_missile = n;
      f.warheads = f.launchers * n;
      break;
    }
    case SweepParameter::kAlertRate:
      f.system.alert_day_to_day = v;
      f.system.alert_generated = v;
      break;
    case SweepParameter::kSiloHardness:
      f.system.hardness_psi = v;
      break;
    case SweepParameter::kCep:
      f.system.cep_m = v;
      break;
    case SweepParameter::kYield:
      f.system.yield_kt = v;
      break;
    case SweepParameter::kReliability:
      f.system.reliability = v;
      break;
  }
}

Status ApplyAxis(const SweepAxis& axis, double v, Posture& p) {
  if (axis.parameter == SweepParameter::kWarheadLimit) {
    return ApplyWarheadLimit(p, static_cast<int64_t>(v),
                             fmt::format("{} = {}", axis.name, v));
  }
  for (Force& f : p.forces) {
    if (AxisFits(axis, f)) ApplyToForce(axis, v, f);
  }
  return Status::Ok();
}

Result<Posture> LoadSide(const std::string& ref, const std::string& sweep_file,
                         const std::string& postures_dir,
                         const WeaponCatalog& catalog) {
  std::string path;
  if (ref.find('/') != std::string::npos ||
      (ref.size() > 5 && ref.substr(ref.size() - 5) == ".toml")) {
    std::filesystem::path base =
        std::filesystem::path(sweep_file).parent_path();
    path = (base / ref).lexically_normal().string();
  } else {
    path = postures_dir + "/" + ref + ".toml";
  }
  return LoadPostureFile(path, catalog);
}

}  // namespace

Result<SweepSpec> LoadSweepString(std::string_view toml_text,
                                  const std::string& file_name,
                                  const WeaponCatalog& catalog,
                                  const std::string& postures_dir) {
  toml::table root;
  try {
    root = toml::parse(toml_text, std::string_view(file_name));
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(
        fmt::format("{}:{}:{}: {}", file_name, e.source().begin.line,
                    e.source().begin.column, e.description()));
  }
  Errors errors(file_name);
  SweepSpec spec;
  spec.file = file_name;
  spec.text = std::string(toml_text);
  Reader top(root, "", &errors);

  const toml::node* sweep_node = top.Get("sweep", true);
  std::vector<std::string> load_errors;
  if (sweep_node != nullptr && !sweep_node->is_table()) {
    errors.Add(sweep_node->source(), "sweep", "expected a table");
  } else if (sweep_node != nullptr) {
    Reader s(*sweep_node->as_table(), "sweep", &errors);
    spec.name = s.String("name", false).value_or("");
    auto a = s.String("a", true);
    auto b = s.String("b", true);
    if (auto t = s.Integer("mc_trials")) {
      if (*t != 0 && *t < 2) {
        errors.Add(s.table().get("mc_trials")->source(), "sweep.mc_trials",
                   fmt::format("must be 0 (none) or >= 2 (got {})", *t));
      } else {
        spec.mc_trials = *t;
      }
    }
    if (auto seed = s.Integer("seed")) {
      if (*seed < 0) {
        errors.Add(s.table().get("seed")->source(), "sweep.seed",
                   "must be >= 0");
      } else {
        spec.seed = static_cast<uint64_t>(*seed);
      }
    }
    s.RejectUnknown();
    // A posture's own errors name its file, line and field.
    for (auto [ref, out, field] : {std::tuple{a, &spec.a, "sweep.a"},
                                   std::tuple{b, &spec.b, "sweep.b"}}) {
      if (!ref) continue;
      auto p = LoadSide(*ref, file_name, postures_dir, catalog);
      if (!p.ok()) {
        errors.Add(s.table()
                       .get(field == std::string_view("sweep.a") ? "a" : "b")
                       ->source(),
                   field, std::string(p.status().message()));
      } else {
        *out = std::move(p).value();
      }
    }
    if (a) spec.posture_a_ref = *a;
    if (b) spec.posture_b_ref = *b;
  }

  if (const toml::node* o = top.Get("options", false)) {
    if (!o->is_table()) {
      errors.Add(o->source(), "options", "expected a table");
    } else {
      Reader r(*o->as_table(), "options", &errors);
      KentThalerOptions& kt = spec.options;
      auto positive = [&](std::string_view key, double* slot) {
        if (auto v = r.Number(key)) {
          if (!(*v > 0.0)) {
            errors.Add(r.table().get(key)->source(), r.Field(key),
                       fmt::format("must be > 0 (got {})", *v));
          } else {
            *slot = *v;
          }
        }
      };
      positive("w80_a", &kt.w80_a);
      positive("w80_b", &kt.w80_b);
      positive("lethal_radius_constant", &kt.exchange.lethal_radius_constant);
      if (auto v = r.Integer("max_warheads_per_aim_point")) {
        if (*v < 1) {
          errors.Add(r.table().get("max_warheads_per_aim_point")->source(),
                     "options.max_warheads_per_aim_point", "must be >= 1");
        } else {
          kt.exchange.max_warheads_per_aim_point = static_cast<int>(*v);
        }
      }
      if (auto v = r.Number("striker_survivable_use")) {
        if (!(*v >= 0.0 && *v <= 1.0)) {
          errors.Add(r.table().get("striker_survivable_use")->source(),
                     "options.striker_survivable_use", "must be in [0, 1]");
        } else {
          kt.exchange.striker_survivable_use = *v;
        }
      }
      if (auto v = r.Bool("launch_under_attack"))
        kt.exchange.victim_launch_under_attack = *v;
      if (auto v = r.Bool("bombers_in_counterforce"))
        kt.exchange.bombers_in_counterforce = *v;
      if (auto v = r.String("alert", false)) {
        if (*v == "day_to_day") {
          kt.exchange.victim_alert = AlertLevel::kDayToDay;
        } else if (*v == "generated") {
          kt.exchange.victim_alert = AlertLevel::kGenerated;
        } else {
          errors.Add(r.table().get("alert")->source(), "options.alert",
                     "expected \"day_to_day\" or \"generated\"");
        }
      }
      r.RejectUnknown();
    }
  }

  const toml::node* axes = top.Get("axis", true);
  if (axes != nullptr && !axes->is_array_of_tables()) {
    errors.Add(axes->source(), "axis", "expected [[axis]] tables");
  } else if (axes != nullptr) {
    size_t k = 0;
    for (const toml::node& n : *axes->as_array()) {
      std::string path = fmt::format("axis[{}]", k++);
      Reader r(*n.as_table(), path, &errors);
      SweepAxis axis;
      axis.line = static_cast<int>(n.source().begin.line);
      bool parameter_ok = false;
      if (auto p = r.String("parameter", true)) {
        for (SweepParameter c : kParameters) {
          if (SweepParameterName(c) == *p) {
            axis.parameter = c;
            parameter_ok = true;
          }
        }
        if (!parameter_ok) {
          errors.Add(r.table().get("parameter")->source(), r.Field("parameter"),
                     fmt::format("unknown parameter \"{}\" (expected "
                                 "warhead_limit, mirv_loading, alert_rate, "
                                 "silo_hardness, cep_m, yield_kt or "
                                 "reliability)",
                                 *p));
        }
      }
      if (auto side = r.String("side", false)) {
        if (*side == "a") {
          axis.side_b = false;
        } else if (*side == "b") {
          axis.side_a = false;
        } else if (*side != "both") {
          errors.Add(r.table().get("side")->source(), r.Field("side"),
                     "expected \"a\", \"b\" or \"both\"");
        }
      }
      axis.system = r.String("system", false).value_or("");
      const toml::node* values = r.Get("values", false);
      auto from = r.Number("from");
      auto to = r.Number("to");
      auto step = r.Number("step");
      if (values != nullptr) {
        if (from || to || step) {
          errors.Add(n.source(), path,
                     "give either values or from/to/step, not both");
        }
        if (!values->is_array()) {
          errors.Add(values->source(), r.Field("values"), "expected an array");
        } else if (values->as_array()->empty()) {
          errors.Add(values->source(), r.Field("values"), "no values");
        } else {
          size_t i = 0;
          for (const toml::node& v : *values->as_array()) {
            std::string field = fmt::format("{}.values[{}]", path, i++);
            auto d = r.AsNumber(v, field);
            if (!d) continue;
            if (parameter_ok) {
              if (auto bad = CheckValue(axis.parameter, *d)) {
                errors.Add(v.source(), field, *bad);
                continue;
              }
            }
            axis.values.push_back(*d);
          }
        }
      } else if (from || to || step) {
        if (!from || !to || !step) {
          errors.Add(n.source(), path, "from, to and step go together");
        } else if (!(*step > 0.0) || *to < *from) {
          errors.Add(r.table().get("step")->source(), r.Field("step"),
                     "no values: step must be > 0 and to >= from");
        } else if ((*to - *from) / *step + 1 >
                   static_cast<double>(kMaxPoints)) {
          errors.Add(r.table().get("step")->source(), r.Field("step"),
                     "too many values");
        } else {
          auto count =
              static_cast<int64_t>(std::floor((*to - *from) / *step + 1e-9)) +
              1;
          for (int64_t i = 0; i < count; ++i) {
            double d = *from + static_cast<double>(i) * *step;
            if (parameter_ok) {
              if (auto bad = CheckValue(axis.parameter, d)) {
                errors.Add(r.table().get("from")->source(), r.Field("from"),
                           fmt::format("value {}: {}", d, *bad));
                break;
              }
            }
            axis.values.push_back(d);
          }
        }
      } else {
        errors.Add(n.source(), r.Field("values"),
                   "no values (give values = [...] or from/to/step)");
      }
      auto name = r.String("name", false);
      axis.name =
          name ? *name
               : fmt::format("{}{}{}", SweepParameterName(axis.parameter),
                             axis.side_a && axis.side_b
                                 ? ""
                                 : (axis.side_a ? "_a" : "_b"),
                             axis.system.empty() ? "" : "." + axis.system);
      r.RejectUnknown();
      // The axis must change something in a side it applies to.
      if (parameter_ok && axis.parameter != SweepParameter::kWarheadLimit) {
        bool fits = false;
        for (auto [on, p] : {std::pair{axis.side_a, &spec.a},
                             std::pair{axis.side_b, &spec.b}}) {
          if (!on) continue;
          for (const Force& f : p->forces) fits = fits || AxisFits(axis, f);
        }
        if (!fits && !spec.a.forces.empty() && !spec.b.forces.empty()) {
          errors.Add(
              axis.system.empty() ? n.source()
                                  : r.table().get("system")->source(),
              axis.system.empty() ? path : r.Field("system"),
              axis.system.empty()
                  ? std::string("no force of the side's posture fits this "
                                "parameter")
                  : fmt::format("unknown system \"{}\": not in the side's "
                                "posture",
                                axis.system));
        }
      }
      spec.axes.push_back(std::move(axis));
    }
    if (spec.axes.empty()) {
      errors.Add(axes->source(), "axis", "no axes");
    }
  }
  top.RejectUnknown();
  if (errors.empty()) {
    double points = 1;
    for (const SweepAxis& a : spec.axes)
      points *= static_cast<double>(a.values.size());
    if (points > static_cast<double>(kMaxPoints)) {
      errors.Add(root.source(), "axis",
                 fmt::format("{} points: more than {}", points, kMaxPoints));
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return spec;
}

Result<SweepSpec> LoadSweepFile(const std::string& path,
                                const WeaponCatalog& catalog,
                                const std::string& postures_dir) {
  DETENTE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return LoadSweepString(text, path, catalog, postures_dir);
}

Result<std::pair<Posture, Posture>> PointPostures(const SweepSpec& spec,
                                                  int64_t point) {
  if (point < 0 || point >= spec.Points()) {
    return Status::OutOfRange(
        fmt::format("sweep: point {} of {}", point, spec.Points()));
  }
  std::pair<Posture, Posture> out{spec.a, spec.b};
  std::vector<size_t> c = spec.Coordinates(point);
  for (size_t k = 0; k < spec.axes.size(); ++k) {
    const SweepAxis& axis = spec.axes[k];
    double v = axis.values[c[k]];
    if (axis.side_a) {
      if (Status s = ApplyAxis(axis, v, out.first); !s.ok()) return s;
    }
    if (axis.side_b) {
      if (Status s = ApplyAxis(axis, v, out.second); !s.ok()) return s;
    }
  }
  return out;
}

std::vector<std::string> SweepColumns(const SweepSpec& spec) {
  std::vector<std::string> c = {"point"};
  for (const SweepAxis& a : spec.axes) c.push_back(a.name);
  for (const char* m : {"warheads_a",
                        "warheads_b",
                        "index",
                        "ratio_a",
                        "ratio_b",
                        "c1_a",
                        "c2_a",
                        "c1_b",
                        "c2_b",
                        "stop_warheads_a",
                        "stop_warheads_b",
                        "surviving_a",
                        "arriving_a",
                        "residual_a",
                        "first_strike_advantage_a",
                        "surviving_b",
                        "arriving_b",
                        "residual_b",
                        "first_strike_advantage_b",
                        "instability"}) {
    c.emplace_back(m);
  }
  if (spec.mc_trials > 0) {
    for (const char* m : {"mc_surviving_b_mean", "mc_surviving_b_ci_low",
                          "mc_surviving_b_ci_high", "mc_arriving_b_mean",
                          "mc_arriving_b_ci_low", "mc_arriving_b_ci_high"}) {
      c.emplace_back(m);
    }
  }
  return c;
}

Result<std::vector<double>> EvaluatePoint(const SweepSpec& spec,
                                          int64_t point) {
  DETENTE_ASSIGN_OR_RETURN(auto postures, PointPostures(spec, point));
  const Posture& a = postures.first;
  const Posture& b = postures.second;
  auto where = [&](const Status& s) {
    return Status::InvalidArgument(
        fmt::format("{}: point {}: {}", spec.file, point, s.message()));
  };
  auto kt = KentThalerIndex(a, b, spec.options);
  if (!kt.ok()) return where(kt.status());
  auto bal = BalanceMeasures(a, b, spec.options.exchange);
  if (!bal.ok()) return where(bal.status());
  std::vector<double> row;
  row.push_back(static_cast<double>(point));
  std::vector<size_t> c = spec.Coordinates(point);
  for (size_t k = 0; k < spec.axes.size(); ++k)
    row.push_back(spec.axes[k].values[c[k]]);
  const KentThalerResult& r = *kt;
  const Balance& m = *bal;
  for (double v : {static_cast<double>(a.TotalWarheads()),
                   static_cast<double>(b.TotalWarheads()),
                   r.index,
                   r.ratio_a,
                   r.ratio_b,
                   r.c1_a,
                   r.c2_a,
                   r.c1_b,
                   r.c2_b,
                   static_cast<double>(r.a_strikes.stop_warheads),
                   static_cast<double>(r.b_strikes.stop_warheads),
                   m.a.surviving,
                   m.a.arriving,
                   m.a.residual,
                   m.a.first_strike_advantage,
                   m.b.surviving,
                   m.b.arriving,
                   m.b.residual,
                   m.b.first_strike_advantage,
                   m.instability}) {
    row.push_back(v);
  }
  if (spec.mc_trials > 0) {
    auto plan = PlanCounterforce(a, b, spec.options.exchange);
    if (!plan.ok()) return where(plan.status());
    MonteCarloOptions mo;
    mo.seed = spec.seed;
    mo.trials = spec.mc_trials;
    auto mc = RunMonteCarlo(*plan, mo);
    if (!mc.ok()) return where(mc.status());
    for (const Estimate* e : {&mc->victim_surviving, &mc->victim_arriving}) {
      row.push_back(e->mean);
      row.push_back(e->ci_low);
      row.push_back(e->ci_high);
    }
  }
  return row;
}

Result<std::vector<std::vector<double>>> RunSweep(
    const SweepSpec& spec, const SweepRunOptions& options) {
  if (options.threads < 1) {
    return Status::InvalidArgument(
        fmt::format("sweep: threads: must be >= 1 (got {})", options.threads));
  }
  std::vector<int64_t> points = options.points;
  if (points.empty()) {
    points.resize(static_cast<size_t>(spec.Points()));
    for (size_t i = 0; i < points.size(); ++i)
      points[i] = static_cast<int64_t>(i);
  }
  const auto n = static_cast<int64_t>(points.size());
  std::vector<Result<std::vector<double>>> rows(
      points.size(), Status::Internal("sweep: point not evaluated"));
  std::atomic<int64_t> next{0};
  std::mutex mu;
  int64_t done = 0;
  {
    std::vector<std::jthread> pool;
    const int64_t threads = std::min<int64_t>(options.threads, n);
    for (int64_t t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        for (int64_t i = next++; i < n; i = next++) {
          rows[static_cast<size_t>(i)] =
              EvaluatePoint(spec, points[static_cast<size_t>(i)]);
          std::lock_guard<std::mutex> lock(mu);
          ++done;
          if (options.progress) options.progress(done, n);
        }
      });
    }
  }  // joined
  std::vector<std::vector<double>> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    if (!r.ok()) return r.status();
    out.push_back(std::move(r).value());
  }
  return out;
}

}  // namespace detente::stability

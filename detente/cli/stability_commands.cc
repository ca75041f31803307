// detente stability pk|index|exchange|mc and detente sweep: the stability
// engine (detente/stability, docs/stability.md) at the command line.
//
// Every output records what it was computed from — the postures with every
// figure of their systems, the model's options, the seed and trials, the
// sweep file's text — so a result can be reproduced from the output alone.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "detente/cli/cli_util.h"
#include "detente/cli/commands.h"
#include "detente/cli/sweep_mpi.h"
#include "detente/cli/table.h"
#include "detente/stability/damage.h"
#include "detente/stability/exchange.h"
#include "detente/stability/indices.h"
#include "detente/stability/monte_carlo.h"
#include "detente/stability/sweep.h"
#include "detente/stability/weapons.h"
#include "fmt/format.h"

namespace detente::cli {
namespace {

namespace st = detente::stability;
using nlohmann::ordered_json;

// Fixed-point for tables; JSON and CSV carry full precision.
std::string Num(double v, int decimals = 3) {
  return fmt::format("{:.{}f}", v, decimals);
}

// The shortest text that reads back as the same double.
std::string Exact(double v) { return fmt::format("{}", v); }

std::string PosturePath(const CommonOptions& common, const std::string& ref) {
  if (ref.find('/') != std::string::npos ||
      (ref.size() > 5 && ref.substr(ref.size() - 5) == ".toml")) {
    return ref;
  }
  return DataDir(common) + "/postures/" + ref + ".toml";
}

std::optional<st::WeaponCatalog> LoadCatalog(const CommonOptions& common,
                                             Streams io) {
  auto c = st::LoadWeaponsDir(DataDir(common) + "/weapons");
  if (!c.ok()) {
    io.err << "detente: " << c.status().message() << "\n";
    return std::nullopt;
  }
  return std::move(c).value();
}

ordered_json ProvenanceJson(const st::Provenance& p) {
  ordered_json j = ordered_json::object();
  if (p.notional) j["notional"] = true;
  if (!p.source.empty()) j["source"] = p.source;
  if (!p.note.empty()) j["note"] = p.note;
  return j;
}

ordered_json PostureJson(const st::Posture& p) {
  ordered_json j;
  j["id"] = p.id;
  j["name"] = p.name;
  j["side"] = p.side;
  j["file"] = p.file;
  j["alert"] = std::string(st::AlertLevelName(p.alert));
  j["provenance"] = ProvenanceJson(p.provenance);
  j["launchers"] = p.TotalLaunchers();
  j["warheads"] = p.TotalWarheads();
  ordered_json forces = ordered_json::array();
  for (const st::Force& f : p.forces) {
    const st::WeaponSystem& s = f.system;
    ordered_json notional = ordered_json::array();
    for (const auto& [field, prov] : s.provenance)
      if (prov.notional) notional.push_back(field);
    forces.push_back({
        {"system", s.id},
        {"name", s.name},
        {"basing", std::string(st::BasingName(s.basing))},
        {"launchers", f.launchers},
        {"warheads", f.warheads},
        {"warheads_per_missile", s.warheads_per_missile},
        {"yield_kt", s.yield_kt},
        {"cep_m", s.cep_m},
        {"reliability", s.reliability},
        {"hardness_psi", s.hardness_psi},
        {"alert_day_to_day", s.alert_day_to_day},
        {"alert_generated", s.alert_generated},
        {"launchers_per_aim_point", s.launchers_per_aim_point},
        {"notional_fields", notional},
        {"launchers_provenance", ProvenanceJson(f.launchers_provenance)},
        {"warheads_provenance", ProvenanceJson(f.warheads_provenance)},
    });
  }
  j["forces"] = forces;
  return j;
}

ordered_json OptionsJson(const st::KentThalerOptions& o) {
  const st::ExchangeOptions& e = o.exchange;
  ordered_json j;
  j["lethal_radius_constant"] = e.lethal_radius_constant;
  j["max_warheads_per_aim_point"] = e.max_warheads_per_aim_point;
  j["min_marginal_kill"] = e.min_marginal_kill;
  j["fratricide"] = e.fratricide.enabled;
  j["striker_survivable_use"] = e.striker_survivable_use;
  j["bombers_in_counterforce"] = e.bombers_in_counterforce;
  j["victim_launch_under_attack"] = e.victim_launch_under_attack;
  j["launch_under_attack_fraction"] = e.launch_under_attack_fraction;
  j["victim_alert"] = e.victim_alert
                          ? std::string(st::AlertLevelName(*e.victim_alert))
                          : std::string("posture's own");
  j["defences"] = "none";
  j["w80_a"] = o.w80_a;
  j["w80_b"] = o.w80_b;
  j["notional"] =
      "w80_a, w80_b and max_warheads_per_aim_point are notional; "
      "docs/stability.md";
  j["own_damage_exponent"] = o.own_damage_exponent;
  j["enemy_damage_exponent"] = o.enemy_damage_exponent;
  j["enemy_damage_weight"] = o.enemy_damage_weight;
  return j;
}

// The two postures and the options of a model command; prints the error
// and sets `rc` on failure.
struct Model {
  st::Posture a, b;
  st::KentThalerOptions options;
};

std::optional<Model> LoadModel(const CommonOptions& common,
                               const StabilityModelOptions& m, Streams io,
                               int* rc) {
  *rc = kExitUsage;
  auto flag_error = [&](std::string_view flag, const std::string& what) {
    io.err << "detente: stability: " << flag << ": " << what << "\n";
    return std::nullopt;
  };
  if (!(m.w80_a > 0)) return flag_error("--w80-a", "must be > 0");
  if (!(m.w80_b > 0)) return flag_error("--w80-b", "must be > 0");
  if (m.max_warheads_per_aim_point < 1)
    return flag_error("--max-per-aim-point", "must be >= 1");
  Model out;
  out.options.w80_a = m.w80_a;
  out.options.w80_b = m.w80_b;
  st::ExchangeOptions& e = out.options.exchange;
  e.max_warheads_per_aim_point = m.max_warheads_per_aim_point;
  e.victim_launch_under_attack = m.launch_under_attack;
  e.bombers_in_counterforce = m.bombers_in_counterforce;
  if (m.alert == "day_to_day") {
    e.victim_alert = st::AlertLevel::kDayToDay;
  } else if (m.alert == "generated") {
    e.victim_alert = st::AlertLevel::kGenerated;
  } else if (!m.alert.empty()) {
    return flag_error("--alert", "expected day_to_day or generated (got \"" +
                                     m.alert + "\")");
  }
  *rc = kExitInput;
  auto catalog = LoadCatalog(common, io);
  if (!catalog) return std::nullopt;
  for (auto [ref, slot, flag] :
       {std::tuple{&m.a, &out.a, "--a"}, std::tuple{&m.b, &out.b, "--b"}}) {
    auto p = st::LoadPostureFile(PosturePath(common, *ref), *catalog);
    if (!p.ok()) {
      io.err << "detente: stability: " << flag << ": " << p.status().message()
             << "\n";
      return std::nullopt;
    }
    *slot = std::move(p).value();
  }
  *rc = kExitOk;
  return out;
}

ordered_json InputsJson(const Model& m) {
  ordered_json j;
  j["a"] = PostureJson(m.a);
  j["b"] = PostureJson(m.b);
  j["options"] = OptionsJson(m.options);
  return j;
}

void PrintInputsHeader(std::ostream& out, const Model& m) {
  out << "A: " << m.a.name << " (" << m.a.file << "; "
      << st::AlertLevelName(m.a.alert) << ", " << Thousands(m.a.TotalWarheads())
      << " warheads)\n";
  out << "B: " << m.b.name << " (" << m.b.file << "; "
      << st::AlertLevelName(m.b.alert) << ", " << Thousands(m.b.TotalWarheads())
      << " warheads)\n";
  const st::ExchangeOptions& e = m.options.exchange;
  out << fmt::format(
      "assumptions: w80 A {} B {} (notional), a = b = {}, k = {}, cap {} "
      "warheads per aim point (notional), survivable use {}, launch under "
      "attack {}, bombers in counterforce {}, LR constant {}\n",
      m.options.w80_a, m.options.w80_b, m.options.own_damage_exponent,
      m.options.enemy_damage_weight, e.max_warheads_per_aim_point,
      e.striker_survivable_use, e.victim_launch_under_attack ? "on" : "off",
      e.bombers_in_counterforce ? "yes" : "no", e.lethal_radius_constant);
}

void CsvHeaderComments(std::ostream& out, const ordered_json& inputs) {
  // One comment line: the inputs as compact JSON, so the CSV alone
  // reproduces the result (read with pandas' comment="#" or skip it).
  out << "# inputs: " << inputs.dump() << "\n";
}

}  // namespace

int RunStabilityPk(const CommonOptions& common, const StabilityPkOptions& o,
                   Streams io) {
  auto bad = [&](std::string_view flag, const std::string& what) {
    io.err << "detente: stability pk: " << flag << ": " << what << "\n";
    return kExitUsage;
  };
  if (!(o.yield_kt > 0) || !std::isfinite(o.yield_kt))
    return bad("--yield", fmt::format("must be > 0 kt (got {})", o.yield_kt));
  if (!(o.cep_m > 0) || !std::isfinite(o.cep_m))
    return bad("--cep", fmt::format("must be > 0 m (got {})", o.cep_m));
  if (!(o.hardness_psi > 0) || !std::isfinite(o.hardness_psi))
    return bad("--hardness",
               fmt::format("must be > 0 psi (got {})", o.hardness_psi));
  if (!(o.reliability >= 0 && o.reliability <= 1))
    return bad("--reliability",
               fmt::format("must be in [0, 1] (got {})", o.reliability));
  if (o.warheads < 1)
    return bad("--warheads", fmt::format("must be >= 1 (got {})", o.warheads));
  if (!(o.lethal_radius_constant > 0))
    return bad("--lr-constant", "must be > 0");
  double lr = st::LethalRadiusMetres(o.yield_kt, o.hardness_psi,
                                     o.lethal_radius_constant);
  double sspk = st::SingleShotKill(lr, o.cep_m);
  double tkp = st::TerminalKill(sspk, o.reliability);
  double pk = st::KillProbability(tkp, static_cast<int>(o.warheads));
  if (common.format == OutputFormat::kJson) {
    ordered_json j;
    j["inputs"] = {{"yield_kt", o.yield_kt},
                   {"cep_m", o.cep_m},
                   {"hardness_psi", o.hardness_psi},
                   {"reliability", o.reliability},
                   {"warheads", o.warheads},
                   {"lethal_radius_constant", o.lethal_radius_constant}};
    j["lethal_radius_m"] = lr;
    j["lethal_radius_nmi"] = lr / st::kMetresPerNauticalMile;
    j["sspk"] = sspk;
    j["terminal_kill"] = tkp;
    j["kill_probability"] = pk;
    io.out << j.dump(2) << "\n";
    return kExitOk;
  }
  if (common.format == OutputFormat::kCsv) {
    io.out << "yield_kt,cep_m,hardness_psi,reliability,warheads,"
              "lethal_radius_constant,lethal_radius_m,sspk,terminal_kill,"
              "kill_probability\n";
    io.out << fmt::format("{},{},{},{},{},{},{},{},{},{}\n", o.yield_kt,
                          o.cep_m, o.hardness_psi, o.reliability, o.warheads,
                          o.lethal_radius_constant, Exact(lr), Exact(sspk),
                          Exact(tkp), Exact(pk));
    return kExitOk;
  }
  io.out << fmt::format(
      "inputs: yield {} kt, CEP {} m, hardness {} psi, reliability {}, {} "
      "warhead{}, LR constant {}\n",
      o.yield_kt, o.cep_m, o.hardness_psi, o.reliability, o.warheads,
      o.warheads == 1 ? "" : "s", o.lethal_radius_constant);
  TextTable t({"quantity", "value"},
              {TextTable::Align::kLeft, TextTable::Align::kRight});
  t.AddRow({"lethal radius (m)", Num(lr, 1)});
  t.AddRow({"lethal radius (nmi)", Num(lr / st::kMetresPerNauticalMile, 4)});
  t.AddRow({"single-shot kill probability", Num(sspk, 5)});
  t.AddRow({"terminal kill probability (x reliability)", Num(tkp, 5)});
  t.AddRow({fmt::format("kill probability, {} warhead{}", o.warheads,
                        o.warheads == 1 ? "" : "s"),
            Num(pk, 5)});
  io.out << t.Render();
  return kExitOk;
}

int RunStabilityIndex(const CommonOptions& common,
                      const StabilityModelOptions& opts, Streams io) {
  int rc = 0;
  auto m = LoadModel(common, opts, io, &rc);
  if (!m) return rc;
  auto kt = st::KentThalerIndex(m->a, m->b, m->options);
  auto bal = st::BalanceMeasures(m->a, m->b, m->options.exchange);
  if (!kt.ok() || !bal.ok()) {
    io.err << "detente: stability index: "
           << (kt.ok() ? bal.status() : kt.status()).message() << "\n";
    return kExitInput;
  }
  const st::Balance& b = *bal;
  if (common.format == OutputFormat::kJson) {
    ordered_json j;
    j["inputs"] = InputsJson(*m);
    auto strike = [](const st::FirstStrike& s) {
      return ordered_json{{"stop_warheads", s.stop_warheads},
                          {"max_warheads", s.max_warheads},
                          {"victim_destroyed", s.outcome.victim_destroyed},
                          {"victim_surviving", s.outcome.victim_surviving},
                          {"victim_arriving", s.outcome.victim_arriving},
                          {"striker_arriving", s.outcome.striker_arriving},
                          {"damage_to_striker", s.damage_to_striker},
                          {"damage_to_victim", s.damage_to_victim},
                          {"striker_cost", s.striker_cost},
                          {"victim_cost", s.victim_cost}};
    };
    j["kent_thaler"] = {{"index", kt->index},
                        {"ratio_a", kt->ratio_a},
                        {"ratio_b", kt->ratio_b},
                        {"c1_a", kt->c1_a},
                        {"c2_a", kt->c2_a},
                        {"c1_b", kt->c1_b},
                        {"c2_b", kt->c2_b},
                        {"a_strikes", strike(kt->a_strikes)},
                        {"b_strikes", strike(kt->b_strikes)}};
    auto side = [](const st::SideBalance& s) {
      return ordered_json{{"warheads", s.warheads},
                          {"surviving", s.surviving},
                          {"arriving", s.arriving},
                          {"residual", s.residual},
                          {"arriving_unstruck", s.arriving_unstruck},
                          {"penalty_for_waiting", s.penalty_for_waiting},
                          {"first_strike_advantage", s.first_strike_advantage}};
    };
    j["balance"] = {
        {"a", side(b.a)}, {"b", side(b.b)}, {"instability", b.instability}};
    io.out << j.dump(2) << "\n";
    return kExitOk;
  }
  if (common.format == OutputFormat::kCsv) {
    CsvHeaderComments(io.out, InputsJson(*m));
    io.out << "side,warheads,c1,c2,ratio,stop_warheads,surviving,arriving,"
              "residual,arriving_unstruck,penalty_for_waiting,"
              "first_strike_advantage,index,instability\n";
    for (int s = 0; s < 2; ++s) {
      const st::SideBalance& sb = s == 0 ? b.a : b.b;
      io.out << fmt::format(
          "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", s == 0 ? "A" : "B",
          sb.warheads, Exact(s == 0 ? kt->c1_a : kt->c1_b),
          Exact(s == 0 ? kt->c2_a : kt->c2_b),
          Exact(s == 0 ? kt->ratio_a : kt->ratio_b),
          (s == 0 ? kt->a_strikes : kt->b_strikes).stop_warheads,
          Exact(sb.surviving), Exact(sb.arriving), Exact(sb.residual),
          Exact(sb.arriving_unstruck), Exact(sb.penalty_for_waiting),
          Exact(sb.first_strike_advantage), Exact(kt->index),
          Exact(b.instability));
    }
    return kExitOk;
  }
  PrintInputsHeader(io.out, *m);
  io.out << fmt::format(
      "\nfirst-strike stability index (Kent & Thaler): {}   (1 = most "
      "stable; ranks postures under the assumptions above, not a "
      "probability)\n\n",
      Num(kt->index, 4));
  TextTable t({"", "A", "B"},
              {TextTable::Align::kLeft, TextTable::Align::kRight,
               TextTable::Align::kRight});
  t.AddRow({"warheads", Thousands(b.a.warheads), Thousands(b.b.warheads)});
  t.AddRow({"cost striking first (C1)", Num(kt->c1_a, 4), Num(kt->c1_b, 4)});
  t.AddRow({"cost struck first (C2)", Num(kt->c2_a, 4), Num(kt->c2_b, 4)});
  t.AddRow(
      {"ratio C1/C2 (capped at 1)", Num(kt->ratio_a, 4), Num(kt->ratio_b, 4)});
  t.AddRow({"counterforce warheads at its stop",
            Thousands(kt->a_strikes.stop_warheads),
            Thousands(kt->b_strikes.stop_warheads)});
  t.AddRule();
  t.AddRow({"surviving the other's full first strike", Num(b.a.surviving, 1),
            Num(b.b.surviving, 1)});
  t.AddRow({"  of which arriving in retaliation", Num(b.a.arriving, 1),
            Num(b.b.arriving, 1)});
  t.AddRow({"residual after striking first", Num(b.a.residual, 1),
            Num(b.b.residual, 1)});
  t.AddRow({"arriving if unstruck", Num(b.a.arriving_unstruck, 1),
            Num(b.b.arriving_unstruck, 1)});
  t.AddRow({"penalty for waiting", Num(b.a.penalty_for_waiting, 1),
            Num(b.b.penalty_for_waiting, 1)});
  t.AddRow({"first-strike advantage", Num(b.a.first_strike_advantage, 1),
            Num(b.b.first_strike_advantage, 1)});
  io.out << t.Render();
  io.out << fmt::format("instability (penalty A x penalty B): {}\n",
                        Num(b.instability, 1));
  return kExitOk;
}

namespace {

ordered_json OutcomeJson(const st::ExchangeOutcome& o) {
  return ordered_json{{"counterforce_warheads", o.counterforce_warheads},
                      {"victim_destroyed", o.victim_destroyed},
                      {"victim_surviving", o.victim_surviving},
                      {"victim_arriving", o.victim_arriving},
                      {"striker_remaining", o.striker_remaining},
                      {"striker_arriving", o.striker_arriving},
                      {"striker_withheld", o.striker_withheld}};
}

// Resolves --warheads against a plan; -1 is the whole plan.
std::optional<int64_t> PlanWarheads(const st::StrikePlan& plan, int64_t w,
                                    std::string_view cmd, Streams io) {
  const auto max_w = static_cast<int64_t>(plan.assignments.size());
  if (w < -1 || w > max_w) {
    io.err << "detente: stability " << cmd << ": --warheads: must be in 0.."
           << max_w << " (the plan's counterforce warheads; got " << w << ")\n";
    return std::nullopt;
  }
  return w < 0 ? max_w : w;
}

}  // namespace

int RunStabilityExchange(const CommonOptions& common,
                         const StabilityExchangeOptions& opts, Streams io) {
  int rc = 0;
  auto m = LoadModel(common, opts.model, io, &rc);
  if (!m) return rc;
  auto plan = st::PlanCounterforce(m->a, m->b, m->options.exchange);
  if (!plan.ok()) {
    io.err << "detente: stability exchange: " << plan.status().message()
           << "\n";
    return kExitInput;
  }
  auto w = PlanWarheads(*plan, opts.warheads, "exchange", io);
  if (!w) return kExitUsage;
  st::ExchangeOutcome o = st::ExpectedOutcome(*plan, *w);
  if (common.format == OutputFormat::kJson) {
    ordered_json j;
    j["inputs"] = InputsJson(*m);
    j["inputs"]["counterforce_warheads"] = *w;
    j["plan"] = {{"aim_points", plan->aim_points.size()},
                 {"assignments", plan->assignments.size()},
                 {"striker_pool", plan->striker_pool},
                 {"striker_withheld", plan->striker_withheld},
                 {"victim_warheads", plan->victim_warheads},
                 {"victim_untargetable", plan->victim_untargetable}};
    j["outcome"] = OutcomeJson(o);
    io.out << j.dump(2) << "\n";
    return kExitOk;
  }
  if (common.format == OutputFormat::kCsv) {
    ordered_json in = InputsJson(*m);
    in["counterforce_warheads"] = *w;
    CsvHeaderComments(io.out, in);
    io.out << "counterforce_warheads,victim_destroyed,victim_surviving,"
              "victim_arriving,striker_remaining,striker_arriving,"
              "striker_withheld\n";
    io.out << fmt::format("{},{},{},{},{},{},{}\n", o.counterforce_warheads,
                          Exact(o.victim_destroyed), Exact(o.victim_surviving),
                          Exact(o.victim_arriving), Exact(o.striker_remaining),
                          Exact(o.striker_arriving), Exact(o.striker_withheld));
    return kExitOk;
  }
  PrintInputsHeader(io.out, *m);
  io.out << fmt::format(
      "\nA strikes B first: {} aim points ({} on alert, untargetable "
      "warheads: {}), A commits {} warheads and withholds {}\n\n",
      plan->aim_points.size(), "B's survivable forces",
      Thousands(plan->victim_untargetable), Thousands(plan->striker_pool),
      Thousands(plan->striker_withheld));
  TextTable t({"expected value", "warheads"},
              {TextTable::Align::kLeft, TextTable::Align::kRight});
  t.AddRow({"A's counterforce warheads", Thousands(o.counterforce_warheads)});
  t.AddRow({"B's warheads destroyed", Num(o.victim_destroyed, 1)});
  t.AddRow({"B's warheads surviving", Num(o.victim_surviving, 1)});
  t.AddRow({"B's retaliation arriving on A", Num(o.victim_arriving, 1)});
  t.AddRow({"A's pool left for value", Num(o.striker_remaining, 1)});
  t.AddRow({"  of which arriving on B", Num(o.striker_arriving, 1)});
  t.AddRow({"A's withheld", Num(o.striker_withheld, 1)});
  io.out << t.Render();
  return kExitOk;
}

int RunStabilityMc(const CommonOptions& common, const StabilityMcOptions& opts,
                   Streams io) {
  if (!opts.has_seed) {
    io.err << "detente: stability mc: --seed is required (a run must be "
              "reproducible)\n";
    return kExitUsage;
  }
  if (opts.trials < 2) {
    io.err << "detente: stability mc: --trials: must be >= 2 (got "
           << opts.trials << ")\n";
    return kExitUsage;
  }
  if (opts.threads < 1) {
    io.err << "detente: stability mc: --threads: must be >= 1 (got "
           << opts.threads << ")\n";
    return kExitUsage;
  }
  int rc = 0;
  auto m = LoadModel(common, opts.model, io, &rc);
  if (!m) return rc;
  auto plan = st::PlanCounterforce(m->a, m->b, m->options.exchange);
  if (!plan.ok()) {
    io.err << "detente: stability mc: " << plan.status().message() << "\n";
    return kExitInput;
  }
  auto w = PlanWarheads(*plan, opts.warheads, "mc", io);
  if (!w) return kExitUsage;
  st::MonteCarloOptions mo;
  mo.seed = opts.seed;
  mo.trials = opts.trials;
  mo.threads = opts.threads;
  mo.counterforce_warheads = *w;
  auto mc = st::RunMonteCarlo(*plan, mo);
  if (!mc.ok()) {
    io.err << "detente: stability mc: " << mc.status().message() << "\n";
    return kExitInput;
  }
  st::ExchangeOutcome ev = st::ExpectedOutcome(*plan, *w);
  struct Row {
    const char* name;
    const st::Estimate* e;
    double expected;
  };
  const Row rows[] = {
      {"victim_destroyed", &mc->victim_destroyed, ev.victim_destroyed},
      {"victim_surviving", &mc->victim_surviving, ev.victim_surviving},
      {"victim_arriving", &mc->victim_arriving, ev.victim_arriving},
      {"striker_arriving", &mc->striker_arriving, ev.striker_arriving}};
  ordered_json in = InputsJson(*m);
  in["counterforce_warheads"] = *w;
  in["seed"] = opts.seed;
  in["trials"] = opts.trials;
  in["z"] = mo.z;
  in["generator"] = "PCG32, TrialRng(seed, trial) (docs/stability.md §3)";
  if (common.format == OutputFormat::kJson) {
    ordered_json j;
    j["inputs"] = in;
    j["threads"] = opts.threads;  // does not change the result
    j["engagements"] = mc->engagements;
    for (const Row& r : rows) {
      j["estimates"][r.name] = {
          {"mean", r.e->mean},           {"std_dev", r.e->std_dev},
          {"std_error", r.e->std_error}, {"ci_low", r.e->ci_low},
          {"ci_high", r.e->ci_high},     {"expected_value", r.expected}};
    }
    io.out << j.dump(2) << "\n";
    return kExitOk;
  }
  if (common.format == OutputFormat::kCsv) {
    CsvHeaderComments(io.out, in);
    io.out << "quantity,mean,std_dev,std_error,ci_low,ci_high,"
              "expected_value\n";
    for (const Row& r : rows) {
      io.out << fmt::format("{},{},{},{},{},{},{}\n", r.name, Exact(r.e->mean),
                            Exact(r.e->std_dev), Exact(r.e->std_error),
                            Exact(r.e->ci_low), Exact(r.e->ci_high),
                            Exact(r.expected));
    }
    return kExitOk;
  }
  PrintInputsHeader(io.out, *m);
  io.out << fmt::format(
      "\nMonte Carlo of A's first strike on B with {} counterforce "
      "warheads: seed {}, {} trials, {} engagements (95% intervals)\n\n",
      Thousands(*w), opts.seed, Thousands(opts.trials),
      Thousands(mc->engagements));
  TextTable t({"warheads", "mean", "95% CI", "expected value"},
              {TextTable::Align::kLeft, TextTable::Align::kRight,
               TextTable::Align::kRight, TextTable::Align::kRight});
  for (const Row& r : rows) {
    t.AddRow({r.name, Num(r.e->mean, 2),
              fmt::format("{} – {}", Num(r.e->ci_low, 2), Num(r.e->ci_high, 2)),
              Num(r.expected, 2)});
  }
  io.out << t.Render();
  return kExitOk;
}

namespace {

// "\rsweep: 12/48 points" on stderr, only when it is a terminal.
class Progress {
 public:
  explicit Progress(bool on) : on_(on && isatty(STDERR_FILENO) == 1) {}
  void operator()(int64_t done, int64_t total) const {
    if (!on_) return;
    std::fprintf(stderr, "\rsweep: %lld/%lld points",
                 static_cast<long long>(done), static_cast<long long>(total));
    if (done == total) std::fputc('\n', stderr);
    std::fflush(stderr);
  }
  bool on() const { return on_; }

 private:
  bool on_;
};

void WriteSweep(const CommonOptions& common, const st::SweepSpec& spec,
                const std::vector<std::vector<double>>& rows, Streams io) {
  std::vector<std::string> cols = st::SweepColumns(spec);
  ordered_json in;
  in["file"] = spec.file;
  in["name"] = spec.name;
  in["seed"] = spec.seed;
  in["mc_trials"] = spec.mc_trials;
  in["a"] = PostureJson(spec.a);
  in["b"] = PostureJson(spec.b);
  in["options"] = OptionsJson(spec.options);
  in["sweep_toml"] = spec.text;
  if (common.format == OutputFormat::kJson) {
    ordered_json j;
    j["inputs"] = in;
    j["columns"] = cols;
    j["rows"] = rows;
    io.out << j.dump(2) << "\n";
    return;
  }
  if (common.format == OutputFormat::kCsv) {
    CsvHeaderComments(io.out, in);
    for (size_t i = 0; i < cols.size(); ++i)
      io.out << (i ? "," : "") << cols[i];
    io.out << "\n";
    for (const auto& row : rows) {
      for (size_t i = 0; i < row.size(); ++i)
        io.out << (i ? "," : "") << Exact(row[i]);
      io.out << "\n";
    }
    return;
  }
  io.out << "sweep: " << spec.name << " (" << spec.file << ")\n";
  io.out << "A: " << spec.a.name << " (" << spec.a.file << ")\n";
  io.out << "B: " << spec.b.name << " (" << spec.b.file << ")\n";
  io.out << fmt::format(
      "{} points; seed {}, Monte Carlo trials {}; "
      "--json or --csv for every input and measure\n\n",
      rows.size(), spec.seed, spec.mc_trials);
  // The table shows the axes and the headline measures.
  std::vector<std::string> shown = {"point"};
  for (const st::SweepAxis& a : spec.axes) shown.push_back(a.name);
  for (const char* c : {"warheads_a", "warheads_b", "index", "ratio_a",
                        "ratio_b", "surviving_a", "surviving_b",
                        "first_strike_advantage_a", "first_strike_advantage_b"})
    shown.emplace_back(c);
  std::vector<size_t> at;
  for (const std::string& s : shown)
    at.push_back(static_cast<size_t>(std::find(cols.begin(), cols.end(), s) -
                                     cols.begin()));
  std::vector<TextTable::Align> align(shown.size(), TextTable::Align::kRight);
  TextTable t(shown, align);
  for (const auto& row : rows) {
    std::vector<std::string> cells;
    for (size_t k = 0; k < at.size(); ++k) {
      double v = row[at[k]];
      bool integral = v == std::floor(v) && std::fabs(v) < 1e15;
      cells.push_back(integral ? Thousands(static_cast<int64_t>(v))
                               : Num(v, shown[k] == "index" ||
                                                shown[k].rfind("ratio", 0) == 0
                                            ? 4
                                            : 1));
    }
    t.AddRow(std::move(cells));
  }
  io.out << t.Render();
}

}  // namespace

int RunSweep(const CommonOptions& common, const SweepOptions& opts,
             Streams io) {
  if (opts.threads < 1) {
    io.err << "detente: sweep: --threads: must be >= 1 (got " << opts.threads
           << ")\n";
    return kExitUsage;
  }
  SweepMpi mpi;
  if (opts.mpi) {
    if (Status s = mpi.Init(); !s.ok()) {
      io.err << "detente: sweep: --mpi: " << s.message() << "\n";
      return kExitUsage;
    }
  }
  const bool lead = mpi.rank() == 0;
  // Every rank loads the same files: a bad file is reported once, by rank
  // 0, and every rank exits the same way.
  auto catalog = st::LoadWeaponsDir(DataDir(common) + "/weapons");
  if (!catalog.ok()) {
    if (lead) io.err << "detente: " << catalog.status().message() << "\n";
    return kExitInput;
  }
  auto spec =
      st::LoadSweepFile(opts.file, *catalog, DataDir(common) + "/postures");
  if (!spec.ok()) {
    if (lead) io.err << "detente: " << spec.status().message() << "\n";
    return kExitInput;
  }
  Progress progress(opts.progress && lead);
  st::SweepRunOptions ro;
  ro.threads = opts.threads;
  // Rank r evaluates points r, r + size, ...: neighbouring points cost
  // about the same, so interleaving balances the ranks.
  for (int64_t p = mpi.rank(); p < spec->Points(); p += mpi.size())
    ro.points.push_back(p);
  if (progress.on()) {
    ro.progress = [&progress](int64_t done, int64_t total) {
      progress(done, total);
    };
  }
  auto mine = ro.points.empty() ? Result<std::vector<std::vector<double>>>(
                                      std::vector<std::vector<double>>{})
                                : st::RunSweep(*spec, ro);
  Status local = mine.ok() ? Status::Ok() : mine.status();
  auto all =
      mpi.Gather(*spec, ro.points,
                 mine.ok() ? *mine : std::vector<std::vector<double>>{}, local);
  if (!all.ok()) {
    if (lead) io.err << "detente: sweep: " << all.status().message() << "\n";
    return kExitInput;
  }
  if (lead) WriteSweep(common, *spec, *all, io);
  return kExitOk;
}

}  // namespace detente::cli

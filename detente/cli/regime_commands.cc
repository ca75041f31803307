// detente state | findings | finding verify
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "detente/base/csv.h"
#include "detente/cli/cli_util.h"
#include "detente/cli/commands.h"
#include "detente/cli/regime_io.h"
#include "detente/cli/table.h"
#include "detente/compliance/checker.h"
#include "detente/compliance/verify.h"
#include "detente/regime/log_reader.h"
#include "detente/registry/counting.h"
#include "detente/registry/published.h"
#include "detente/treaty/catalog.h"
#include "fmt/format.h"

namespace detente::cli {
namespace {

using nlohmann::json;

}  // namespace

int RunState(const CommonOptions& common, const StateOptions& opts,
             Streams io) {
  std::optional<treaty::Spec> spec =
      LoadSpecOrReport(common, opts.regime.treaty, io);
  if (!spec) return kExitInput;
  Result<Instant> at = WhenOrNow(opts.at);
  if (!at.ok()) return Fail(io, at.status().WithContext("--at"), kExitUsage);
  Result<OpenRegime> regime = OpenRegimeDir(*spec, opts.regime.dir);
  if (!regime.ok()) return Fail(io, regime.status());
  size_t irregular = 0;
  Result<std::vector<regime::LoggedNotification>> all =
      ReadNotifications(*spec, *regime, &irregular);
  if (!all.ok()) return Fail(io, all.status());
  regime::Fold fold(*spec, std::move(all).value());
  Result<regime::State> state = fold.StateAt(*at);
  if (!state.ok()) return Fail(io, state.status());
  Result<std::vector<registry::Aggregate>> aggs =
      registry::CountAll(*spec, state->items);
  if (!aggs.ok()) return Fail(io, aggs.status());

  // Published figures as of the same date, when there are any.
  std::map<std::pair<std::string, std::string>, int64_t> published;
  std::string pub_file = opts.published;
  if (pub_file.empty()) {
    std::string stem = spec->id;
    std::replace(stem.begin(), stem.end(), '-', '_');
    pub_file = (std::filesystem::path(DataDir(common)) / "public" /
                (stem + "_aggregates.csv"))
                   .string();
  }
  if (std::filesystem::exists(pub_file)) {
    Result<registry::PublishedTable> t =
        registry::LoadPublished(pub_file, *spec);
    if (t.ok()) {
      for (const auto& row : t->rows) {
        if (row.as_of != at->date()) continue;
        for (size_t i = 0; i < t->limit_ids.size(); ++i) {
          if (row.figures[i]) {
            published[{row.party, t->limit_ids[i]}] = *row.figures[i];
          }
        }
      }
    }
  }

  // Items by party, category and status.
  std::map<std::string, std::map<std::string, std::map<std::string, int>>>
      census;
  for (const auto& [id, item] : state->items.items()) {
    ++census[item.party][item.category][item.status];
  }
  if (common.format == OutputFormat::kJson) {
    json aj = json::array();
    for (const auto& a : *aggs) {
      const treaty::Limit* l = spec->FindLimit(a.limit_id);
      auto pub = published.find({a.party, a.limit_id});
      aj.push_back({{"limit", a.limit_id},
                    {"party", a.party},
                    {"value", a.value},
                    {"max", l->max ? json(*l->max) : json(nullptr)},
                    {"state", registry::LimitStateName(registry::Evaluate(
                                  *spec, *l, a.value, at->date()))},
                    {"published", pub == published.end() ? json(nullptr)
                                                         : json(pub->second)}});
    }
    io.out << json{{"treaty", spec->id},
                   {"at", at->ToString()},
                   {"notifications_applied", state->applied},
                   {"items", state->items.size()},
                   {"census", census},
                   {"aggregates", aj},
                   {"declarations", state->declarations.size()},
                   {"irregularities", state->irregularities.size() + irregular}}
                  .dump(2)
           << "\n";
    return kExitOk;
  }
  io.out << fmt::format(
      "{} — the database at {} (fold of {} notifications)\n\n",
      spec->short_name, at->ToString(), state->applied);
  TextTable items({"party", "category", "status", "items"},
                  {TextTable::Align::kLeft, TextTable::Align::kLeft,
                   TextTable::Align::kLeft, TextTable::Align::kRight});
  for (const auto& [party, cats] : census) {
    for (const auto& [cat, statuses] : cats) {
      for (const auto& [status, n] : statuses) {
        items.AddRow({party, cat, status, Thousands(n)});
      }
    }
  }
  io.out << items.Render() << "\n";
  TextTable t({"limit", "party", "aggregate", "limit", "state", "published"},
              {TextTable::Align::kLeft, TextTable::Align::kLeft,
               TextTable::Align::kRight, TextTable::Align::kRight,
               TextTable::Align::kLeft, TextTable::Align::kRight});
  for (const auto& a : *aggs) {
    const treaty::Limit* l = spec->FindLimit(a.limit_id);
    auto pub = published.find({a.party, a.limit_id});
    std::string p = pub == published.end() ? "" : Thousands(pub->second);
    if (pub != published.end()) p += pub->second == a.value ? " =" : " ≠";
    t.AddRow({a.limit_id, a.party, Thousands(a.value), LimitText(*l),
              std::string(registry::LimitStateName(
                  registry::Evaluate(*spec, *l, a.value, at->date()))),
              p});
  }
  io.out << t.Render();
  size_t n_irr = state->irregularities.size() + irregular;
  if (n_irr > 0) {
    io.out << fmt::format(
        "\n{} irregularities in the logs so far; see 'detente findings'.\n",
        n_irr);
  }
  return kExitOk;
}

int RunFindings(const CommonOptions& common, const FindingsOptions& opts,
                Streams io) {
  std::optional<treaty::Spec> spec =
      LoadSpecOrReport(common, opts.regime.treaty, io);
  if (!spec) return kExitInput;
  Result<Instant> until = WhenOrNow(opts.until);
  if (!until.ok())
    return Fail(io, until.status().WithContext("--until"), kExitUsage);
  compliance::CheckOptions check;
  check.until = *until;
  if (!opts.cadence_from.empty()) {
    Result<Date> from = Date::Parse(opts.cadence_from);
    if (!from.ok()) {
      return Fail(io, from.status().WithContext("--cadence-from"), kExitUsage);
    }
    check.cadence_from = *from;
  }
  if (opts.authenticate == "checkpoint") {
    check.authentication = regime::EntryAuthentication::kSignedCheckpoint;
  } else if (opts.authenticate != "signatures") {
    return Fail(io,
                Status::InvalidArgument(fmt::format(
                    "--authenticate: '{}' is neither 'signatures' (each "
                    "entry's signature) nor 'checkpoint' (the latest signed "
                    "checkpoint's root)",
                    opts.authenticate)),
                kExitUsage);
  }
  // The pass reads every entry (a missing one fails it as Corruption), so
  // the logs are opened without counting their entries first.
  ledger::LogStoreOptions open;
  open.count_entries_on_open = false;
  Result<OpenRegime> regime = OpenRegimeDir(*spec, opts.regime.dir, open);
  if (!regime.ok()) return Fail(io, regime.status());
  Result<compliance::ComplianceResult> result =
      compliance::Check(*spec, regime->inputs, check);
  if (!result.ok()) return Fail(io, result.status());
  const auto& findings = result->findings;
  if (!opts.out_dir.empty()) {
    std::filesystem::create_directories(opts.out_dir);
    for (const compliance::Finding& f : findings) {
      std::string path =
          (std::filesystem::path(opts.out_dir) / (f.id + ".json")).string();
      std::ofstream out(path, std::ios::trunc);
      out << compliance::FindingToJson(f);
      if (!out) {
        return Fail(io, Status::IOError(fmt::format("{}: cannot write", path)));
      }
    }
  }
  if (common.format == OutputFormat::kJson) {
    json arr = json::array();
    for (const compliance::Finding& f : findings) {
      arr.push_back({{"id", f.id},
                     {"rule", f.rule},
                     {"party", f.party},
                     {"time", f.time.ToString()},
                     {"severity", compliance::SeverityName(f.severity)},
                     {"text", f.text},
                     {"claim", f.claim},
                     {"evidence_entries", f.evidence.size()}});
    }
    io.out << json{{"treaty", spec->id},
                   {"until", until->ToString()},
                   {"findings", arr}}
                  .dump(2)
           << "\n";
  } else {
    TextTable t({"time", "party", "severity", "rule", "id", "finding"});
    for (const compliance::Finding& f : findings) {
      t.AddRow({f.time.date().ToString(), f.party,
                std::string(compliance::SeverityName(f.severity)), f.rule, f.id,
                f.text});
    }
    io.out << fmt::format("{} — findings up to {}\n\n", spec->short_name,
                          until->ToString())
           << t.Render() << fmt::format("\n{} findings", findings.size())
           << (opts.out_dir.empty()
                   ? std::string()
                   : fmt::format("; written to {}/<id>.json", opts.out_dir))
           << "\n";
  }
  return kExitOk;
}

int RunFindingVerify(const CommonOptions& common,
                     const FindingVerifyOptions& opts, Streams io) {
  Result<std::string> text = ReadFile(opts.file);
  if (!text.ok()) return Fail(io, text.status());
  Result<compliance::Finding> f = compliance::FindingFromJson(*text);
  if (!f.ok()) return Fail(io, f.status().WithContext(opts.file));
  std::optional<treaty::Spec> spec = LoadSpecOrReport(common, f->treaty, io);
  if (!spec) return kExitInput;
  std::vector<crypto::VerifierKey> keys;
  for (const std::string& k : opts.vkeys) {
    std::string t = k;
    if (std::filesystem::exists(k)) {
      Result<std::string> r = ReadFile(k);
      if (!r.ok()) return Fail(io, r.status());
      t = *r;
      while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
    }
    Result<crypto::VerifierKey> v = crypto::VerifierKey::Parse(t);
    if (!v.ok()) return Fail(io, v.status().WithContext(k), kExitUsage);
    keys.push_back(*v);
  }
  Status s = compliance::VerifyFinding(*f, *spec, keys);
  if (common.format == OutputFormat::kJson) {
    io.out << json{{"id", f->id},
                   {"rule", f->rule},
                   {"ok", s.ok()},
                   {"error", s.ok() ? json(nullptr) : json(s.message())}}
                  .dump(2)
           << "\n";
  } else if (s.ok()) {
    io.out << fmt::format(
        "ok: finding {} ({}, {}) holds: {} evidence entries included in "
        "cosigned checkpoints, signed by their senders, and the claim "
        "re-derived from them\n",
        f->id, f->rule, f->party, f->evidence.size());
  }
  if (!s.ok()) {
    io.err << "detente: finding " << f->id
           << " does not verify: " << s.message() << "\n";
    return kExitCheckFailed;
  }
  return kExitOk;
}

}  // namespace detente::cli

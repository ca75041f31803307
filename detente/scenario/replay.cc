#include "detente/scenario/replay.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <utility>

#include "detente/commission/agenda.h"
#include "detente/commission/commission.h"
#include "detente/commission/messages.h"
#include "detente/commission/outcome.h"
#include "detente/crypto/sha256.h"
#include "fmt/format.h"

namespace detente::scenario {
namespace {

using commission::MessageKind;
using notification::Notification;
using notification::Value;

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

const std::string* BodyString(const Notification& n, std::string_view key) {
  const Value* v = n.body.Find(key);
  return v != nullptr && v->is_str() ? &v->str() : nullptr;
}

void SetBody(Notification& n, const std::string& key, Value v) {
  Value::Map m = n.body.map();
  m.insert_or_assign(key, std::move(v));
  n.body = Value::OfMap(std::move(m));
}

std::string CodeFor(const treaty::Spec& spec, MessageKind kind) {
  for (const treaty::NotificationType& t : spec.notifications) {
    if (commission::KindOf(t.code) == kind) return t.code;
  }
  return "";
}

// Asks the commission, as it stood before `postpone`, whether the session
// would have convened on the first day of its dates.
ConveneCheck ProbeConvene(const treaty::Spec& spec,
                          const commission::Commission& before,
                          const Notification& postpone,
                          const commission::Session& session) {
  ConveneCheck c;
  c.session = session.id;
  c.postponed_by = postpone.sender;
  c.postponed_at = postpone.event_time;
  const std::vector<std::string> parties = commission::PartyCodes(spec);
  // The convener: a party that had accepted the current agenda, else the
  // first party.
  c.probe_sender = parties.front();
  if (const commission::AgendaVersion* v = session.agenda.Current()) {
    for (const std::string& p : parties) {
      auto it = session.agenda.accepted.find(p);
      if (it != session.agenda.accepted.end() && it->second == v->version) {
        c.probe_sender = p;
        break;
      }
    }
  }
  c.probe_time = session.dates ? Instant::StartOf(session.dates->start)
                               : postpone.event_time;
  Notification probe;
  probe.treaty = spec.id;
  probe.sender = c.probe_sender;
  probe.sequence = 1;  // not on any log
  probe.type = CodeFor(spec, MessageKind::kSessionConvene);
  probe.event_time = c.probe_time;
  probe.sent_time = c.probe_time;
  probe.body = Value::OfMap({{"session", Value::Str(session.id)}});
  commission::Commission what_if = before;
  Status s = what_if.Apply(probe);
  c.would_convene = s.ok();
  if (!s.ok()) {
    // Without the "<sender> #<sequence> (<type>): " of a logged step: the
    // probe is on no log.
    const std::string_view m = s.message();
    const std::string prefix =
        fmt::format("{} #{} ({}): ", probe.sender, probe.sequence, probe.type);
    c.refusal =
        std::string(m.substr(m.rfind(prefix, 0) == 0 ? prefix.size() : 0));
  }
  return c;
}

std::string ProvenanceJson(const Scenario& sc, const ReplayReport& r) {
  nlohmann::json events = nlohmann::json::array();
  for (const ReplayedEvent& e : r.events) {
    events.push_back({{"line", e.line},
                      {"party", e.party},
                      {"sequence", e.sequence},
                      {"type", e.type},
                      {"event_time", e.event_time.ToString()},
                      {"sent_time", e.sent_time.ToString()},
                      {"basis", e.illustration ? "illustration" : "sourced"},
                      {"source", e.source},
                      {"note", e.note}});
  }
  nlohmann::json checks = nlohmann::json::array();
  for (const ConveneCheck& c : r.convene_checks) {
    checks.push_back({{"session", c.session},
                      {"postponed_by", c.postponed_by},
                      {"postponed_at", c.postponed_at.ToString()},
                      {"probe_time", c.probe_time.ToString()},
                      {"probe_sender", c.probe_sender},
                      {"would_convene", c.would_convene},
                      {"refusal", c.refusal}});
  }
  nlohmann::json refusals = nlohmann::json::array();
  for (const ScenarioRefusal& f : r.refusals) {
    refusals.push_back({{"line", f.line}, {"text", f.text}});
  }
  nlohmann::json m = {
      {"scenario", sc.id},
      {"file", BaseName(sc.file)},
      {"title", sc.title},
      {"treaty", sc.treaty},
      {"end",
       sc.end ? nlohmann::json(sc.end->ToString()) : nlohmann::json(nullptr)},
      {"end_source", sc.end_source},
      {"basis",
       "Each event is 'sourced' (its date and content rest on the cited "
       "source; its form as a notification, and a time of day the sources do "
       "not give, are detente's modelling, said in 'note') or "
       "'illustration' (not public — the work of the BCC is confidential — "
       "made up to show the mechanism). Every other notification is "
       "SYNTHETIC."},
      {"filled_by_replay",
       "Commissioner keys (-COMMISSIONER key), outcome signatures "
       "(-OUTCOME signatures) and agenda hashes (-AGENDA-ACCEPT agenda) are "
       "computed by the replay: the Commissioner keys are SYNTHETIC, derived "
       "from the seed (docs/scenarios.md)."},
      {"commissioner_keys", r.commissioner_keys},
      {"synthetic_dropped_after_stop", r.dropped},
      {"convene_checks", checks},
      {"refusals", refusals},
      {"events", events},
  };
  return m.dump();
}

std::string ProvenanceReadme(const Scenario& sc, const ReplayReport& r) {
  std::string s = fmt::format(
      "## Merged: scenario `{}` ({})\n\n{}\n\nThese notifications are not "
      "synthetic: each is **sourced** (its date and content rest on the "
      "cited source; how it is put as a notification, and any time of day, "
      "is detente's modelling, noted) or an **illustration** (not public: "
      "the work of the BCC is confidential). Commissioner keys and their "
      "outcome signatures are SYNTHETIC (derived from the seed).\n\n",
      BaseName(sc.file), sc.id, sc.title);
  if (sc.end) {
    s += fmt::format("Treaty end: {} ({}).\n\n", sc.end->ToString(),
                     sc.end_source);
  }
  s += "| event time | party | # | type | basis | source | note |\n"
       "|---|---|---|---|---|---|---|\n";
  for (const ReplayedEvent& e : r.events) {
    s += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n",
                     e.event_time.ToString(), e.party, e.sequence, e.type,
                     e.illustration ? "ILLUSTRATION" : "sourced", e.source,
                     e.note);
  }
  for (const auto& [party, n] : r.dropped) {
    s += fmt::format(
        "\n{} stopped sending: {} synthetic notifications sent after that "
        "were dropped.\n",
        party, n);
  }
  for (const ConveneCheck& c : r.convene_checks) {
    s += fmt::format(
        "\nSession {} postponed by {} at {}. Asked of the record just "
        "before, a convene on {} by {}: {}\n",
        c.session, c.postponed_by, c.postponed_at.ToString(),
        c.probe_time.ToString(), c.probe_sender,
        c.would_convene ? "would have convened." : "refused — " + c.refusal);
  }
  return s;
}

}  // namespace

Result<crypto::SignerKey> SyntheticCommissionerKey(std::string_view treaty_id,
                                                   uint64_t seed,
                                                   std::string_view party,
                                                   std::string_view name) {
  std::string lower(party);
  for (char& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const std::string input = fmt::format(
      "detente/scenario/replay/commissioner/v1\n{}\n{}\n{}", seed, party, name);
  return crypto::SignerKey::FromSeed(
      fmt::format("{}-commissioner.synthetic.detente/{}", lower, treaty_id),
      crypto::KeyType::kEd25519, crypto::Sha256(input));
}

Result<ReplayHistory> BuildReplay(const treaty::Spec& spec,
                                  const registry::PublishedTable& published,
                                  const Scenario& scenario,
                                  const SynthOptions& opts) {
  if (scenario.treaty != spec.id) {
    return Status::InvalidArgument(
        fmt::format("{}: the scenario is for '{}' but the spec is '{}'",
                    scenario.file, scenario.treaty, spec.id));
  }
  DETENTE_ASSIGN_OR_RETURN(SynthHistory history,
                           BuildHistory(spec, published, opts));
  ReplayHistory out;
  ReplayReport& report = out.report;
  report.scenario_file = BaseName(scenario.file);
  report.scenario_id = scenario.id;

  // The events as notifications, with provisional per-sender sequence
  // numbers (file order is time order), folded through the commission in
  // its order to fill what the file leaves to the replay.
  std::vector<Notification> ns;
  std::map<std::string, uint64_t> seq;
  for (const ScenarioEvent& e : scenario.events) {
    ns.push_back(e.notification);
    ns.back().sequence = ++seq[e.notification.sender];
  }
  std::vector<size_t> order(ns.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Notification& x = ns[a];
    const Notification& y = ns[b];
    if (x.event_time != y.event_time) return x.event_time < y.event_time;
    if (x.sender != y.sender) return x.sender < y.sender;
    return x.sequence < y.sequence;
  });
  commission::Commission fold(spec);
  std::map<std::string, crypto::SignerKey> keys;  // party -> Commissioner
  for (size_t i : order) {
    Notification& n = ns[i];
    const ScenarioEvent& e = scenario.events[i];
    const auto fail = [&](std::string_view what) {
      return Status::InvalidArgument(fmt::format(
          "{}:{}: {} {}: {}", scenario.file, e.line, n.sender, n.type, what));
    };
    const MessageKind kind = commission::KindOf(n.type);
    const std::string_view filled = FilledField(n.type);
    const bool fill = !filled.empty() && n.body.Find(filled) == nullptr;
    if (kind == MessageKind::kCommissioner) {
      const std::string* name = BodyString(n, "commissioner");
      DETENTE_ASSIGN_OR_RETURN(
          crypto::SignerKey key,
          SyntheticCommissionerKey(spec.id, opts.seed, n.sender,
                                   name ? *name : ""));
      if (fill) SetBody(n, "key", Value::Str(key.verifier().ToString()));
      report.commissioner_keys[n.sender] = key.verifier().ToString();
      keys.insert_or_assign(n.sender, std::move(key));
    } else if (kind == MessageKind::kOutcome && fill) {
      SetBody(n, "signatures", Value::Str(""));
      Result<commission::OutcomeMessage> m =
          commission::OutcomeFromNotification(n);
      if (!m.ok()) return fail(m.status().message());
      std::vector<commission::OutcomeSignature> sigs;
      for (const std::string& p : commission::PartyCodes(spec)) {
        auto it = keys.find(p);
        if (it == keys.end()) {
          return fail(fmt::format(
              "{} has no Commissioner appointed by then to sign it", p));
        }
        sigs.push_back(commission::SignOutcome(m->record, p, it->second));
      }
      SetBody(n, "signatures", Value::Str(commission::FormatSignatures(sigs)));
    } else if (kind == MessageKind::kAgendaAccept && fill) {
      const std::string* session = BodyString(n, "session");
      auto it = session ? fold.state().sessions.find(*session)
                        : fold.state().sessions.end();
      if (it == fold.state().sessions.end() ||
          it->second.agenda.Current() == nullptr) {
        return fail("no agenda of that session has been proposed by then");
      }
      SetBody(n, "agenda", Value::Str(it->second.agenda.Current()->hash));
    }
    if (kind == MessageKind::kPostpone) {
      const std::string* session = BodyString(n, "session");
      auto it = session ? fold.state().sessions.find(*session)
                        : fold.state().sessions.end();
      if (it != fold.state().sessions.end()) {
        report.convene_checks.push_back(
            ProbeConvene(spec, fold, n, it->second));
      }
    }
    Status applied = fold.Apply(n);
    if (!applied.ok() && kind != MessageKind::kNone) {
      report.refusals.push_back({e.line, std::string(applied.message())});
    }
  }

  // Merge into each sender's log.
  std::vector<ExtraNotifications> extra;
  for (const treaty::Party& p : spec.parties) {
    ExtraNotifications x;
    x.party = p.code;
    for (size_t i = 0; i < ns.size(); ++i) {
      if (ns[i].sender != p.code) continue;
      x.notifications.push_back(ns[i]);
      if (scenario.events[i].stops_sending) {
        x.stops_sending = ns[i].sent_time;
      }
    }
    extra.push_back(std::move(x));
  }
  DETENTE_ASSIGN_OR_RETURN(report.dropped,
                           MergeNotifications(spec, opts, extra, &history));
  for (const treaty::Party& p : spec.parties) {
    if (report.dropped.count(p.code) == 0) {
      for (const ExtraNotifications& x : extra) {
        if (x.party == p.code && x.stops_sending) report.dropped[p.code] = 0;
      }
    }
  }

  // Where each event landed: the merge keeps each party's extras in order.
  std::map<std::string, std::vector<size_t>> by_party;  // event indices
  for (size_t i = 0; i < ns.size(); ++i) by_party[ns[i].sender].push_back(i);
  std::vector<uint64_t> sequence(ns.size(), 0);
  for (const PartyHistory& h : history.parties) {
    const std::vector<size_t>& mine = by_party[h.party];
    size_t next = 0;
    for (const Notification& n : h.notifications) {
      if (next == mine.size()) break;
      Notification expected = ns[mine[next]];
      expected.sequence = n.sequence;
      if (n == expected) sequence[mine[next++]] = n.sequence;
    }
    if (next != mine.size()) {
      return Status::Internal(fmt::format(
          "replay: {} of {}'s scenario notifications not found after merging",
          mine.size() - next, h.party));
    }
  }
  for (size_t i = 0; i < ns.size(); ++i) {
    const ScenarioEvent& e = scenario.events[i];
    report.events.push_back({e.line, ns[i].sender, sequence[i], ns[i].type,
                             ns[i].event_time, ns[i].sent_time, e.illustration,
                             e.source, e.note});
  }
  history.merged.push_back({BaseName(scenario.file),
                            ProvenanceJson(scenario, report),
                            ProvenanceReadme(scenario, report)});
  out.history = std::move(history);
  return out;
}

Result<ReplayReport> Replay(const treaty::Spec& spec,
                            const registry::PublishedTable& published,
                            const Scenario& scenario,
                            const SynthOptions& opts) {
  if (opts.out_dir.empty()) {
    return Status::InvalidArgument("replay: no output directory");
  }
  DETENTE_ASSIGN_OR_RETURN(ReplayHistory r,
                           BuildReplay(spec, published, scenario, opts));
  DETENTE_ASSIGN_OR_RETURN(r.report.written,
                           WriteHistory(spec, published, opts, r.history));
  return std::move(r.report);
}

}  // namespace detente::scenario

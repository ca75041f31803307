// detente bcc ... | detente dialogue ...: the Commission and the strategic
// stability dialogue as folds of the parties' logs (commission::Commission),
// and the steps that change them. A step is a notification built from the
// command's options, validated against the catalogue, then applied to the
// commission as the logs stand at its event time: when the commission would
// refuse it (a session convened without an agreed agenda, a terminated
// dialogue resumed, ...) the command says why and appends nothing.
#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "detente/base/csv.h"
#include "detente/cli/cli_util.h"
#include "detente/cli/commands.h"
#include "detente/cli/regime_io.h"
#include "detente/cli/table.h"
#include "detente/commission/agenda.h"
#include "detente/commission/commission.h"
#include "detente/commission/messages.h"
#include "detente/commission/outcome.h"
#include "detente/crypto/keys.h"
#include "fmt/format.h"

namespace detente::cli {
namespace {

using commission::MessageKind;
using nlohmann::json;
using notification::Value;

std::vector<std::string> PartyCodes(const treaty::Spec& spec) {
  std::vector<std::string> out;
  for (const treaty::Party& p : spec.parties) out.push_back(p.code);
  return out;
}

// The parties' notifications in the regime's fold order.
Result<std::vector<notification::Notification>> SortedNotifications(
    const treaty::Spec& spec, const std::string& dir) {
  DETENTE_ASSIGN_OR_RETURN(OpenRegime regime, OpenRegimeDir(spec, dir));
  DETENTE_ASSIGN_OR_RETURN(std::vector<regime::LoggedNotification> logged,
                           ReadNotifications(spec, regime));
  std::vector<notification::Notification> out;
  out.reserve(logged.size());
  for (auto& ln : logged) out.push_back(std::move(ln.notification));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.event_time != b.event_time) return a.event_time < b.event_time;
    if (a.sender != b.sender) return a.sender < b.sender;
    return a.sequence < b.sequence;
  });
  return out;
}

// The commission as the logs in `dir` stand at `at`.
Result<commission::State> CommissionAt(const treaty::Spec& spec,
                                       const std::string& dir, Instant at) {
  DETENTE_ASSIGN_OR_RETURN(std::vector<notification::Notification> all,
                           SortedNotifications(spec, dir));
  return commission::FoldCommission(spec, all, at);
}

json SourceJson(const commission::Source& s) {
  return {{"party", s.party},
          {"sequence", s.sequence},
          {"type", s.type},
          {"time", s.time.ToString()}};
}

// For each item of the current agenda version, the parties whose accepted
// version lists it; and the parties that have not accepted the current one.
struct AgendaStanding {
  const commission::AgendaVersion* current = nullptr;
  std::vector<std::string> not_accepted;  // parties
  std::map<std::string, std::vector<std::string>> item_accepted_by;
};

AgendaStanding Standing(const commission::Agenda& agenda,
                        const std::vector<std::string>& parties) {
  AgendaStanding st;
  st.current = agenda.Current();
  if (st.current == nullptr) return st;
  for (const std::string& p : parties) {
    auto it = agenda.accepted.find(p);
    if (it == agenda.accepted.end() || it->second != st.current->version) {
      st.not_accepted.push_back(p);
    }
  }
  for (const std::string& item : st.current->issues) {
    std::vector<std::string>& by = st.item_accepted_by[item];
    for (const std::string& p : parties) {
      auto it = agenda.accepted.find(p);
      if (it == agenda.accepted.end()) continue;
      for (const commission::AgendaVersion& v : agenda.versions) {
        if (v.version == it->second &&
            std::find(v.issues.begin(), v.issues.end(), item) !=
                v.issues.end()) {
          by.push_back(p);
        }
      }
    }
  }
  return st;
}

json AgendaJson(const commission::Agenda& agenda,
                const std::vector<std::string>& parties) {
  json versions = json::array();
  for (const commission::AgendaVersion& v : agenda.versions) {
    versions.push_back({{"version", v.version},
                        {"proposer", v.proposer},
                        {"issues", v.issues},
                        {"hash", v.hash},
                        {"source", SourceJson(v.source)}});
  }
  AgendaStanding st = Standing(agenda, parties);
  json accepted = json::object();
  for (const auto& [p, v] : agenda.accepted) accepted[p] = v;
  json items = json::object();
  for (const auto& [item, by] : st.item_accepted_by) items[item] = by;
  return {{"versions", versions},
          {"current", st.current ? json(st.current->version) : json(nullptr)},
          {"agreed", st.current != nullptr && st.not_accepted.empty()},
          {"accepted", accepted},
          {"not_accepted_by", st.not_accepted},
          {"items_accepted_by", items}};
}

std::string AgendaSummary(const commission::Agenda& agenda,
                          const std::vector<std::string>& parties) {
  AgendaStanding st = Standing(agenda, parties);
  if (st.current == nullptr) return "no agenda proposed";
  if (st.not_accepted.empty()) {
    return fmt::format("v{} agreed", st.current->version);
  }
  return fmt::format("v{} not agreed: not accepted by {}", st.current->version,
                     Join(st.not_accepted, ", "));
}

json SessionJson(const commission::Session& s,
                 const std::vector<std::string>& parties) {
  json j = {
      {"id", s.id},
      {"status", commission::SessionStatusName(s.status)},
      {"dates_accepted_by", std::vector<std::string>(s.dates_accepted.begin(),
                                                     s.dates_accepted.end())},
      {"agenda", AgendaJson(s.agenda, parties)}};
  if (s.dates) {
    j["dates"] = {{"start", s.dates->start.ToString()},
                  {"end", s.dates->end.ToString()},
                  {"venue", s.dates->venue},
                  {"version", s.dates->version},
                  {"proposer", s.dates->proposer}};
  }
  json post = json::array();
  for (const commission::Postponement& p : s.postponements) {
    post.push_back({{"party", p.party},
                    {"reason", p.reason},
                    {"new_dates_to_follow", p.new_dates_to_follow},
                    {"source", SourceJson(p.source)}});
  }
  j["postponements"] = post;
  j["cancel_requests"] = std::vector<std::string>(s.cancel_requests.begin(),
                                                  s.cancel_requests.end());
  if (s.convened) j["convened"] = SourceJson(*s.convened);
  if (s.concluded) j["concluded"] = SourceJson(*s.concluded);
  return j;
}

json RefusalsJson(const commission::State& st) {
  json out = json::array();
  for (const commission::Refusal& r : st.refusals) {
    out.push_back({{"source", SourceJson(r.source)}, {"text", r.text}});
  }
  return out;
}

const treaty::NotificationType* TypeOfKind(const treaty::Spec& spec,
                                           MessageKind kind) {
  for (const treaty::NotificationType& t : spec.notifications) {
    if (commission::KindOf(t.code) == kind) return &t;
  }
  return nullptr;
}

struct Verb {
  std::string_view name;
  MessageKind kind;
};

// The message a step sends. "propose" and "accept" serve dates and agendas:
// --start (dates) or --issues / --agenda (agenda) tell them apart.
Result<MessageKind> KindOfStep(const CommissionStepOptions& o) {
  const auto has = [&](const char* k) { return o.fields.count(k) > 0; };
  if (o.verb == "propose") {
    if (has("start") || has("end") || has("venue")) {
      return MessageKind::kSessionPropose;
    }
    if (has("issues")) return MessageKind::kAgendaPropose;
    return Status::InvalidArgument(
        "propose: give --start, --end and --venue (session dates) or "
        "--issues (an agenda)");
  }
  if (o.verb == "accept") {
    if (o.accept_dates || has("start")) return MessageKind::kSessionAccept;
    return MessageKind::kAgendaAccept;
  }
  static const Verb kVerbs[] = {
      {"commissioner", MessageKind::kCommissioner},
      {"raise", MessageKind::kIssueRaise},
      {"withdraw", MessageKind::kIssueWithdraw},
      {"postpone", MessageKind::kPostpone},
      {"cancel", MessageKind::kSessionCancel},
      {"convene", MessageKind::kSessionConvene},
      {"conclude", MessageKind::kSessionConclude},
      {"record", MessageKind::kOutcome},
      {"status", MessageKind::kDialogueStatus},
      {"note", MessageKind::kNote},
      {"demarche", MessageKind::kDemarche},
      {"sever", MessageKind::kSeverance},
  };
  for (const Verb& v : kVerbs) {
    if (v.name == o.verb) return v.kind;
  }
  return Status::InvalidArgument(fmt::format("unknown step '{}'", o.verb));
}

// Fills what the state already knows: the current agenda's hash for an
// acceptance, the proposed dates for a date acceptance, "no new dates" for
// a postponement.
Status FillFromState(MessageKind kind, const commission::State& st,
                     const std::vector<std::string>& parties,
                     std::map<std::string, std::string>& fields) {
  auto session = [&]() -> Result<const commission::Session*> {
    auto f = fields.find("session");
    if (f == fields.end()) {
      return Status::InvalidArgument("--session is required");
    }
    auto it = st.sessions.find(f->second);
    if (it == st.sessions.end()) {
      std::vector<std::string> ids;
      for (const auto& [id, s] : st.sessions) ids.push_back(id);
      return Status::NotFound(
          fmt::format("no session '{}' on the logs (sessions: {})", f->second,
                      ids.empty() ? "none" : Join(ids, ", ")));
    }
    return &it->second;
  };
  if (kind == MessageKind::kAgendaAccept &&
      (!fields.count("agenda") || fields["agenda"] == "current")) {
    DETENTE_ASSIGN_OR_RETURN(const commission::Session* s, session());
    const commission::AgendaVersion* v = s->agenda.Current();
    if (v == nullptr) {
      return Status::FailedPrecondition(
          fmt::format("session {} has no agenda proposed to accept", s->id));
    }
    fields["agenda"] = v->hash;
  }
  if (kind == MessageKind::kSessionAccept && !fields.count("start")) {
    DETENTE_ASSIGN_OR_RETURN(const commission::Session* s, session());
    if (!s->dates) {
      return Status::FailedPrecondition(
          fmt::format("session {} has no dates proposed to accept", s->id));
    }
    fields["start"] = s->dates->start.ToString();
    fields["end"] = s->dates->end.ToString();
    fields["venue"] = s->dates->venue;
  }
  if (kind == MessageKind::kPostpone && !fields.count("new_dates_to_follow")) {
    fields["new_dates_to_follow"] = "false";
  }
  if (kind == MessageKind::kOutcome && !fields.count("confidential")) {
    fields["confidential"] = "false";  // --confidential marks it
  }
  (void)parties;
  return Status::Ok();
}

}  // namespace

int RunBccView(const CommonOptions& common, const CommissionViewOptions& opts,
               Streams io) {
  std::optional<treaty::Spec> spec =
      LoadSpecOrReport(common, opts.regime.treaty, io);
  if (!spec) return kExitInput;
  Result<Instant> at = WhenOrNow(opts.at);
  if (!at.ok()) return Fail(io, at.status().WithContext("--at"), kExitUsage);
  Result<commission::State> st = CommissionAt(*spec, opts.regime.dir, *at);
  if (!st.ok()) return Fail(io, st.status());
  const std::vector<std::string> parties = PartyCodes(*spec);
  const bool as_json = common.format == OutputFormat::kJson;

  if (opts.view == "issues") {
    if (as_json) {
      json out = json::array();
      for (const auto& [id, i] : st->issues) {
        out.push_back({{"id", id},
                       {"raised_by", i.raised_by},
                       {"title", i.title},
                       {"text", i.text},
                       {"finding", i.finding},
                       {"confidential", i.confidential},
                       {"status", commission::IssueStatusName(i.status)},
                       {"raised", SourceJson(i.raised)}});
      }
      io.out << json{{"treaty", spec->id},
                     {"at", at->ToString()},
                     {"issues", out}}
                    .dump(2)
             << "\n";
      return kExitOk;
    }
    TextTable t({"issue", "raised by", "raised", "status", "title", "finding"});
    for (const auto& [id, i] : st->issues) {
      t.AddRow({id, i.raised_by, i.raised.time.date().ToString(),
                std::string(commission::IssueStatusName(i.status)), i.title,
                i.finding.empty() ? "-" : i.finding});
    }
    io.out << fmt::format(
        "{} — commission issues at {}\n\n",
        spec->short_name.empty() ? spec->id : spec->short_name, at->ToString());
    io.out << t.Render();
    io.out << fmt::format("\n{} issues\n", st->issues.size());
    return kExitOk;
  }

  if (opts.view == "sessions" || opts.view == "agenda") {
    if (opts.view == "agenda" && opts.session.empty()) {
      return Fail(io, Status::InvalidArgument("agenda: --session is required"),
                  kExitUsage);
    }
    std::vector<const commission::Session*> shown;
    for (const auto& [id, s] : st->sessions) {
      if (opts.session.empty() || id == opts.session) shown.push_back(&s);
    }
    if (!opts.session.empty() && shown.empty()) {
      return Fail(io, Status::NotFound(fmt::format(
                          "no session '{}' on the logs", opts.session)));
    }
    if (as_json) {
      json out = json::array();
      for (const commission::Session* s : shown) {
        out.push_back(SessionJson(*s, parties));
      }
      io.out << json{{"treaty", spec->id},
                     {"at", at->ToString()},
                     {"sessions", out},
                     {"refusals", RefusalsJson(*st)}}
                    .dump(2)
             << "\n";
      return kExitOk;
    }
    io.out << fmt::format(
        "{} — commission sessions at {}\n\n",
        spec->short_name.empty() ? spec->id : spec->short_name, at->ToString());
    if (opts.view == "sessions") {
      TextTable t(
          {"session", "status", "dates", "venue", "agenda", "postponed by"});
      for (const commission::Session* s : shown) {
        std::vector<std::string> post;
        for (const auto& p : s->postponements) {
          post.push_back(
              fmt::format("{} {}", p.party, p.source.time.date().ToString()));
        }
        t.AddRow({s->id, std::string(commission::SessionStatusName(s->status)),
                  s->dates ? s->dates->start.ToString() + " – " +
                                 s->dates->end.ToString()
                           : "-",
                  s->dates ? s->dates->venue : "-",
                  AgendaSummary(s->agenda, parties),
                  post.empty() ? "-" : Join(post, "; ")});
      }
      io.out << t.Render();
      io.out << fmt::format("\n{} sessions\n", shown.size());
      return kExitOk;
    }
    // One session's agenda: every version, who accepted what.
    const commission::Session& s = *shown.front();
    AgendaStanding standing = Standing(s.agenda, parties);
    io.out << fmt::format("session {} ({}): {}\n\n", s.id,
                          commission::SessionStatusName(s.status),
                          AgendaSummary(s.agenda, parties));
    TextTable t(
        {"version", "proposed by", "date", "issues", "hash", "accepted by"});
    for (const commission::AgendaVersion& v : s.agenda.versions) {
      std::vector<std::string> by;
      for (const auto& [p, ver] : s.agenda.accepted) {
        if (ver == v.version) by.push_back(p);
      }
      t.AddRow({fmt::format("v{}", v.version), v.proposer,
                v.source.time.date().ToString(), Join(v.issues, ", "),
                v.hash.substr(0, 16), by.empty() ? "-" : Join(by, ", ")});
    }
    io.out << t.Render();
    if (standing.current != nullptr) {
      io.out << "\nitems of the current version:\n";
      TextTable items({"item", "title", "accepted by"});
      for (const std::string& item : standing.current->issues) {
        const auto& by = standing.item_accepted_by[item];
        auto issue = st->issues.find(item);
        items.AddRow({item,
                      issue == st->issues.end() ? "" : issue->second.title,
                      by.empty() ? "no party" : Join(by, ", ")});
      }
      io.out << items.Render();
    }
    return kExitOk;
  }

  if (opts.view == "outcomes") {
    std::map<std::string, crypto::VerifierKey> keys;
    for (const auto& [party, c] : st->commissioners) keys.emplace(party, c.key);
    json out = json::array();
    TextTable t({"outcome", "session", "signed", "title", "confidential",
                 "signatures"});
    for (const commission::Outcome& o : st->outcomes) {
      Status v =
          commission::VerifyOutcome(o.record, o.signatures, parties, keys);
      std::vector<std::string> by;
      for (const auto& sig : o.signatures) by.push_back(sig.party);
      const std::string name =
          fmt::format("{} {}", o.record.kind, o.record.number);
      out.push_back({{"kind", o.record.kind},
                     {"number", o.record.number},
                     {"session", o.record.session},
                     {"title", o.record.title},
                     {"signed", o.record.signed_on.ToString()},
                     {"confidential", o.record.confidential},
                     {"issues", o.record.issues},
                     {"signed_by", by},
                     {"verified", v.ok()},
                     {"problem", v.ok() ? "" : std::string(v.message())},
                     {"source", SourceJson(o.source)}});
      t.AddRow({name, o.record.session, o.record.signed_on.ToString(),
                o.record.title, o.record.confidential ? "yes" : "no",
                v.ok() ? "verified: " + Join(by, ", ")
                       : "NOT VERIFIED: " + std::string(v.message())});
    }
    if (as_json) {
      io.out << json{{"treaty", spec->id},
                     {"at", at->ToString()},
                     {"outcomes", out}}
                    .dump(2)
             << "\n";
      return kExitOk;
    }
    io.out << fmt::format(
        "{} — commission outcomes at {}\n\n",
        spec->short_name.empty() ? spec->id : spec->short_name, at->ToString());
    io.out << t.Render();
    io.out << fmt::format(
        "\n{} outcomes; signatures checked against the Commissioners' keys "
        "on the logs\n",
        st->outcomes.size());
    return kExitOk;
  }

  if (opts.view == "dialogue") {
    if (as_json) {
      json dialogues = json::array();
      for (const auto& [id, d] : st->dialogues) {
        json hist = json::array();
        for (const commission::DialogueChange& c : d.history) {
          hist.push_back({{"status", commission::DialogueStatusName(c.status)},
                          {"reason", c.reason},
                          {"source", SourceJson(c.source)}});
        }
        dialogues.push_back(
            {{"id", id},
             {"status", commission::DialogueStatusName(d.status)},
             {"history", hist}});
      }
      json channel = json::array();
      for (const commission::ChannelMessage& m : st->channel) {
        channel.push_back(
            {{"kind", m.kind == MessageKind::kDemarche ? "demarche" : "note"},
             {"from", m.from},
             {"to", m.to},
             {"level", m.level},
             {"subject", m.subject},
             {"source", SourceJson(m.source)}});
      }
      json sev = json::array();
      for (const commission::Severance& s : st->severances) {
        sev.push_back(
            {{"from", s.from}, {"to", s.to}, {"source", SourceJson(s.source)}});
      }
      io.out << json{{"treaty", spec->id},
                     {"at", at->ToString()},
                     {"dialogues", dialogues},
                     {"channel", channel},
                     {"severances", sev}}
                    .dump(2)
             << "\n";
      return kExitOk;
    }
    io.out << fmt::format(
        "{} — the dialogue at {}\n",
        spec->short_name.empty() ? spec->id : spec->short_name, at->ToString());
    if (st->dialogues.empty()) io.out << "\nno dialogue on the logs\n";
    for (const auto& [id, d] : st->dialogues) {
      io.out << fmt::format("\n{}: {}\n", id,
                            commission::DialogueStatusName(d.status));
      TextTable t({"date", "party", "status", "reason"});
      for (const commission::DialogueChange& c : d.history) {
        t.AddRow({c.source.time.date().ToString(), c.source.party,
                  std::string(commission::DialogueStatusName(c.status)),
                  c.reason.empty() ? "-" : c.reason});
      }
      io.out << t.Render();
    }
    if (!st->channel.empty()) {
      io.out << "\nchannel:\n";
      TextTable t({"date", "kind", "from", "to", "level", "subject"});
      for (const commission::ChannelMessage& m : st->channel) {
        t.AddRow({m.source.time.date().ToString(),
                  m.kind == MessageKind::kDemarche ? "demarche" : "note",
                  m.from, m.to.empty() ? "all" : m.to,
                  m.level.empty() ? "-" : m.level, m.subject});
      }
      io.out << t.Render();
    }
    for (const commission::Severance& s : st->severances) {
      io.out << fmt::format("\nrelations severed: {} with {} on {}\n", s.from,
                            s.to, s.source.time.date().ToString());
    }
    return kExitOk;
  }
  return Fail(io, Status::InvalidArgument("unknown view " + opts.view),
              kExitUsage);
}

int RunCommissionStep(const CommonOptions& common,
                      const CommissionStepOptions& opts, Streams io) {
  std::optional<treaty::Spec> spec =
      LoadSpecOrReport(common, opts.regime.treaty, io);
  if (!spec) return kExitInput;
  if (opts.party.empty()) {
    return Fail(io, Status::InvalidArgument("--party is required"), kExitUsage);
  }
  if (spec->FindParty(opts.party) == nullptr) {
    return Fail(io,
                Status::InvalidArgument(fmt::format(
                    "--party: '{}' is not a party to {} (parties: {})",
                    opts.party, spec->id, Join(PartyCodes(*spec), ", "))),
                kExitUsage);
  }
  Result<MessageKind> kind = KindOfStep(opts);
  if (!kind.ok()) return Fail(io, kind.status(), kExitUsage);
  const treaty::NotificationType* type = TypeOfKind(*spec, *kind);
  if (type == nullptr) {
    return Fail(io, Status::NotFound(fmt::format(
                        "treaty {} has no {} message in its catalogue",
                        spec->id, commission::SuffixOf(*kind))));
  }
  Result<Instant> when =
      opts.time.empty() ? Result<Instant>(NowInstant()) : WhenOrNow(opts.time);
  if (!when.ok()) {
    return Fail(io, when.status().WithContext("--time"), kExitUsage);
  }

  // The commission as the logs stand at the step's time.
  Result<std::vector<notification::Notification>> all =
      SortedNotifications(*spec, opts.regime.dir);
  if (!all.ok()) return Fail(io, all.status());
  commission::Commission c(*spec);
  for (const notification::Notification& n : *all) {
    if (n.event_time > *when) break;
    (void)c.Apply(n);  // refusals stay in the state
  }

  std::map<std::string, std::string> fields = opts.fields;
  if (Status s = ReadFieldFiles(opts.body_file, fields); !s.ok()) {
    return Fail(io, s);
  }
  if (Status s = FillFromState(*kind, c.state(), PartyCodes(*spec), fields);
      !s.ok()) {
    return Fail(io, s);
  }

  notification::Notification n;
  n.treaty = spec->id;
  n.sender = opts.party;
  n.type = type->code;
  n.event_time = *when;
  n.sent_time = *when;
  Value::Map body;
  for (const auto& [name, text] : fields) {
    Result<Value> v = ParseFieldValue(*type, name, text);
    if (!v.ok()) return Fail(io, v.status(), kExitUsage);
    body[name] = std::move(v).value();
  }
  n.body = Value::OfMap(std::move(body));

  AppendOptions append;
  append.dry_run = opts.dry_run;
  append.precheck = [&](const notification::Notification& full) {
    return c.Apply(full);
  };
  const std::string db = PartyFile(opts.regime.dir, opts.party, ".db");
  const std::string key = opts.key.empty()
                              ? PartyFile(opts.regime.dir, opts.party, ".key")
                              : opts.key;
  Result<Appended> done = AppendNotification(
      *spec, db, key, n, append, fmt::format("{} {}", opts.party, n.type));
  if (!done.ok()) {
    return Fail(io, done.status(),
                done.status().code() == StatusCode::kFailedPrecondition ||
                        done.status().code() == StatusCode::kNotFound ||
                        done.status().code() == StatusCode::kAlreadyExists
                    ? kExitCheckFailed
                    : kExitInput);
  }
  if (opts.dry_run && common.format != OutputFormat::kJson) {
    io.out << fmt::format(
        "{} could send {} (sequence {}) at {}: accepted; nothing appended "
        "(--dry-run)\n",
        n.sender, n.type, done->sequence, n.event_time.ToString());
    return kExitOk;
  }
  if (common.format == OutputFormat::kJson) {
    json body_json = json::object();
    for (const auto& [k, v] : fields) body_json[k] = v;
    io.out << json{{"index", done->index},
                   {"sequence", done->sequence},
                   {"type", n.type},
                   {"dry_run", opts.dry_run},
                   {"sender", n.sender},
                   {"event_time", n.event_time.ToString()},
                   {"body", body_json}}
                  .dump(2)
           << "\n";
  } else {
    io.out << fmt::format("{} sent {} (sequence {}) at {}: index {} of {}\n",
                          n.sender, n.type, done->sequence,
                          n.event_time.ToString(), done->index, db);
  }
  return kExitOk;
}

int RunSignOutcome(const CommonOptions& common, const SignOutcomeOptions& opts,
                   Streams io) {
  std::optional<treaty::Spec> spec = LoadSpecOrReport(common, opts.treaty, io);
  if (!spec) return kExitInput;
  if (spec->FindParty(opts.party) == nullptr) {
    return Fail(
        io,
        Status::InvalidArgument(fmt::format(
            "--party: '{}' is not a party to {}", opts.party, spec->id)),
        kExitUsage);
  }
  commission::OutcomeRecord r;
  r.treaty = spec->id;
  r.session = opts.session;
  r.kind = opts.kind;
  r.number = opts.number;
  r.title = opts.title;
  r.text = opts.text;
  if (r.text.size() > 1 && r.text[0] == '@') {
    Result<std::string> content = ReadFile(r.text.substr(1));
    if (!content.ok()) return Fail(io, content.status().WithContext("--text"));
    r.text = std::move(content).value();
    while (!r.text.empty() && r.text.back() == '\n') r.text.pop_back();
  }
  Result<Date> on = Date::Parse(opts.signed_on);
  if (!on.ok())
    return Fail(io, on.status().WithContext("--signed"), kExitUsage);
  r.signed_on = *on;
  r.confidential = opts.confidential;
  if (!opts.issues.empty()) {
    Result<std::vector<std::string>> ids =
        commission::ParseIdList(opts.issues, "--issues");
    if (!ids.ok()) {
      return Fail(io, ids.status().WithContext("--issues"), kExitUsage);
    }
    r.issues = *ids;
  }
  Result<crypto::SignerKey> key = crypto::ReadSignerKeyFile(opts.key);
  if (!key.ok()) return Fail(io, key.status());
  io.out << commission::FormatSignatures(
      {commission::SignOutcome(r, opts.party, *key)});
  return kExitOk;
}

}  // namespace detente::cli

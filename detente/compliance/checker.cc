#include "detente/compliance/checker.h"

#include <algorithm>
#include <map>
#include <set>

#include "detente/ledger/checkpoint.h"
#include "detente/notification/notification.h"
#include "detente/regime/log_reader.h"
#include "detente/registry/counting.h"
#include "fmt/format.h"

namespace detente::compliance {
namespace {

using regime::EntryRef;
using regime::LoggedNotification;

Severity SeverityOf(std::string_view rule) {
  if (rule == "limit-exceeded" || rule == "bad-signature" ||
      rule == "missing-update" || rule == "eliminated-item-used" ||
      rule == "warheads-over-type-maximum" ||
      rule == "declared-totals-mismatch") {
    return Severity::kViolation;
  }
  if (rule == "late-notification" || rule == "sequence-gap" ||
      rule == "sequence-replay" || rule == "duplicate-identifier" ||
      rule == "unknown-identifier") {
    return Severity::kWarning;
  }
  return Severity::kWarning;
}

// Builds evidence: each entry with a tlog-proof against the party's latest
// checkpoint (which carries the receipts recorded so far).
class EvidenceMaker {
 public:
  explicit EvidenceMaker(std::map<std::string, ledger::LogStore*> logs)
      : logs_(std::move(logs)) {}

  Result<Evidence> Make(const EntryRef& ref) {
    ledger::LogStore* log = logs_.at(ref.party);
    Evidence e;
    e.party = ref.party;
    e.index = ref.index;
    DETENTE_ASSIGN_OR_RETURN(e.entry, log->Entry(ref.index));
    DETENTE_ASSIGN_OR_RETURN(std::optional<ledger::StoredCheckpoint> cp,
                             log->LatestCheckpoint());
    if (!cp || cp->size <= ref.index) {
      // No signed checkpoint covers the entry: the finding carries it
      // without a proof, and offline verification will say so.
      return e;
    }
    auto& view = views_[ref.party];
    if (!view || view->size() != cp->size) {
      DETENTE_ASSIGN_OR_RETURN(ledger::MerkleTreeView v, log->View(cp->size));
      view = std::make_unique<ledger::MerkleTreeView>(std::move(v));
    }
    ledger::ProofBundle b;
    b.index = ref.index;
    DETENTE_ASSIGN_OR_RETURN(b.proof, view->InclusionProof(ref.index));
    b.extra = std::vector<uint8_t>(e.entry.begin(), e.entry.end());
    b.checkpoint = cp->note;
    e.proof = ledger::FormatProofBundle(b);
    return e;
  }

  Result<std::vector<Evidence>> MakeAll(const std::vector<EntryRef>& refs) {
    std::vector<Evidence> out;
    for (const EntryRef& r : refs) {
      DETENTE_ASSIGN_OR_RETURN(Evidence e, Make(r));
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  std::map<std::string, ledger::LogStore*> logs_;
  std::map<std::string, std::unique_ptr<ledger::MerkleTreeView>> views_;
};

bool IsDeclaration(std::string_view type) {
  auto ends = [&](std::string_view s) {
    return type.size() >= s.size() &&
           type.compare(type.size() - s.size(), s.size(), s) == 0;
  };
  return ends("-DB-INIT") || ends("-DB-UPDATE");
}

}  // namespace

Result<ComplianceResult> Check(const treaty::Spec& spec,
                               std::vector<PartyLogInput> parties,
                               const CheckOptions& options) {
  ComplianceResult result;
  std::map<std::string, ledger::LogStore*> logs;
  std::vector<LoggedNotification> all;
  std::vector<regime::Irregularity> reader_issues;
  std::map<std::string, uint64_t> log_sizes;
  for (PartyLogInput& p : parties) {
    logs[p.party] = p.log;
    DETENTE_ASSIGN_OR_RETURN(
        regime::PartyLog pl,
        regime::ReadPartyLog(*p.log, spec, p.party, p.key));
    log_sizes[p.party] = p.log->size();
    for (auto& n : pl.notifications) all.push_back(std::move(n));
    for (auto& i : pl.irregularities) reader_issues.push_back(std::move(i));
  }
  EvidenceMaker evidence(logs);
  auto add = [&](std::string rule, std::string party, Instant time,
                 std::string text, const std::vector<EntryRef>& refs,
                 std::map<std::string, std::string> claim) -> Status {
    Finding f;
    f.treaty = spec.id;
    f.rule = std::move(rule);
    f.party = std::move(party);
    f.time = time;
    f.severity = SeverityOf(f.rule);
    f.text = std::move(text);
    f.claim = std::move(claim);
    DETENTE_ASSIGN_OR_RETURN(f.evidence, evidence.MakeAll(refs));
    f.id = ComputeFindingId(f);
    result.findings.push_back(std::move(f));
    return Status::Ok();
  };

  // Reading the logs.
  for (const regime::Irregularity& i : reader_issues) {
    if (i.time > options.until) continue;
    DETENTE_RETURN_IF_ERROR(
        add(i.rule, i.party, i.time, i.text, i.entries, {}));
  }

  // Late notifications.
  for (const LoggedNotification& ln : all) {
    const notification::Notification& n = ln.notification;
    if (n.event_time > options.until) continue;
    DETENTE_ASSIGN_OR_RETURN(std::optional<Instant> due,
                             notification::DueBy(spec, n));
    if (due && n.sent_time > *due) {
      DETENTE_RETURN_IF_ERROR(
          add("late-notification", n.sender, n.sent_time,
              fmt::format("{} sent {} (sequence {}) at {}, after its deadline "
                          "{}",
                          n.sender, n.type, n.sequence, n.sent_time.ToString(),
                          due->ToString()),
              {ln.ref},
              {{"type", n.type},
               {"due_by", due->ToString()},
               {"sent", n.sent_time.ToString()}}));
    }
  }

  // The fold, step by step: illegal steps, declared totals and limits.
  regime::Fold fold(spec, std::move(all));
  std::map<std::string, std::vector<EntryRef>> chain;  // since declaration
  std::map<std::pair<std::string, std::string>, bool> over;
  size_t seen_irregularities = 0;
  size_t seen_declarations = 0;
  Status failure;
  DETENTE_RETURN_IF_ERROR(fold.Replay(
      options.until,
      [&](const regime::State& s, const LoggedNotification& ln) -> bool {
        const notification::Notification& n = ln.notification;
        std::vector<EntryRef>& c = chain[n.sender];
        if (IsDeclaration(n.type)) c.clear();
        c.push_back(ln.ref);
        for (; seen_irregularities < s.irregularities.size();
             ++seen_irregularities) {
          const regime::Irregularity& i = s.irregularities[seen_irregularities];
          Status st =
              add(i.rule, i.party, i.time, i.text, c, {{"rule", i.rule}});
          if (!st.ok()) {
            failure = st;
            return false;
          }
        }
        for (; seen_declarations < s.declarations.size(); ++seen_declarations) {
          const regime::Declaration& d = s.declarations[seen_declarations];
          for (const auto& [limit, declared] : d.declared_totals) {
            auto it = d.computed_totals.find(limit);
            int64_t computed = it == d.computed_totals.end() ? 0 : it->second;
            if (computed != declared) {
              Status st = add(
                  "declared-totals-mismatch", d.party, d.event_time,
                  fmt::format("{} declared {} = {} as of {}, but its declared "
                              "items count {}",
                              d.party, limit, declared, d.as_of.ToString(),
                              computed),
                  {d.ref},
                  {{"limit", limit},
                   {"declared", std::to_string(declared)},
                   {"computed", std::to_string(computed)}});
              if (!st.ok()) {
                failure = st;
                return false;
              }
            }
          }
        }
        // Limits: only the sender's aggregates can have changed.
        bool any_binding = false;
        for (const treaty::Limit& l : spec.limits) {
          any_binding = any_binding || (l.AppliesTo(n.sender) &&
                                        spec.Binds(l, n.event_time.date()));
        }
        if (!any_binding) return true;
        Result<std::vector<registry::Aggregate>> aggs =
            registry::CountAll(spec, s.items);
        if (!aggs.ok()) {
          failure = aggs.status();
          return false;
        }
        for (const registry::Aggregate& a : *aggs) {
          if (a.party != n.sender) continue;
          const treaty::Limit& l = *spec.FindLimit(a.limit_id);
          registry::LimitState st =
              registry::Evaluate(spec, l, a.value, n.event_time.date());
          bool now_over = st == registry::LimitState::kOver ||
                          st == registry::LimitState::kUnder;
          bool& was = over[{a.party, a.limit_id}];
          if (now_over && !was) {
            Status added =
                add("limit-exceeded", a.party, n.event_time,
                    fmt::format("{}'s {} reached {} on {}; the limit is {}",
                                a.party, a.limit_id, a.value,
                                n.event_time.date().ToString(),
                                l.max ? std::to_string(*l.max) : "a minimum"),
                    c,
                    {{"limit", a.limit_id},
                     {"value", std::to_string(a.value)},
                     {"max", l.max ? std::to_string(*l.max) : ""}});
            if (!added.ok()) {
              failure = added;
              return false;
            }
          }
          was = now_over;
        }
        return true;
      }));
  DETENTE_RETURN_IF_ERROR(failure);

  // Missing six-monthly updates.
  const treaty::NotificationType* update = nullptr;
  for (const treaty::NotificationType& t : spec.notifications) {
    if (t.code.size() >= 10 &&
        t.code.compare(t.code.size() - 10, 10, "-DB-UPDATE") == 0) {
      update = &t;
    }
  }
  DETENTE_ASSIGN_OR_RETURN(result.state, fold.StateAt(options.until));
  if (spec.data_exchange && update != nullptr && update->deadline) {
    std::optional<Date> end = spec.End();
    for (const treaty::Party& party : spec.parties) {
      if (logs.find(party.code) == logs.end()) continue;
      for (int k = 0;; ++k) {
        Date as_of = NthPeriod(spec.data_exchange->first_period_start,
                               spec.data_exchange->period_months, k)
                         .range.end;
        if (end && as_of >= *end) break;
        Instant due = update->deadline->DueBy(Instant::StartOf(as_of));
        if (due > options.until) break;
        bool found = false;
        const regime::Declaration* last_before = nullptr;
        for (const regime::Declaration& d : result.state.declarations) {
          if (d.party != party.code) continue;
          if (d.as_of == as_of) found = true;
          if (d.as_of < as_of) last_before = &d;
        }
        if (found) continue;
        // Evidence: the party's entries from its last declaration to the
        // end of its log as checkpointed: no update among them.
        std::vector<EntryRef> refs;
        uint64_t from = last_before ? last_before->ref.index : 0;
        DETENTE_ASSIGN_OR_RETURN(std::optional<ledger::StoredCheckpoint> cp,
                                 logs[party.code]->LatestCheckpoint());
        uint64_t to = cp ? cp->size : log_sizes[party.code];
        for (uint64_t i = from; i < to; ++i) refs.push_back({party.code, i});
        DETENTE_RETURN_IF_ERROR(add(
            "missing-update", party.code, due,
            fmt::format("{} sent no six-month update with data as of {} "
                        "(due by {})",
                        party.code, as_of.ToString(), due.ToString()),
            refs, {{"as_of", as_of.ToString()}, {"due_by", due.ToString()}}));
      }
    }
  }
  std::stable_sort(
      result.findings.begin(), result.findings.end(),
      [](const Finding& a, const Finding& b) { return a.time < b.time; });
  return result;
}

}  // namespace detente::compliance

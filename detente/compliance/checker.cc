#include "detente/compliance/checker.h"

#include <algorithm>
#include <map>
#include <set>

#include "detente/base/bytes.h"
#include "detente/commission/commission.h"
#include "detente/compliance/witnesses.h"
#include "detente/ledger/checkpoint.h"
#include "detente/notification/notification.h"
#include "detente/notification/record_view.h"
#include "detente/regime/log_fold.h"
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
      rule == "declared-totals-mismatch" || rule == "sessions-below-minimum" ||
      rule == "warheads-count-mismatch") {
    return Severity::kViolation;
  }
  if (rule == "late-notification" || rule == "sequence-gap" ||
      rule == "sequence-replay" || rule == "duplicate-identifier" ||
      rule == "unknown-identifier") {
    return Severity::kWarning;
  }
  return Severity::kWarning;
}

// Builds evidence: each entry with a tlog-proof against a checkpoint of its
// log — by default the latest recorded one (which carries the receipts
// recorded so far), or a given one.
class EvidenceMaker {
 public:
  explicit EvidenceMaker(std::map<std::string, ledger::LogStore*> logs)
      : logs_(std::move(logs)) {}

  Result<Evidence> Make(const EntryRef& ref,
                        const ledger::StoredCheckpoint* against = nullptr) {
    ledger::LogStore* log = logs_.at(ref.party);
    Evidence e;
    e.party = ref.party;
    e.index = ref.index;
    DETENTE_ASSIGN_OR_RETURN(e.entry, log->Entry(ref.index));
    std::optional<ledger::StoredCheckpoint> cp;
    if (against != nullptr) {
      cp = *against;
    } else {
      DETENTE_ASSIGN_OR_RETURN(cp, log->LatestCheckpoint());
    }
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

  // The whole log up to `against`: every entry, the last one with a
  // tlog-proof against the checkpoint (the root of all of them).
  Result<std::vector<Evidence>> WholeLog(
      const std::string& party, const ledger::StoredCheckpoint& against) {
    ledger::LogStore* log = logs_.at(party);
    std::vector<Evidence> out;
    out.reserve(against.size);
    DETENTE_RETURN_IF_ERROR(log->ScanEntries(
        0, against.size, [&](uint64_t i, std::string_view entry) -> Status {
          out.push_back({party, i, std::string(entry), {}});
          return Status::Ok();
        }));
    DETENTE_ASSIGN_OR_RETURN(Evidence last,
                             Make({party, against.size - 1}, &against));
    out.back() = std::move(last);
    return out;
  }

  Result<std::vector<Evidence>> MakeAll(
      const std::vector<EntryRef>& refs,
      const ledger::StoredCheckpoint* against = nullptr) {
    std::vector<Evidence> out;
    for (const EntryRef& r : refs) {
      DETENTE_ASSIGN_OR_RETURN(Evidence e, Make(r, against));
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  std::map<std::string, ledger::LogStore*> logs_;
  std::map<std::string, std::unique_ptr<ledger::MerkleTreeView>> views_;
};

// A checkpoint of one party's log with the receipts it carries.
struct Receipted {
  ledger::StoredCheckpoint checkpoint;
  uint64_t earliest = 0;  // Unix seconds of the first receipt on it
  uint64_t latest = 0;    // and of the last
};

// What the other parties have acknowledged of one party's log: the
// sender's own checkpoints with the receipts recorded on them (when each
// entry was received), and the last checkpoint each witness cosigned (how
// the log stood when the witness last looked). Only receipts that verify
// count.
struct ReceiptBook {
  std::vector<Receipted> sent;  // sender's checkpoints with receipts, by size
  std::optional<Receipted> last_seen;  // the latest-dated receipt anywhere

  // The first receipted checkpoint covering entry `index`: its earliest
  // receipt is when the entry was received. Null when none covers it.
  const Receipted* Covering(uint64_t index) const {
    auto it = std::upper_bound(
        sent.begin(), sent.end(), index,
        [](uint64_t i, const Receipted& r) { return i < r.checkpoint.size; });
    return it == sent.end() ? nullptr : &*it;
  }
};

Result<ReceiptBook> ReadReceipts(
    const PartyLogInput& party, const std::vector<PartyLogInput>& all,
    const std::vector<crypto::VerifierKey>& log_keys) {
  ReceiptBook book;
  const std::string origin = party.log->origin();
  DETENTE_ASSIGN_OR_RETURN(std::vector<crypto::VerifierKey> witnesses,
                           WitnessKeys(log_keys, origin));
  auto open =
      [&](const ledger::StoredCheckpoint& cp) -> std::optional<Receipted> {
    Result<ledger::OpenedCheckpoint> o =
        ledger::OpenCheckpoint(cp.note, party.key, witnesses);
    if (!o.ok() || o->checkpoint.size != cp.size ||
        o->checkpoint.root != cp.root) {
      return std::nullopt;
    }
    std::optional<uint64_t> first = EarliestReceipt(*o);
    std::optional<uint64_t> last = LatestReceipt(*o);
    if (!first || !last) return std::nullopt;
    return Receipted{cp, *first, *last};
  };
  auto consider_last_seen = [&](const Receipted& r) {
    if (!book.last_seen || r.latest > book.last_seen->latest ||
        (r.latest == book.last_seen->latest &&
         r.checkpoint.size > book.last_seen->checkpoint.size)) {
      book.last_seen = r;
    }
  };
  DETENTE_ASSIGN_OR_RETURN(std::vector<ledger::StoredCheckpoint> cps,
                           party.log->Checkpoints());
  for (const ledger::StoredCheckpoint& cp : cps) {
    if (std::optional<Receipted> r = open(cp)) {
      consider_last_seen(*r);
      book.sent.push_back(std::move(*r));
    }
  }
  for (const PartyLogInput& w : all) {
    if (w.log == party.log) continue;
    DETENTE_ASSIGN_OR_RETURN(std::optional<ledger::StoredCheckpoint> cp,
                             w.log->LastCosigned(origin));
    if (!cp) continue;
    if (std::optional<Receipted> r = open(*cp)) consider_last_seen(*r);
  }
  return book;
}

}  // namespace

Result<ComplianceResult> Check(const treaty::Spec& spec,
                               std::vector<PartyLogInput> parties,
                               const CheckOptions& options) {
  ComplianceResult result;
  std::map<std::string, ledger::LogStore*> logs;
  std::map<std::string, uint64_t> log_sizes;
  std::vector<regime::LogSource> sources;
  for (const PartyLogInput& p : parties) {
    logs[p.party] = p.log;
    log_sizes[p.party] = p.log->size();
    sources.push_back({p.party, p.log, p.key, 0});
  }
  std::vector<crypto::VerifierKey> log_keys;
  for (const PartyLogInput& p : parties) log_keys.push_back(p.key);
  std::map<std::string, ReceiptBook> receipts;
  for (const PartyLogInput& p : parties) {
    DETENTE_ASSIGN_OR_RETURN(receipts[p.party],
                             ReadReceipts(p, parties, log_keys));
  }
  // Pass 1 over the logs (regime/log_fold.h): every entry read, checked
  // and authenticated; only the notifications that may be late are kept.
  struct Late {
    LoggedNotification ln;
    Instant due;
  };
  // LogFold::Read reads the logs side by side, one thread each: what the
  // visitor keeps is kept per log, and put together in the parties' order
  // afterwards.
  struct PerLog {
    const ReceiptBook* book = nullptr;
    std::vector<Late> late;
  };
  std::map<std::string, PerLog, std::less<>> per_log;
  for (const PartyLogInput& p : parties) {
    per_log[p.party].book = &receipts.at(p.party);
  }
  regime::LogFoldOptions read_options;
  read_options.read.authentication = options.authentication;
  DETENTE_ASSIGN_OR_RETURN(
      std::unique_ptr<regime::LogFold> fold,
      regime::LogFold::Read(
          spec, sources, read_options,
          [&](const notification::RecordView& r,
              const EntryRef& ref) -> Status {
            if (r.event_time > options.until) return Status::Ok();
            DETENTE_ASSIGN_OR_RETURN(
                std::optional<Instant> due,
                notification::DueBy(spec, r.type, r.event_time));
            if (!due) return Status::Ok();
            // Only this log's thread touches its PerLog; the map itself is
            // not changed while the logs are read.
            PerLog& mine = per_log.find(ref.party)->second;
            const Receipted* receipt = mine.book->Covering(ref.index);
            const bool received_late =
                receipt != nullptr &&
                static_cast<int64_t>(receipt->earliest) > due->unix_seconds();
            if (r.sent_time > *due || received_late) {
              mine.late.push_back({{r.ToNotification(), ref}, *due});
            }
            return Status::Ok();
          }));
  std::vector<Late> late;
  for (const PartyLogInput& p : parties) {
    for (Late& l : per_log[p.party].late) late.push_back(std::move(l));
  }
  EvidenceMaker evidence(logs);
  auto add = [&](std::string rule, std::string party, Instant time,
                 std::string text, const std::vector<EntryRef>& refs,
                 std::map<std::string, std::string> claim,
                 const ledger::StoredCheckpoint* against = nullptr) -> Status {
    Finding f;
    f.treaty = spec.id;
    f.rule = std::move(rule);
    f.party = std::move(party);
    f.time = time;
    f.severity = SeverityOf(f.rule);
    f.text = std::move(text);
    f.claim = std::move(claim);
    DETENTE_ASSIGN_OR_RETURN(f.evidence, evidence.MakeAll(refs, against));
    f.id = ComputeFindingId(f);
    result.findings.push_back(std::move(f));
    return Status::Ok();
  };

  // Reading the logs.
  for (const regime::Irregularity& i : fold->reader_irregularities()) {
    if (i.time > options.until) continue;
    DETENTE_RETURN_IF_ERROR(
        add(i.rule, i.party, i.time, i.text, i.entries, {}));
  }

  // Late notifications: sent after the deadline (the sender's own signed
  // word), or received after it (the first receipt covering the entry).
  for (const Late& l : late) {
    const LoggedNotification& ln = l.ln;
    const notification::Notification& n = ln.notification;
    const std::optional<Instant> due = l.due;
    const Receipted* receipt = receipts[ln.ref.party].Covering(ln.ref.index);
    std::optional<Instant> received;
    if (receipt != nullptr) {
      received =
          Instant::FromUnixSeconds(static_cast<int64_t>(receipt->earliest));
    }
    const bool sent_late = n.sent_time > *due;
    const bool received_late = received && *received > *due;
    if (!sent_late && !received_late) continue;
    const Instant when = sent_late ? n.sent_time : *received;
    if (when > options.until) continue;
    std::map<std::string, std::string> claim = {
        {"type", n.type},
        {"due_by", due->ToString()},
        {"sent", n.sent_time.ToString()}};
    if (received) claim["received"] = received->ToString();
    DETENTE_RETURN_IF_ERROR(add(
        "late-notification", n.sender, when,
        sent_late
            ? fmt::format("{} sent {} (sequence {}) at {}, after its deadline "
                          "{}",
                          n.sender, n.type, n.sequence, n.sent_time.ToString(),
                          due->ToString())
            : fmt::format("{}'s {} (sequence {}), sent at {}, was received "
                          "at {}, after its deadline {}",
                          n.sender, n.type, n.sequence, n.sent_time.ToString(),
                          received->ToString(), due->ToString()),
        {ln.ref}, std::move(claim),
        receipt != nullptr ? &receipt->checkpoint : nullptr));
  }

  // The fold, step by step (pass 2, decoding each entry as it is
  // applied): illegal steps, declared totals and limits.
  // Each party's entries since its declaration.
  std::map<std::string, std::vector<EntryRef>, std::less<>> chain;
  // Whether each (party, limit) is over, by tally party index and limit.
  std::vector<char> over(spec.parties.size() * spec.limits.size(), 0);
  size_t seen_irregularities = 0;
  size_t seen_declarations = 0;
  Status failure;
  // What the limit rule needs of a step that depends only on its sender or
  // its day, worked out once per sender and once per day (steps come in
  // event-time order: a day holds many): the sender's chain, tally index
  // and the limits that apply to it; the day and which limits bind on it.
  struct Sender {
    std::string code;
    std::vector<EntryRef>* chain;  // in `chain` (a map: nodes stay put)
    int party;                     // tally index; < 0: none
    std::vector<size_t> limits;    // indices of the limits that apply
  };
  std::vector<Sender> senders;
  int64_t day_begin = 1, day_end = 0;  // [begin, end) unix seconds of `day`
  Date day;
  std::vector<char> binds(spec.limits.size(), 0);  // on `day`
  Result<regime::State> folded = fold->ReplayRecords(
      options.until,
      [&](const regime::State& s, const notification::RecordView& n,
          const EntryRef& ref) -> bool {
        Sender* sender = nullptr;
        for (Sender& x : senders) {
          if (SameBytes(x.code, n.sender)) sender = &x;
        }
        if (sender == nullptr) {
          Sender x{std::string(n.sender), nullptr, -1, {}};
          x.chain = &chain[x.code];
          x.party = s.tally.PartyIndex(n.sender);
          for (size_t li = 0; li < spec.limits.size(); ++li) {
            if (spec.limits[li].AppliesTo(n.sender)) x.limits.push_back(li);
          }
          senders.push_back(std::move(x));
          sender = &senders.back();
        }
        std::vector<EntryRef>& c = *sender->chain;
        if (notification::IsDeclaration(n.type)) c.clear();
        c.push_back(ref);
        for (; seen_irregularities < s.irregularities.size();
             ++seen_irregularities) {
          const regime::Irregularity& i = s.irregularities[seen_irregularities];
          // The responsible party's declaration and everything it sent
          // since, with the entries the irregularity rests on (an
          // inspection's messages come from both parties): re-folded, they
          // show the same step.
          std::vector<EntryRef> refs = chain[i.party];
          refs.insert(refs.end(), i.entries.begin(), i.entries.end());
          std::sort(refs.begin(), refs.end());
          refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
          Status st =
              add(i.rule, i.party, i.time, i.text, refs, {{"rule", i.rule}});
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
        const int64_t t = n.event_time.unix_seconds();
        if (t < day_begin || t >= day_end) {
          day = n.event_time.date();
          day_begin = day.days_since_epoch() * 86400;
          day_end = day_begin + 86400;
          for (size_t li = 0; li < spec.limits.size(); ++li) {
            binds[li] = spec.Binds(spec.limits[li], day);
          }
        }
        bool any_binding = false;
        for (size_t li : sender->limits) any_binding |= binds[li] != 0;
        if (!any_binding) return true;
        // The fold's tally: O(1) per limit, not a recount of the database.
        const int party = sender->party;
        if (party < 0) return true;
        for (size_t li : sender->limits) {
          const treaty::Limit& l = spec.limits[li];
          Result<int64_t> value = s.Aggregate(li, static_cast<size_t>(party));
          if (!value.ok()) {
            failure = value.status();
            return false;
          }
          struct {
            std::string_view party;
            const std::string& limit_id;
            int64_t value;
          } a{n.sender, l.id, *value};
          registry::LimitState st = registry::Evaluate(spec, l, a.value, day);
          bool now_over = st == registry::LimitState::kOver ||
                          st == registry::LimitState::kUnder;
          const size_t slot =
              static_cast<size_t>(party) * spec.limits.size() + li;
          if (slot >= over.size()) over.resize(slot + 1, 0);
          char& was = over[slot];
          if (now_over && !was) {
            Status added =
                add("limit-exceeded", std::string(a.party), n.event_time,
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
      });
  DETENTE_RETURN_IF_ERROR(failure);
  DETENTE_RETURN_IF_ERROR(folded.status());

  // Missing periodic updates. The evidence is the party's entries from its
  // last declaration before the due date to the end of its log as a witness
  // last saw it: when that witness's cosignature is dated after the due
  // date, the run shows the update was never sent.
  result.state = std::move(folded).value();
  for (const notification::UpdateDue& u :
       notification::PeriodicUpdatesDue(spec, options.until)) {
    for (const treaty::Party& party : spec.parties) {
      if (logs.find(party.code) == logs.end()) continue;
      bool found = false;
      const regime::Declaration* last_before = nullptr;
      for (const regime::Declaration& d : result.state.declarations) {
        if (d.party != party.code) continue;
        if (d.as_of == u.as_of) found = true;
        if (d.as_of < u.as_of) last_before = &d;
      }
      if (found) continue;
      const ReceiptBook& book = receipts[party.code];
      const uint64_t from = last_before ? last_before->ref.index : 0;
      const ledger::StoredCheckpoint* against = nullptr;
      uint64_t to = log_sizes[party.code];
      if (book.last_seen && book.last_seen->checkpoint.size > from) {
        against = &book.last_seen->checkpoint;
        to = against->size;
      }
      std::vector<EntryRef> refs;
      for (uint64_t i = from; i < to; ++i) refs.push_back({party.code, i});
      DETENTE_RETURN_IF_ERROR(add(
          "missing-update", party.code, u.due,
          fmt::format("{} sent no six-month update with data as of {} "
                      "(due by {})",
                      party.code, u.as_of.ToString(), u.due.ToString()),
          refs, {{"as_of", u.as_of.ToString()}, {"due_by", u.due.ToString()}},
          against));
    }
  }
  // Commission sessions below the yearly minimum, for each treaty year that
  // has ended. The evidence is every party's whole log, entry 0 up to the
  // checkpoint a witness last cosigned after the year's end: all of it, so
  // that the verifier recomputes the root and counts the sessions itself.
  // By default from the first commission message on the logs: a history
  // that does not model the commission (a synthetic database history) has
  // no sessions to count.
  std::optional<Date> cadence_from = options.cadence_from;
  if (!cadence_from) {
    std::optional<Instant> first;
    auto note = [&](const commission::Source& src) {
      if (!first || src.time < *first) first = src.time;
    };
    for (const auto& [id, i] : result.state.commission.issues) note(i.raised);
    for (const auto& [id, sn] : result.state.commission.sessions) {
      for (const commission::Source& src : sn.history) note(src);
    }
    for (const auto& [id, d] : result.state.commission.dialogues) {
      for (const auto& c : d.history) note(c.source);
    }
    if (first) cadence_from = first->date();
  }
  if (spec.commission && spec.commission->min_sessions_per_year > 0) {
    for (const commission::CadenceYear& y :
         commission::Cadence(spec, result.state.commission, options.until)) {
      if (!y.Short()) continue;
      const Date last_day = y.year.range.end.AddDays(-1);
      if (!cadence_from || last_day < *cadence_from) continue;
      const Instant year_end = Instant::StartOf(y.year.range.end);
      std::vector<Evidence> all;
      for (const treaty::Party& party : spec.parties) {
        if (logs.find(party.code) == logs.end()) continue;
        const ReceiptBook& book = receipts[party.code];
        if (!book.last_seen || book.last_seen->checkpoint.size == 0) continue;
        DETENTE_ASSIGN_OR_RETURN(
            std::vector<Evidence> run,
            evidence.WholeLog(party.code, book.last_seen->checkpoint));
        for (Evidence& e : run) all.push_back(std::move(e));
      }
      Finding f;
      f.treaty = spec.id;
      f.rule = "sessions-below-minimum";
      f.party = "all";
      f.time = year_end;
      f.severity = SeverityOf(f.rule);
      f.text = fmt::format(
          "the {} convened {} session{} in treaty year {} ({} to {}); the "
          "treaty requires at least {}",
          spec.commission->name.empty() ? "commission" : spec.commission->name,
          y.convened, y.convened == 1 ? "" : "s", y.year.number,
          y.year.range.start.ToString(), last_day.ToString(), y.required);
      f.claim = {{"year", std::to_string(y.year.number)},
                 {"from", y.year.range.start.ToString()},
                 {"to", last_day.ToString()},
                 {"convened", std::to_string(y.convened)},
                 {"required", std::to_string(y.required)}};
      f.evidence = std::move(all);
      f.id = ComputeFindingId(f);
      result.findings.push_back(std::move(f));
    }
  }
  std::stable_sort(
      result.findings.begin(), result.findings.end(),
      [](const Finding& a, const Finding& b) { return a.time < b.time; });
  return result;
}

}  // namespace detente::compliance

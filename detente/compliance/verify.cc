#include "detente/compliance/verify.h"

#include <map>

#include "detente/commission/messages.h"
#include "detente/compliance/witnesses.h"
#include "detente/crypto/encoding.h"
#include "detente/ledger/checkpoint.h"
#include "detente/ledger/compact_range.h"
#include "detente/ledger/merkle_hash.h"
#include "detente/notification/notification.h"
#include "detente/regime/fold.h"
#include "detente/registry/counting.h"
#include "fmt/format.h"

namespace detente::compliance {
namespace {

using regime::LoggedNotification;

struct Checked {
  LoggedNotification ln;
  uint64_t checkpoint_size = 0;
  std::optional<uint64_t> received;   // earliest other-party cosignature
  std::optional<uint64_t> last_seen;  // latest other-party cosignature
};

Result<std::string> ClaimOf(const Finding& f, const char* key) {
  auto it = f.claim.find(key);
  if (it == f.claim.end()) {
    return Status::InvalidArgument(
        fmt::format("finding {}: claim has no '{}'", f.id, key));
  }
  return it->second;
}

// sessions-below-minimum: the evidence is every party's whole log, entry 0
// to the size of a checkpoint cosigned after the year's end, the last entry
// carrying the tlog-proof. The entries' root must be the checkpoint's; then
// the sessions convened in the year are counted from the entries alone.
Status VerifyCadence(const Finding& f, const treaty::Spec& spec,
                     std::span<const crypto::VerifierKey> log_keys) {
  if (!spec.commission || spec.commission->min_sessions_per_year <= 0) {
    return Status::FailedPrecondition(fmt::format(
        "treaty '{}' sets no minimum of commission sessions", spec.id));
  }
  DETENTE_ASSIGN_OR_RETURN(std::string from_text, ClaimOf(f, "from"));
  DETENTE_ASSIGN_OR_RETURN(std::string to_text, ClaimOf(f, "to"));
  DETENTE_ASSIGN_OR_RETURN(Date from, Date::Parse(from_text));
  DETENTE_ASSIGN_OR_RETURN(Date to, Date::Parse(to_text));
  const int64_t year_end = Instant::StartOf(to).AddDays(1).unix_seconds();
  // The runs, one per party, in the order given.
  std::map<std::string, std::vector<const Evidence*>> runs;
  for (const Evidence& e : f.evidence) runs[e.party].push_back(&e);
  for (const treaty::Party& p : spec.parties) {
    if (!runs.count(p.code)) {
      return Status::FailedPrecondition(
          fmt::format("the evidence holds no log of {}", p.code));
    }
  }
  int64_t convened = 0;
  for (const auto& [party, run] : runs) {
    for (size_t i = 0; i < run.size(); ++i) {
      if (run[i]->index != i) {
        return Status::FailedPrecondition(fmt::format(
            "{}'s log: evidence entry {} has index {}; the whole log from "
            "entry 0 is needed",
            party, i, run[i]->index));
      }
    }
    const Evidence& last = *run.back();
    const std::string where = fmt::format("{}'s log", party);
    DETENTE_ASSIGN_OR_RETURN(ledger::ProofBundle bundle,
                             ledger::ParseProofBundle(last.proof));
    if (bundle.index != last.index) {
      return Status::InvalidArgument(
          fmt::format("{}: the proof is for index {}", where, bundle.index));
    }
    DETENTE_ASSIGN_OR_RETURN(crypto::Note note,
                             crypto::ParseNote(bundle.checkpoint));
    DETENTE_ASSIGN_OR_RETURN(ledger::Checkpoint body,
                             ledger::Checkpoint::ParseBody(note.text));
    const crypto::VerifierKey* log_key = nullptr;
    for (const crypto::VerifierKey& k : log_keys) {
      if (k.name() == body.origin) log_key = &k;
    }
    if (log_key == nullptr) {
      return Status::NotFound(fmt::format(
          "{}: no verifier key given for log '{}'", where, body.origin));
    }
    DETENTE_ASSIGN_OR_RETURN(std::vector<crypto::VerifierKey> witnesses,
                             WitnessKeys(log_keys, body.origin));
    Result<ledger::OpenedCheckpoint> opened = ledger::VerifyProofBundle(
        bundle, crypto::AsBytes(last.entry), *log_key, witnesses, 1);
    if (!opened.ok()) return opened.status().WithContext(where);
    if (opened->checkpoint.size != run.size()) {
      return Status::FailedPrecondition(
          fmt::format("{}: {} entries given, the checkpoint has {}", where,
                      run.size(), opened->checkpoint.size));
    }
    ledger::CompactRange range;
    for (const Evidence* e : run) range.Append(ledger::HashLeaf(e->entry));
    if (range.Root() != opened->checkpoint.root) {
      return Status::FailedPrecondition(
          where + ": the entries' root is not the checkpoint's");
    }
    std::optional<uint64_t> seen = LatestReceipt(*opened);
    if (!seen || static_cast<int64_t>(*seen) < year_end) {
      return Status::FailedPrecondition(
          fmt::format("{}: no cosignature shows the log as it stood after {}",
                      where, to.ToString()));
    }
    for (const Evidence* e : run) {
      DETENTE_ASSIGN_OR_RETURN(notification::SignedNotification sn,
                               notification::ParseEntry(e->entry));
      Status sig = notification::VerifySignature(sn, *log_key);
      if (!sig.ok()) {
        return sig.WithContext(fmt::format("{} entry {}", where, e->index));
      }
      const notification::Notification& n = sn.notification;
      if (commission::KindOf(n.type) ==
              commission::MessageKind::kSessionConvene &&
          n.event_time.date() >= from && n.event_time.date() <= to) {
        ++convened;
      }
    }
  }
  if (convened >= spec.commission->min_sessions_per_year) {
    return Status::FailedPrecondition(fmt::format(
        "the logs show {} session(s) convened from {} to {}; the minimum is "
        "{}",
        convened, from.ToString(), to.ToString(),
        spec.commission->min_sessions_per_year));
  }
  return Status::Ok();
}

}  // namespace

Status VerifyFinding(const Finding& f, const treaty::Spec& spec,
                     std::span<const crypto::VerifierKey> log_keys) {
  if (f.treaty != spec.id) {
    return Status::InvalidArgument(
        fmt::format("finding is about treaty '{}', the spec given is '{}'",
                    f.treaty, spec.id));
  }
  if (ComputeFindingId(f) != f.id) {
    return Status::InvalidArgument(
        fmt::format("finding id {} does not match its contents ({})", f.id,
                    ComputeFindingId(f)));
  }
  if (f.evidence.empty()) {
    return Status::InvalidArgument("finding carries no evidence");
  }
  if (f.rule == "sessions-below-minimum")
    return VerifyCadence(f, spec, log_keys);
  // Party code -> log key, learnt from the evidence's notifications.
  std::vector<Checked> checked;
  for (size_t i = 0; i < f.evidence.size(); ++i) {
    const Evidence& e = f.evidence[i];
    std::string where =
        fmt::format("evidence[{}] ({} entry {})", i, e.party, e.index);
    if (e.proof.empty()) {
      return Status::FailedPrecondition(
          where + ": no inclusion proof (no signed checkpoint covered it)");
    }
    Result<ledger::ProofBundle> bundle = ledger::ParseProofBundle(e.proof);
    if (!bundle.ok()) return bundle.status().WithContext(where);
    if (bundle->index != e.index) {
      return Status::InvalidArgument(
          fmt::format("{}: the proof is for index {}", where, bundle->index));
    }
    if (bundle->extra &&
        std::string(bundle->extra->begin(), bundle->extra->end()) != e.entry) {
      return Status::InvalidArgument(
          where + ": the proof's entry differs from the evidence's entry");
    }
    Result<ledger::Checkpoint> body = [&]() -> Result<ledger::Checkpoint> {
      DETENTE_ASSIGN_OR_RETURN(crypto::Note note,
                               crypto::ParseNote(bundle->checkpoint));
      return ledger::Checkpoint::ParseBody(note.text);
    }();
    if (!body.ok()) return body.status().WithContext(where);
    const crypto::VerifierKey* log_key = nullptr;
    for (const crypto::VerifierKey& k : log_keys) {
      if (k.name() == body->origin) log_key = &k;
    }
    DETENTE_ASSIGN_OR_RETURN(std::vector<crypto::VerifierKey> witnesses,
                             WitnessKeys(log_keys, body->origin));
    if (log_key == nullptr) {
      return Status::NotFound(fmt::format(
          "{}: no verifier key given for log '{}'", where, body->origin));
    }
    Result<ledger::OpenedCheckpoint> opened = ledger::VerifyProofBundle(
        *bundle, crypto::AsBytes(e.entry), *log_key, witnesses, 1);
    if (!opened.ok()) return opened.status().WithContext(where);
    // The entry is in the party's log, acknowledged by another party.
    // Findings about a broken entry are proven by showing it is broken.
    Result<notification::SignedNotification> sn =
        notification::ParseEntry(e.entry);
    if (!sn.ok()) {
      if (f.rule == "malformed-entry") return Status::Ok();
      return sn.status().WithContext(where);
    }
    if (Status s = notification::VerifySignature(*sn, *log_key); !s.ok()) {
      if (f.rule == "bad-signature") return Status::Ok();
      return s.WithContext(where);
    }
    if (f.rule == "invalid-notification") {
      if (!notification::Validate(spec, sn->notification).ok()) {
        return Status::Ok();
      }
      return Status::FailedPrecondition(where + ": the notification is valid");
    }
    if (f.rule == "malformed-entry" || f.rule == "bad-signature") {
      return Status::FailedPrecondition(
          where +
          ": the entry is a well-formed, correctly signed notification");
    }
    if (sn->notification.sender != e.party) {
      return Status::InvalidArgument(fmt::format(
          "{}: the notification is from {}", where, sn->notification.sender));
    }
    Checked c;
    c.ln = {sn->notification, {e.party, e.index}};
    c.checkpoint_size = opened->checkpoint.size;
    c.received = EarliestReceipt(*opened);
    c.last_seen = LatestReceipt(*opened);
    checked.push_back(std::move(c));
  }

  // Re-derive the claim from the evidence alone.
  const std::string& rule = f.rule;
  if (rule == "late-notification") {
    const notification::Notification& n = checked[0].ln.notification;
    DETENTE_ASSIGN_OR_RETURN(std::optional<Instant> due,
                             notification::DueBy(spec, n));
    if (!due) {
      return Status::FailedPrecondition(
          fmt::format("notifications of type {} have no deadline", n.type));
    }
    if (n.sent_time > *due) return Status::Ok();  // the sender's own word
    // Received late: the receipt on the checkpoint the entry is proven
    // against is dated after the deadline.
    const std::optional<uint64_t>& received = checked[0].received;
    if (received && static_cast<int64_t>(*received) > due->unix_seconds()) {
      return Status::Ok();
    }
    return Status::FailedPrecondition(fmt::format(
        "the notification was sent at {}{}, which its deadline {} allows",
        n.sent_time.ToString(),
        received ? " and received at " +
                       Instant::FromUnixSeconds(static_cast<int64_t>(*received))
                           .ToString()
                 : "",
        due->ToString()));
  }
  if (rule == "sequence-gap") {
    if (checked.size() != 2 ||
        checked[0].ln.ref.party != checked[1].ln.ref.party ||
        checked[1].ln.ref.index != checked[0].ln.ref.index + 1) {
      return Status::FailedPrecondition(
          "a sequence gap needs two consecutive entries of one log");
    }
    if (checked[1].ln.notification.sequence <=
        checked[0].ln.notification.sequence + 1) {
      return Status::FailedPrecondition(
          "the two entries' sequence numbers do not jump");
    }
    return Status::Ok();
  }
  if (rule == "declared-totals-mismatch") {
    DETENTE_ASSIGN_OR_RETURN(std::string limit, ClaimOf(f, "limit"));
    regime::Fold fold(spec, {checked[0].ln});
    DETENTE_ASSIGN_OR_RETURN(
        regime::State s, fold.StateAt(checked[0].ln.notification.event_time));
    if (s.declarations.empty()) {
      return Status::FailedPrecondition("the evidence is not a declaration");
    }
    const regime::Declaration& d = s.declarations.front();
    auto decl = d.declared_totals.find(limit);
    auto comp = d.computed_totals.find(limit);
    int64_t computed = comp == d.computed_totals.end() ? 0 : comp->second;
    if (decl == d.declared_totals.end() || decl->second == computed) {
      return Status::FailedPrecondition(
          fmt::format("the declaration's {} agrees with its items", limit));
    }
    return Status::Ok();
  }
  if (rule == "missing-update") {
    DETENTE_ASSIGN_OR_RETURN(std::string as_of, ClaimOf(f, "as_of"));
    DETENTE_ASSIGN_OR_RETURN(std::string due_text, ClaimOf(f, "due_by"));
    DETENTE_ASSIGN_OR_RETURN(Instant due, Instant::Parse(due_text));
    for (size_t i = 1; i < checked.size(); ++i) {
      if (checked[i].ln.ref.index != checked[i - 1].ln.ref.index + 1 ||
          checked[i].ln.ref.party != checked[0].ln.ref.party) {
        return Status::FailedPrecondition(
            "a missing update needs a complete run of one log's entries");
      }
    }
    // The run must start where the update could first appear: at the log's
    // first entry, or at a declaration of data as of an earlier date.
    const notification::Notification& first = checked[0].ln.notification;
    const notification::Value* first_as_of = first.body.Find("as_of");
    if (checked[0].ln.ref.index != 0 &&
        !(notification::IsDeclaration(first.type) && first_as_of != nullptr &&
          first_as_of->is_str() && first_as_of->str() < as_of)) {
      return Status::FailedPrecondition(fmt::format(
          "the run starts at entry {}, which is neither the log's first "
          "entry nor a declaration of data before {}",
          checked[0].ln.ref.index, as_of));
    }
    const Checked& last = checked.back();
    if (last.checkpoint_size != last.ln.ref.index + 1) {
      return Status::FailedPrecondition(fmt::format(
          "the run ends at entry {} but the checkpoint has {} entries",
          last.ln.ref.index, last.checkpoint_size));
    }
    if (!last.last_seen ||
        static_cast<int64_t>(*last.last_seen) < due.unix_seconds()) {
      return Status::FailedPrecondition(
          "no cosignature shows the log as it stood after the due date");
    }
    for (const Checked& c : checked) {
      const notification::Notification& n = c.ln.notification;
      const notification::Value* a = n.body.Find("as_of");
      if (notification::IsDeclaration(n.type) && a != nullptr && a->is_str() &&
          a->str() == as_of) {
        return Status::FailedPrecondition(fmt::format(
            "entry {} is the update as of {}", c.ln.ref.index, as_of));
      }
    }
    return Status::Ok();
  }
  // limit-exceeded and illegal steps: re-fold the party's declaration and
  // the notifications after it.
  std::vector<LoggedNotification> lns;
  for (const Checked& c : checked) lns.push_back(c.ln);
  if (lns.empty() ||
      !notification::IsDeclaration(lns.front().notification.type)) {
    if (rule == "limit-exceeded") {
      return Status::FailedPrecondition(
          "a limit finding must start from a full declaration");
    }
  }
  regime::Fold fold(spec, lns);
  DETENTE_ASSIGN_OR_RETURN(regime::State s, fold.StateAt(f.time));
  if (rule == "limit-exceeded") {
    DETENTE_ASSIGN_OR_RETURN(std::string limit_id, ClaimOf(f, "limit"));
    const treaty::Limit* limit = spec.FindLimit(limit_id);
    if (limit == nullptr) {
      return Status::InvalidArgument(
          fmt::format("no limit '{}' in {}", limit_id, spec.id));
    }
    DETENTE_ASSIGN_OR_RETURN(registry::Aggregate a,
                             registry::Count(*limit, s.items, f.party));
    registry::LimitState st =
        registry::Evaluate(spec, *limit, a.value, f.time.date());
    if (st != registry::LimitState::kOver &&
        st != registry::LimitState::kUnder) {
      return Status::FailedPrecondition(fmt::format(
          "re-folding the evidence gives {} = {} on {}: {}", limit_id, a.value,
          f.time.date().ToString(), registry::LimitStateName(st)));
    }
    return Status::Ok();
  }
  for (const regime::Irregularity& i : s.irregularities) {
    if (i.rule == rule && i.party == f.party) return Status::Ok();
  }
  if (rule == "sequence-replay" || rule == "wrong-sender") {
    return Status::Unimplemented(fmt::format(
        "findings of rule '{}' rest on an entry that cannot be re-checked "
        "offline beyond its inclusion",
        rule));
  }
  return Status::FailedPrecondition(
      fmt::format("re-folding the evidence does not show '{}'", rule));
}

}  // namespace detente::compliance

#include "detente/regime/log_reader.h"

#include "detente/ledger/checkpoint.h"
#include "detente/notification/record_view.h"
#include "fmt/format.h"

namespace detente::regime {
namespace {

// The number of leading entries the log's latest checkpoint authenticates:
// its note must verify under the party's key and its root must be the
// stored tree's root at its size.
// The latest checkpoint signed by the party's key, opened.
Result<ledger::Checkpoint> SignedCheckpoint(
    ledger::LogStore& log, const std::string& party,
    const crypto::VerifierKey& party_key) {
  DETENTE_ASSIGN_OR_RETURN(std::optional<ledger::StoredCheckpoint> cp,
                           log.LatestCheckpoint());
  if (!cp) {
    return Status::FailedPrecondition(fmt::format(
        "{}'s log has no signed checkpoint to authenticate its entries by",
        party));
  }
  Result<ledger::OpenedCheckpoint> opened =
      ledger::OpenCheckpoint(cp->note, party_key);
  if (!opened.ok()) {
    return opened.status().WithContext(
        fmt::format("{}'s latest checkpoint", party));
  }
  const ledger::Checkpoint& c = opened->checkpoint;
  DETENTE_ASSIGN_OR_RETURN(ledger::MerkleTreeView view, log.View(c.size));
  if (view.root() != c.root) {
    return Status::Corruption(fmt::format(
        "{}'s log: the tree at size {} does not have the root its signed "
        "checkpoint gives",
        party, c.size));
  }
  return c;
}

}  // namespace

Status ScanPartyLogRecords(ledger::LogStore& log, const treaty::Spec& spec,
                           const std::string& party,
                           const crypto::VerifierKey& party_key, uint64_t size,
                           const ReadOptions& options,
                           const ValidRecordVisitor& on_valid,
                           std::vector<Irregularity>* irregularities) {
  const uint64_t n = size == 0 ? log.size() : size;
  // Entries below `trusted` need no signature check of their own: the
  // scan binds them to the signed root (ScanEntriesUnderRoot).
  uint64_t trusted = 0;
  std::optional<ledger::Checkpoint> checkpoint;
  if (options.authentication == EntryAuthentication::kSignedCheckpoint) {
    DETENTE_ASSIGN_OR_RETURN(checkpoint,
                             SignedCheckpoint(log, party, party_key));
    trusted = checkpoint->size;
  }
  uint64_t expected_seq = 1;
  const ledger::LogStore::ScanVisitor visit =
      [&](uint64_t i, std::string_view entry) -> Status {
    EntryRef ref{party, i};
    auto bad = [&](std::string rule, std::string text, Instant when) {
      irregularities->push_back(
          {std::move(rule), party, when, std::move(text), {ref}});
    };
    // The fast path: an entry the checkpoint authenticates, read in
    // place and judged by QuickValidate. Anything it does not accept
    // (a declaration, an invalid entry) takes the full path below,
    // which gives the verdict and the message.
    std::optional<notification::RecordView> record;
    if (i < trusted) {
      Result<notification::RecordView> v = notification::ParseEntryView(entry);
      if (v.ok() && v->sender == party &&
          notification::QuickValidate(spec, *v)) {
        record = *v;
      }
    }
    if (!record) {
      Result<notification::SignedNotification> sn =
          notification::ParseEntry(entry);
      if (!sn.ok()) {
        bad("malformed-entry",
            fmt::format("{}'s log entry {} is not a notification: {}", party, i,
                        sn.status().message()),
            Instant());
        return Status::Ok();
      }
      notification::Notification& note = sn->notification;
      if (i >= trusted) {
        if (Status v = notification::VerifySignature(*sn, party_key); !v.ok()) {
          bad("bad-signature",
              fmt::format("{}'s log entry {} is not signed by {}'s key: {}",
                          party, i, party, v.message()),
              note.event_time);
          return Status::Ok();
        }
      }
      if (note.sender != party) {
        bad("wrong-sender",
            fmt::format("{}'s log entry {} claims to be from {}", party, i,
                        note.sender),
            note.event_time);
        return Status::Ok();
      }
      if (Status v = notification::Validate(spec, note); !v.ok()) {
        bad("invalid-notification",
            fmt::format("{}'s log entry {} ({}) fails validation: {}", party, i,
                        note.type, v.message()),
            note.event_time);
        return Status::Ok();
      }
      // ParseEntry accepted it: so does ParseEntryView.
      DETENTE_ASSIGN_OR_RETURN(record, notification::ParseEntryView(entry));
    }
    const notification::RecordView& note = *record;
    if (note.sequence < expected_seq) {
      bad("sequence-replay",
          fmt::format("{}'s log entry {} repeats sequence number {} (expected "
                      "{})",
                      party, i, note.sequence, expected_seq),
          note.event_time);
      return Status::Ok();
    }
    if (note.sequence > expected_seq) {
      std::vector<EntryRef> refs;
      if (i > 0) refs.push_back({party, i - 1});
      refs.push_back(ref);
      irregularities->push_back(
          {"sequence-gap", party, note.event_time,
           fmt::format("{}'s notifications {} to {} are missing: entry {} has "
                       "sequence {}",
                       party, expected_seq, note.sequence - 1, i,
                       note.sequence),
           refs});
    }
    expected_seq = note.sequence + 1;
    return on_valid(note, i);
  };
  if (checkpoint) {
    return log.ScanEntriesUnderRoot(n, checkpoint->size, checkpoint->root,
                                    visit);
  }
  return log.ScanEntries(0, n, visit);
}

Status ScanPartyLog(ledger::LogStore& log, const treaty::Spec& spec,
                    const std::string& party,
                    const crypto::VerifierKey& party_key, uint64_t size,
                    const ReadOptions& options,
                    const ValidNotificationVisitor& on_valid,
                    std::vector<Irregularity>* irregularities) {
  return ScanPartyLogRecords(
      log, spec, party, party_key, size, options,
      [&](const notification::RecordView& r, uint64_t index) {
        return on_valid(r.ToNotification(), index);
      },
      irregularities);
}

Result<PartyLog> ReadPartyLog(ledger::LogStore& log, const treaty::Spec& spec,
                              const std::string& party,
                              const crypto::VerifierKey& party_key,
                              uint64_t size, const ReadOptions& options) {
  PartyLog out;
  out.party = party;
  DETENTE_RETURN_IF_ERROR(ScanPartyLog(
      log, spec, party, party_key, size, options,
      [&](notification::Notification&& n, uint64_t index) {
        out.notifications.push_back({std::move(n), {party, index}});
        return Status::Ok();
      },
      &out.irregularities));
  return out;
}

}  // namespace detente::regime

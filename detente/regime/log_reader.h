// Reading a party's notifications from its log for the fold: every entry is
// parsed, authenticated, validated against the spec, and its sequence
// number checked (1, 2, 3, ... in log order). An entry that fails any check
// is left out of the fold and reported as an Irregularity naming its index
// — it never stops the reading.
//
// Authentication (ReadOptions::authentication):
//   kEntrySignatures (the default): each entry's own Ed25519 signature is
//     verified under the party's key; a bad one is a `bad-signature`
//     irregularity.
//   kSignedCheckpoint: the entries covered by the log's latest checkpoint
//     are authenticated by that checkpoint — its signature by the party's
//     key is verified, the stored tree at its size must have its root, and
//     every entry is checked against its leaf hash — so each one is an
//     entry the party committed to under its signed tree head. The
//     entries' own signatures are NOT verified, so a bad one goes
//     unreported; entries after the checkpoint are verified one by one as
//     by default. For passes over very large logs whose entries were
//     verified at receipt (verifying 10 million Ed25519 signatures takes
//     minutes); fails when the log has no checkpoint or it does not verify.
//
// Free functions; the LogStore is borrowed for the call.
#ifndef DETENTE_REGIME_LOG_READER_H_
#define DETENTE_REGIME_LOG_READER_H_

#include <functional>
#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/crypto/keys.h"
#include "detente/ledger/log_store.h"
#include "detente/notification/record_view.h"
#include "detente/regime/fold.h"
#include "detente/treaty/spec.h"

namespace detente::regime {

enum class EntryAuthentication {
  kEntrySignatures,
  kSignedCheckpoint,
};

struct ReadOptions {
  EntryAuthentication authentication = EntryAuthentication::kEntrySignatures;
};

struct PartyLog {
  std::string party;
  std::vector<LoggedNotification> notifications;  // the valid ones
  std::vector<Irregularity> irregularities;
};

// Reads entries [0, size) of `log` (size: all when 0). Fails only when the
// log itself cannot be read (or, with kSignedCheckpoint, authenticated).
Result<PartyLog> ReadPartyLog(ledger::LogStore& log, const treaty::Spec& spec,
                              const std::string& party,
                              const crypto::VerifierKey& party_key,
                              uint64_t size = 0,
                              const ReadOptions& options = {});

// As ReadPartyLog, without keeping the notifications: each valid one is
// handed to `on_valid` (with its index) as it is read, in log order, and
// irregularities are appended to `irregularities`. An error from
// `on_valid` stops the reading and is returned.
using ValidNotificationVisitor =
    std::function<Status(notification::Notification&&, uint64_t index)>;
Status ScanPartyLog(ledger::LogStore& log, const treaty::Spec& spec,
                    const std::string& party,
                    const crypto::VerifierKey& party_key, uint64_t size,
                    const ReadOptions& options,
                    const ValidNotificationVisitor& on_valid,
                    std::vector<Irregularity>* irregularities);

// As ScanPartyLog, handing each valid notification as the record read in
// place (valid only during the call), so that nothing is decoded that the
// visitor does not read. Entries the checkpoint authenticates are judged
// by notification::QuickValidate, and those it does not accept by
// Validate: the same verdicts and irregularities as ScanPartyLog.
using ValidRecordVisitor =
    std::function<Status(const notification::RecordView&, uint64_t index)>;
Status ScanPartyLogRecords(ledger::LogStore& log, const treaty::Spec& spec,
                           const std::string& party,
                           const crypto::VerifierKey& party_key, uint64_t size,
                           const ReadOptions& options,
                           const ValidRecordVisitor& on_valid,
                           std::vector<Irregularity>* irregularities);

}  // namespace detente::regime

#endif  // DETENTE_REGIME_LOG_READER_H_

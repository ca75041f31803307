// Reading a party's notifications from its log for the fold: every entry is
// parsed, its signature verified under the party's key, validated against
// the spec, and its sequence number checked (1, 2, 3, ... in log order).
// An entry that fails any check is left out of the fold and reported as an
// Irregularity naming its index — it never stops the reading.
//
// Free functions; the LogStore is borrowed for the call.
#ifndef DETENTE_REGIME_LOG_READER_H_
#define DETENTE_REGIME_LOG_READER_H_

#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/crypto/keys.h"
#include "detente/ledger/log_store.h"
#include "detente/regime/fold.h"
#include "detente/treaty/spec.h"

namespace detente::regime {

struct PartyLog {
  std::string party;
  std::vector<LoggedNotification> notifications;  // the valid ones
  std::vector<Irregularity> irregularities;
};

// Reads entries [0, size) of `log` (size: all when 0). Fails only when the
// log itself cannot be read.
Result<PartyLog> ReadPartyLog(ledger::LogStore& log, const treaty::Spec& spec,
                              const std::string& party,
                              const crypto::VerifierKey& party_key,
                              uint64_t size = 0);

}  // namespace detente::regime

#endif  // DETENTE_REGIME_LOG_READER_H_

// The compliance pass: rules over the regime fold that turn what the logs
// show into findings with evidence (finding.h). Rules (docs/compliance.md):
//   limit-exceeded           a binding central limit exceeded
//   late-notification        sent after its deadline rule
//   missing-update           a six-monthly database update never sent
//   declared-totals-mismatch declared totals != totals of the declared items
//   sequence-gap, sequence-replay, bad-signature, invalid-notification,
//   malformed-entry          from reading the logs
//   unknown-identifier, duplicate-identifier, eliminated-item-used,
//   warheads-over-type-maximum, status-mismatch, facility-mismatch,
//   warheads-mismatch, warheads-on-non-deployed
//                            illegal steps in the fold
//   commission-step-refused, inspection-step-refused, warheads-count-mismatch,
//   rv-*                     steps the commission or inspections refuse, and
//                            what inspections show (regime/fold.h)
//   sessions-below-minimum   fewer commission sessions in a treaty year than
//                            the spec's minimum; evidence: the whole logs
// Each finding carries the entries it rests on with inclusion proofs
// against the log's latest checkpoint, which should carry another party's
// cosignature (log receipt).
//
// Reads the logs with regime::LogFold (two sequential passes; only a
// 16-byte key per notification is held), so a pass over ten million
// notifications fits in well under 2 GiB.
//
// Borrowed inputs. The rules run on the calling thread; each log's next
// chunk of entries is read (and checked against its leaf hashes) on
// another thread meanwhile (ledger::EntryChunkReader).
#ifndef DETENTE_COMPLIANCE_CHECKER_H_
#define DETENTE_COMPLIANCE_CHECKER_H_

#include <optional>
#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/compliance/finding.h"
#include "detente/crypto/keys.h"
#include "detente/ledger/log_store.h"
#include "detente/regime/fold.h"
#include "detente/regime/log_reader.h"
#include "detente/treaty/spec.h"

namespace detente::compliance {

struct PartyLogInput {
  std::string party;  // party code
  ledger::LogStore* log = nullptr;
  crypto::VerifierKey key;  // the party's log key (signs notifications)
};

struct CheckOptions {
  Instant until;  // rules look at events up to here
  // How entries are authenticated (regime/log_reader.h): each entry's own
  // signature (the default), or — for passes over very large logs whose
  // entries were verified at receipt — the log's signed checkpoint, under
  // which bad-signature findings are not produced.
  regime::EntryAuthentication authentication =
      regime::EntryAuthentication::kEntrySignatures;
  // The commission's yearly minimum is checked for treaty years ending on
  // or after this date: for histories whose record of sessions is complete
  // only from some date on. Default: the first commission message on the
  // logs (none: the logs do not model the commission, nothing is checked).
  std::optional<Date> cadence_from = std::nullopt;
};

struct ComplianceResult {
  std::vector<Finding> findings;  // in time order
  regime::State state;            // the fold at `until`
};

Result<ComplianceResult> Check(const treaty::Spec& spec,
                               std::vector<PartyLogInput> parties,
                               const CheckOptions& options);

}  // namespace detente::compliance

#endif  // DETENTE_COMPLIANCE_CHECKER_H_

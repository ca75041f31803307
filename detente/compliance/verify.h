// Offline verification of a finding: with nothing but the finding file,
// the parties' verifier keys and the treaty spec — no database.
//
// Every evidence entry must (1) be included, by its tlog-proof bundle, in a
// checkpoint signed by its party's log key and cosigned by at least one
// other party (the receipt), and (2) be a notification signed by that
// party. Then the finding's claim is re-derived from the evidence alone:
// a late notification's deadline is recomputed; a sequence gap is two
// consecutive entries whose numbers jump; declared totals are recounted;
// a limit breach or an illegal step is re-folded from the party's
// declaration and the notifications after it; a missing update is checked
// against the complete run of entries up to a cosigned checkpoint.
//
// Free function; thread-safe.
#ifndef DETENTE_COMPLIANCE_VERIFY_H_
#define DETENTE_COMPLIANCE_VERIFY_H_

#include <span>

#include "detente/base/status.h"
#include "detente/compliance/finding.h"
#include "detente/crypto/keys.h"
#include "detente/treaty/spec.h"

namespace detente::compliance {

// `log_keys`: every party's log verifier key (type 0x01); the cosigner keys
// are derived from them (same key, type 0x04).
Status VerifyFinding(const Finding& finding, const treaty::Spec& spec,
                     std::span<const crypto::VerifierKey> log_keys);

}  // namespace detente::compliance

#endif  // DETENTE_COMPLIANCE_VERIFY_H_

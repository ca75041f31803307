// Agenda versions and their identity: the list of issues a session is to
// discuss, as one party proposed it, identified by a SHA-256 hash of its
// canonical (DTN1 value) encoding, so that an acceptance names exactly the
// version it accepts.
//
//   hash = SHA-256("detente/commission/agenda/v1\n" ||
//                  Encode({"issues": [id, ...], "session": s,
//                          "treaty": t, "version": v}))
//
// The version number is in the hash: a party that proposes the same list
// again makes a new version, which every party must accept anew.
// docs/commission.md has the format. Pure functions; thread-safe.
#ifndef DETENTE_COMMISSION_AGENDA_H_
#define DETENTE_COMMISSION_AGENDA_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/crypto/sha256.h"

namespace detente::commission {

inline constexpr std::string_view kAgendaHashContext =
    "detente/commission/agenda/v1\n";

// Parses a list of issue ids as written in a text field: ids separated by
// commas, spaces around them ignored ("I1, I3,I4"). Each id is an
// identifier ([A-Za-z0-9][A-Za-z0-9._:/-]{0,63}); an empty entry ("I1,,I2",
// a trailing comma) or a repeated id is refused. An empty text is the empty
// list. InvalidArgument names the entry, prefixed by `what`.
Result<std::vector<std::string>> ParseIdList(std::string_view text,
                                             std::string_view what);

// The ids joined as ParseIdList reads them: "I1, I3".
std::string JoinIds(const std::vector<std::string>& ids);

// The bytes hashed for an agenda version (after the context string).
std::string AgendaCanonicalBytes(std::string_view treaty,
                                 std::string_view session, int64_t version,
                                 const std::vector<std::string>& issues);

crypto::Sha256Digest AgendaHash(std::string_view treaty,
                                std::string_view session, int64_t version,
                                const std::vector<std::string>& issues);

// AgendaHash as 64 lower-case hex digits: what an acceptance quotes.
std::string AgendaHashHex(std::string_view treaty, std::string_view session,
                          int64_t version,
                          const std::vector<std::string>& issues);

}  // namespace detente::commission

#endif  // DETENTE_COMMISSION_AGENDA_H_

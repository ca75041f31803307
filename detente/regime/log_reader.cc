#include "detente/regime/log_reader.h"

#include "fmt/format.h"

namespace detente::regime {

Result<PartyLog> ReadPartyLog(ledger::LogStore& log, const treaty::Spec& spec,
                              const std::string& party,
                              const crypto::VerifierKey& party_key,
                              uint64_t size) {
  PartyLog out;
  out.party = party;
  uint64_t n = size == 0 ? log.size() : size;
  uint64_t expected_seq = 1;
  for (uint64_t i = 0; i < n; ++i) {
    EntryRef ref{party, i};
    DETENTE_ASSIGN_OR_RETURN(std::string entry, log.Entry(i));
    auto bad = [&](std::string rule, std::string text, Instant when) {
      out.irregularities.push_back(
          {std::move(rule), party, when, std::move(text), {ref}});
    };
    Result<notification::SignedNotification> sn =
        notification::ParseEntry(entry);
    if (!sn.ok()) {
      bad("malformed-entry",
          fmt::format("{}'s log entry {} is not a notification: {}", party, i,
                      sn.status().message()),
          Instant());
      continue;
    }
    const notification::Notification& note = sn->notification;
    if (Status v = notification::VerifySignature(*sn, party_key); !v.ok()) {
      bad("bad-signature",
          fmt::format("{}'s log entry {} is not signed by {}'s key: {}", party,
                      i, party, v.message()),
          note.event_time);
      continue;
    }
    if (note.sender != party) {
      bad("wrong-sender",
          fmt::format("{}'s log entry {} claims to be from {}", party, i,
                      note.sender),
          note.event_time);
      continue;
    }
    if (Status v = notification::Validate(spec, note); !v.ok()) {
      bad("invalid-notification",
          fmt::format("{}'s log entry {} ({}) fails validation: {}", party, i,
                      note.type, v.message()),
          note.event_time);
      continue;
    }
    if (note.sequence < expected_seq) {
      bad("sequence-replay",
          fmt::format("{}'s log entry {} repeats sequence number {} (expected "
                      "{})",
                      party, i, note.sequence, expected_seq),
          note.event_time);
      continue;
    }
    if (note.sequence > expected_seq) {
      std::vector<EntryRef> refs;
      if (i > 0) refs.push_back({party, i - 1});
      refs.push_back(ref);
      out.irregularities.push_back(
          {"sequence-gap", party, note.event_time,
           fmt::format("{}'s notifications {} to {} are missing: entry {} has "
                       "sequence {}",
                       party, expected_seq, note.sequence - 1, i,
                       note.sequence),
           refs});
    }
    expected_seq = note.sequence + 1;
    out.notifications.push_back({note, ref});
  }
  return out;
}

}  // namespace detente::regime

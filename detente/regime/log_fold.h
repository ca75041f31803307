// LogFold: the regime fold (fold.h) over parties' logs too large to hold
// decoded in memory — ten million notifications and more.
//
// Two passes over each log, both sequential reads:
//   1. Read(): every entry is read and checked against its leaf hash
//      (LogStore::ScanEntries), parsed, authenticated, validated and its
//      sequence checked, exactly as ReadPartyLog does (log_reader.h;
//      ScanPartyLogRecords, which reads records in place), and handed to
//      an optional visitor (for rules that look at notifications
//      one at a time, such as deadlines); only a 16-byte key per valid
//      notification is kept — (event time, sender, log index) — and the
//      keys are sorted into fold order, and a 64-bit fingerprint of each
//      valid entry's record (base/fingerprint.h, under a seed drawn at
//      random per LogFold).
//   2. Replay(): walks the keys in fold order, reading each entry again
//      (ParseEntryView: checked, not decoded, on a decoding thread per log
//      a chunk ahead, so that the folding thread only applies; it
//      prefetches the entry a few steps ahead). The entries are not hashed
//      again (SHA-256 was most of the reading's cost): each valid one's
//      record must have its fingerprint from pass 1, or the pass fails
//      with Corruption — the log changed under it. Within one log,
//      fold order is log order except where a notification's event time is
//      earlier than one sent before it, so each log is read ahead in chunks and
//      an entry read before its turn waits in a buffer (at most
//      LogFoldOptions::reorder_bytes; past that it is dropped and read again by
//      index when its turn comes).
//
// The order is the fold's (event time, sender, sequence): within a sender
// valid sequence numbers increase with the log index (a replay is not
// valid), so the log index orders them as the sequence does. The states and
// irregularities are the same as those of Fold over the notifications
// ReadPartyLog returns (tested in log_fold_test.cc).
//
// Memory: 16 bytes per entry read (pass 1; per valid notification after
// it), 8 bytes (its fingerprint) and one bit per entry, the last few chunks of
// entries read from each log with their records' views (and the two read
// ahead), the reorder buffer and the State.
//
// Borrows the Spec and the LogStores, which must outlive it. Not
// thread-safe; Read() and Replay() start threads of their own (reading,
// decoding), all joined before they return.
#ifndef DETENTE_REGIME_LOG_FOLD_H_
#define DETENTE_REGIME_LOG_FOLD_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "detente/base/result.h"
#include "detente/crypto/keys.h"
#include "detente/ledger/log_store.h"
#include "detente/regime/fold.h"
#include "detente/regime/log_reader.h"
#include "detente/treaty/spec.h"

namespace detente::regime {

struct LogSource {
  std::string party;  // party code
  ledger::LogStore* log = nullptr;
  crypto::VerifierKey key;  // the party's log key (signs notifications)
  uint64_t size = 0;        // entries [0, size) are read; 0: all
};

struct LogFoldOptions {
  ReadOptions read;
  // Entries read ahead of their turn kept in memory, per log, before
  // further ones are dropped and re-read by index.
  size_t reorder_bytes = size_t{64} << 20;
  // Pass 2 reads each log in chunks of at most this many entries (and at
  // most ledger::kScanChunkBytes) and keeps the last `held_chunks` (>= 1)
  // of them whole: an entry of one of those is taken from it when its turn
  // comes; one of an older chunk waits in the reorder buffer. Smaller
  // values are for tests.
  size_t chunk_entries = ledger::kScanChunkEntries;
  size_t held_chunks = 4;
};

class LogFold {
 public:
  // Pass 1. The logs are read side by side, each on a thread of its own
  // (the first on the caller's). `on_valid` (may be empty) sees every valid
  // notification, each log's in log order on that log's thread — so calls
  // for different logs may run concurrently, and on_valid must keep what it
  // keeps per log — as the record read in place (valid only during the
  // call; RecordView::ToNotification decodes it). The keys, irregularities
  // and errors do not depend on the threads' interleaving: irregularities
  // come log by log in the order of `sources`, each log's in log order.
  // Fails when a log cannot be read or authenticated, or with on_valid's
  // error (the first log's in the order of `sources` that failed).
  using Visitor =
      std::function<Status(const notification::RecordView&, const EntryRef&)>;
  static Result<std::unique_ptr<LogFold>> Read(const treaty::Spec& spec,
                                               std::vector<LogSource> sources,
                                               const LogFoldOptions& options,
                                               const Visitor& on_valid = {});

  ~LogFold();

  // What reading the logs found (bad signatures, gaps, ...), by source.
  const std::vector<Irregularity>& reader_irregularities() const {
    return reader_irregularities_;
  }
  // Valid notifications, i.e. those Replay() can apply.
  size_t size() const { return keys_.size(); }
  // Entries read from `party`'s log (valid or not).
  uint64_t entries_read(std::string_view party) const;

  // Pass 2: as Fold::Replay — `visit(state, n)` after applying each
  // notification with event time <= `until`, in fold order; stops early
  // when visit returns false. Returns the state after the last
  // notification applied (its `at`: that notification's event time, or
  // `until` when every notification up to it was applied).
  // Each step's notification is decoded for `visit`: ReplayRecords is the
  // fast path.
  using StepVisitor =
      std::function<bool(const State&, const LoggedNotification&)>;
  Result<State> Replay(Instant until, const StepVisitor& visit);
  // As Replay, handing `visit` the record read in place (valid only during
  // the call) and where it is: nothing is decoded that the fold and the
  // visitor do not read (Applier::Apply on a RecordView).
  using RecordStepVisitor = std::function<bool(
      const State&, const notification::RecordView&, const EntryRef&)>;
  Result<State> ReplayRecords(Instant until, const RecordStepVisitor& visit);

  // The sorted keys' memory, for benchmarks.
  size_t index_bytes() const;

 private:
  struct Key {
    int64_t event_time;  // unix seconds
    uint64_t where;      // sender rank (by code) << 56 | log index
    friend bool operator<(const Key& a, const Key& b) {
      return a.event_time != b.event_time ? a.event_time < b.event_time
                                          : a.where < b.where;
    }
  };
  struct Source {
    LogSource in;
    uint64_t read = 0;        // entries read in pass 1
    std::vector<bool> valid;  // [log index]: applied by the fold
    // [log index]: a valid entry's record's Fingerprint (under seed_) as
    // pass 1 authenticated it; pass 2 reads it again unchecked against the
    // tree and compares.
    std::vector<uint64_t> fingerprints;
  };
  class Cursor;

  LogFold(const treaty::Spec& spec, const LogFoldOptions& options);

  const treaty::Spec& spec_;
  const LogFoldOptions options_;
  Applier applier_;
  std::vector<Source> sources_;  // by rank (party code order)
  std::vector<Key> keys_;        // fold order
  const uint64_t seed_;          // of the fingerprints, drawn per LogFold
  std::vector<Irregularity> reader_irregularities_;
};

}  // namespace detente::regime

#endif  // DETENTE_REGIME_LOG_FOLD_H_

// LogStore: one party's append-only log on disk — its entries, the tile rows
// of its Merkle tree, the checkpoints it signed and, when it acts as a
// witness, the last checkpoint of each other log it cosigned. One SQLite
// file in WAL mode; the schema is in docs/log-format.md.
//
// Durability: Append() and AppendBatch() return only after the transaction
// holding the entries is committed with synchronous=FULL, i.e. fsync'd; an
// acknowledged entry survives a crash (kill -9, power loss on a disk that
// honours fsync). Concurrent Append() calls are group-committed: whichever
// caller reaches the front of the queue writes every queued entry (up to
// kMaxGroupEntries) in one transaction and one fsync, then wakes the others.
//
// Integrity: Open() checks the tail against the last signed checkpoint (the
// tree at the checkpoint's size must have its root; entries after it must
// hash to the stored leaf hashes) and refuses with Corruption, naming the
// first bad index, rather than serving a damaged log. Verify() recomputes
// everything from the entries.
//
// Reading the tree: ReadHashes() (what MerkleTreeView calls for every proof)
// answers from an in-memory cache of tile rows when it can, and otherwise
// reads the whole row on a read-only connection of its own and caches it.
// The cache keeps rows from the top of the tree down, as many levels as
// LogStoreOptions::row_cache_bytes holds, so that a proof reads the file
// only near the leaves. The cache holds committed rows only: an append that
// rewrites a partial row replaces its cached copy when it commits, and a
// row read while a commit happened is not cached. Verify() reads the file,
// never the cache.
//
// Thread-safety: all methods are safe to call concurrently. Append() callers
// share commits. ReadHashes() never waits for a commit: it runs in parallel
// with everything, on up to kMaxReaders read-only connections opened as
// needed. Other calls serialise on the main connection. A LogStore owns its
// SQLite connections; one process should open a file once.
#ifndef DETENTE_LEDGER_LOG_STORE_H_
#define DETENTE_LEDGER_LOG_STORE_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/ledger/merkle_hash.h"
#include "detente/ledger/merkle_tree_view.h"
#include "detente/ledger/tile.h"

struct sqlite3;
struct sqlite3_stmt;

namespace detente::ledger {

// The largest entry a log accepts: 1 MiB. A notification carrying a whole
// treaty database (New START's initial exchange: about 1,600 items) is a few
// hundred kilobytes; anything larger is refused rather than stored.
inline constexpr size_t kMaxEntryBytes = size_t{1} << 20;
// At most this many entries share one group commit.
inline constexpr size_t kMaxGroupEntries = 256;
// At most this many ReadHashes() calls read the file at once (each on its
// own read-only connection); more wait.
inline constexpr size_t kMaxReaders = 8;
// ScanEntries() reads at most this many entries, or a little over this many
// bytes, per chunk.
inline constexpr size_t kScanChunkEntries = 4096;
inline constexpr size_t kScanChunkBytes = size_t{4} << 20;
// The store's schema version (PRAGMA user_version). Bumped on any change to
// docs/log-format.md.
inline constexpr int kLogSchemaVersion = 1;

class LogStore;

// A run of consecutive entries of one log, each checked against its stored
// leaf hash: entry `first + k` is data[bounds[k], bounds[k + 1]).
struct EntryChunk {
  uint64_t first = 0;
  std::string data;            // the entries, back to back
  std::vector<size_t> bounds;  // size() + 1 offsets into data
  // Entry k's leaf hash, computed from its bytes (and equal to the stored
  // one), when the entries were checked (LeafCheck::kVerify); else empty.
  std::vector<Hash> leaf_hashes;

  size_t size() const { return bounds.empty() ? 0 : bounds.size() - 1; }
  uint64_t end() const { return first + size(); }
  std::string_view entry(size_t k) const {
    return std::string_view(data.data() + bounds[k], bounds[k + 1] - bounds[k]);
  }
};

// Reads entries [begin, end) of a log in index order, one chunk
// (kScanChunkEntries or kScanChunkBytes) at a time, each entry checked
// against its stored leaf hash as LogStore::Entry() checks it. While the
// caller works on one chunk, the next one is read and checked on another
// thread (read ahead), so that reading a whole log costs the caller little
// more than its own work on the entries when a second core is free. Reads
// take the store's lock as ScanEntries does; nothing is read past `end`.
//
// Borrows the LogStore, which must outlive the reader. Not thread-safe (one
// caller); the destructor waits for a read in flight.
class EntryChunkReader {
 public:
  // Whether each entry is checked against its stored leaf hash.
  enum class LeafCheck {
    kVerify,
    // Not checked: only for a caller that has read and checked these
    // entries before and checks that it reads the same bytes again by
    // other means (regime::LogFold's second pass compares each with a
    // fingerprint taken in its first). A missing entry is still
    // Corruption.
    kSkip,
  };
  // Chunks of at most `max_entries` (> 0; at most kScanChunkEntries are
  // read at once whatever it says) entries.
  EntryChunkReader(const LogStore& log, uint64_t begin, uint64_t end,
                   size_t max_entries = kScanChunkEntries,
                   LeafCheck check = LeafCheck::kVerify);
  ~EntryChunkReader();
  EntryChunkReader(const EntryChunkReader&) = delete;
  EntryChunkReader& operator=(const EntryChunkReader&) = delete;

  // The next chunk into *out (whose buffers are reused for reading ahead);
  // false once [begin, end) has been read. After an error (Corruption for
  // an altered or missing entry, OutOfRange when end > the log's size) it
  // returns the same error again; nothing past the bad entry is returned.
  Result<bool> Next(EntryChunk* out);

 private:
  void ReadAhead();

  const LogStore& log_;
  const uint64_t end_;
  const size_t max_entries_;
  const LeafCheck check_;
  uint64_t next_;     // first entry not yet read or in flight
  EntryChunk ahead_;  // written by the read in flight, if any
  struct InFlight;
  std::unique_ptr<InFlight> in_flight_;
  Status failed_;
};

struct LogStoreOptions {
  // Bytes of tile rows kept in memory for ReadHashes() (0: none), filled
  // as rows are read. Rows fill it from the top of the tree down: with the
  // default row stride of 2, every row above the leaves takes 10.7 bytes
  // per entry, so the default holds them all up to about 12 million
  // entries, and for a larger log the levels nearest the root; a proof then
  // reads one row of leaf hashes from the file. Partial rows at the right
  // edge may exceed the budget by up to one row per level, and the last 16
  // rows read are kept besides.
  size_t row_cache_bytes = size_t{128} << 20;
  // Whether Open() counts the entries (SELECT count(*), which reads every
  // page of the entries table: about 0.7 s per 2 GB file from the page
  // cache, seconds when it is cold) to find a missing one at once
  // (Corruption "entries are missing"). Without it Open() takes the size
  // from the highest index (one walk down the table's tree), and a missing
  // entry is found when it is read: Entry(), ScanEntries() and
  // EntryChunkReader return Corruption "entry N is missing" for it, never
  // another entry. For a caller that reads every entry before it trusts
  // the log (the compliance pass does), that is the same guarantee.
  bool count_entries_on_open = true;
};

// A checkpoint this log signed (or, for a witness, cosigned).
struct StoredCheckpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  std::string note;  // the signed note, byte for byte
};

class LogStore : public TileReader {
 public:
  // Creates a new log file; AlreadyExists if `path` exists. `origin` names
  // the log (C2SP checkpoint origin); `verifier_key` is the log's public key
  // in C2SP vkey form, recorded so that the file says who signs it.
  static Result<std::unique_ptr<LogStore>> Create(
      const std::string& path, std::string_view origin,
      std::string_view verifier_key, const LogStoreOptions& options = {});
  // Opens an existing log, checking its schema version and its tail against
  // the last signed checkpoint. NotFound if missing; Corruption if damaged.
  static Result<std::unique_ptr<LogStore>> Open(
      const std::string& path, const LogStoreOptions& options = {});

  ~LogStore() override;
  LogStore(const LogStore&) = delete;
  LogStore& operator=(const LogStore&) = delete;

  const std::string& path() const { return path_; }
  const std::string& origin() const { return origin_; }
  const std::string& verifier_key() const { return verifier_key_; }
  // The rows this file stores (fixed when the log is created).
  const TileLayout& layout() const { return layout_; }

  // Appends one entry and returns its index once durable. Refuses an empty
  // entry or one over kMaxEntryBytes (InvalidArgument), storing nothing.
  Result<uint64_t> Append(std::span<const uint8_t> entry);
  Result<uint64_t> Append(std::string_view entry);
  // Appends entries in order in one transaction (one fsync); returns the
  // first index. All or nothing: one invalid entry refuses the batch.
  Result<uint64_t> AppendBatch(std::span<const std::string> entries);

  // The tree as of now.
  uint64_t size() const;
  Hash root() const;

  // The entry at `index`, checked against its stored leaf hash: an entry
  // altered on disk is Corruption, never returned.
  Result<std::string> Entry(uint64_t index) const;

  // Calls visit(index, entry) for every entry in [begin, end), in index
  // order, each checked against its stored leaf hash as Entry() checks it:
  // an altered or missing entry is Corruption, and nothing after it is
  // visited. For reading a whole log: one sequential read of the entries
  // and of the leaf-hash rows, instead of a point query per entry. Entries
  // are read kScanChunkEntries (or kScanChunkBytes) at a time under the
  // store's lock, which is released before `visit` runs, so `visit` may
  // call the store and appends interleave between chunks. The entry view
  // is valid only during the call. Stops at the first error `visit`
  // returns and returns it. OutOfRange when end > size().
  // Reading ahead: while `visit` works on one chunk, the next is read and
  // checked on another thread (EntryChunkReader).
  using ScanVisitor = std::function<Status(uint64_t, std::string_view)>;
  Status ScanEntries(uint64_t begin, uint64_t end,
                     const ScanVisitor& visit) const;
  // As ScanEntries(0, end, visit), and binds the entries it reads to a
  // signed root: their leaf hashes, computed from their bytes, are folded
  // into a compact range as they are read, and its root at `root_size`
  // must be `root` (when root_size > end: its root at `end` must be
  // consistent with `root`, by a consistency proof from the stored tree).
  // Checking each entry against its stored leaf hash alone does not do
  // this: the stored leaf hashes are not themselves checked against the
  // rows above them until Verify(). Corruption when they differ, after
  // the entries up to there were visited (a caller discards what it
  // gathered when the scan fails). Costs one more hash per entry.
  Status ScanEntriesUnderRoot(uint64_t end, uint64_t root_size,
                              const Hash& root, const ScanVisitor& visit);

  // A view of the tree at `size` (<= size()) for roots and proofs.
  Result<MerkleTreeView> View(uint64_t tree_size);
  Result<MerkleTreeView> View();

  // Checkpoints signed by this log, newest last.
  Result<std::optional<StoredCheckpoint>> LatestCheckpoint() const;
  // Records a checkpoint this log signed. Refuses (FailedPrecondition) one
  // whose size exceeds the tree, whose root is not the tree's root at that
  // size, or that is older than the latest recorded one: a log never signs
  // two views of its history.
  Status SaveCheckpoint(const StoredCheckpoint& checkpoint);

  // The recorded checkpoint of exactly `tree_size`, if any.
  Result<std::optional<StoredCheckpoint>> CheckpointAt(
      uint64_t tree_size) const;
  // Every recorded checkpoint, smallest first: with the receipts they carry,
  // when each entry was first acknowledged by another party.
  Result<std::vector<StoredCheckpoint>> Checkpoints() const;
  // Replaces the note of a recorded checkpoint with `note`, which must be
  // the same checkpoint with more signatures (the receipts). NotFound when
  // no checkpoint of that size and root is recorded.
  Status UpdateCheckpointNote(const StoredCheckpoint& checkpoint);

  // Witness state: the last checkpoint of log `origin` this log cosigned.
  Result<std::optional<StoredCheckpoint>> LastCosigned(
      std::string_view origin) const;
  // Records a cosigned checkpoint; refuses one smaller than the last.
  Status SaveCosigned(const StoredCheckpoint& checkpoint);

  // Recomputes everything from the entries — every leaf hash, every stored
  // row, every recorded checkpoint's root — and returns Corruption naming
  // the first bad index or row. `progress` (may be empty) is called with
  // the number of entries checked so far.
  Status Verify(const std::function<void(uint64_t)>& progress = {}) const;

  // TileReader.
  Status ReadHashes(int tree_level, uint64_t row_index, int first,
                    std::span<Hash> out) override;

  // Bytes the SQLite file takes (page_count * page_size), for benchmarks.
  Result<uint64_t> FileBytes() const;
  // Bytes of tile rows cached in memory now.
  size_t CachedRowBytes() const;

 private:
  friend class EntryChunkReader;
  struct Writer;
  class RowCache;
  class ReaderPool;

  LogStore(std::string path, sqlite3* db, const LogStoreOptions& options);
  Status Load();
  Status CheckTail();
  Status WriteBatch(std::span<Writer* const> batch);
  // The stored row, read from the file on the main connection (never the
  // cache). NotFound when absent, Corruption when not 1 to 256 hashes.
  // REQUIRES: mu_ held.
  Status ReadRow(int level, uint64_t index, std::vector<Hash>* row) const;
  // ReadHashes(): from the cache, else from the file on a reader connection
  // (and then cached). Needs no lock.
  Status ReadTreeHashes(int tree_level, uint64_t row_index, int first,
                        std::span<Hash> out) const;
  Status ValidateEntry(std::span<const uint8_t> entry) const;
  // Reads the chunk of entries from `begin` (< end; up to max_entries
  // (<= kScanChunkEntries) or kScanChunkBytes of them, none at or past
  // `end`) into *out and, when `check_leaves`, checks each against its
  // stored leaf hash. Takes mu_.
  Status ReadChunk(uint64_t begin, uint64_t end, size_t max_entries,
                   EntryChunk* out, bool check_leaves = true) const;

  const std::string path_;
  sqlite3* const db_;
  const bool count_entries_on_open_;  // LogStoreOptions
  std::string origin_;
  std::string verifier_key_;
  TileLayout layout_;

  // Serialises use of db_ and the tree state below.
  mutable std::mutex mu_;
  TileBuilder builder_;  // tree state after the last commit
  // Reads a row on db_ (for Verify()); prepared once.
  sqlite3_stmt* read_row_ = nullptr;
  // Both internally synchronised.
  const std::unique_ptr<RowCache> row_cache_;
  std::unique_ptr<ReaderPool> readers_;
  // Group commit queue (guarded by queue_mu_).
  std::mutex queue_mu_;
  std::deque<Writer*> queue_;
};

}  // namespace detente::ledger

#endif  // DETENTE_LEDGER_LOG_STORE_H_

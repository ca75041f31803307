#include "detente/ledger/log_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <shared_mutex>
#include <utility>

#include "detente/base/worker.h"
#include "detente/ledger/compact_range.h"
#include "detente/ledger/proof.h"
#include "detente/ledger/tile_memory_store.h"
#include "fmt/format.h"

namespace detente::ledger {
namespace {

// Rows are keyed by (tree level << 56) | row index: levels fit in 6 bits and
// a tree of 2^64 leaves has fewer than 2^56 rows at any level.
int64_t RowId(int level, uint64_t index) {
  return static_cast<int64_t>((static_cast<uint64_t>(level) << 56) | index);
}

// Maps an SQLite result code to a Status saying what we were doing.
Status SqlError(sqlite3* db, int rc, std::string_view doing) {
  std::string msg = fmt::format("{}: {} ({})", doing,
                                db ? sqlite3_errmsg(db) : sqlite3_errstr(rc),
                                sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    return Status::Corruption(msg);
  }
  if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR ||
      primary == SQLITE_FULL || primary == SQLITE_READONLY) {
    return Status::IOError(msg);
  }
  return Status::Internal(msg);
}

// A prepared statement that finalises itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Status status(std::string_view doing) const {
    return rc_ == SQLITE_OK ? Status::Ok() : SqlError(db_, rc_, doing);
  }
  sqlite3_stmt* get() { return stmt_; }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void Bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
  }
  void BindBlob(int i, const void* data, size_t n) {
    sqlite3_bind_blob(stmt_, i, data, static_cast<int>(n), SQLITE_TRANSIENT);
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(
                   reinterpret_cast<const char*>(p),
                   static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  std::span<const uint8_t> Blob(int col) {
    const void* p = sqlite3_column_blob(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    return {static_cast<const uint8_t*>(p), static_cast<size_t>(n)};
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

Status Exec(sqlite3* db, const char* sql, std::string_view doing) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    Status s = SqlError(db, rc, doing);
    return Status(s.code(), fmt::format("{}: {}", doing, msg));
  }
  return Status::Ok();
}

Result<Hash> HashFromBlob(std::span<const uint8_t> b, std::string_view what) {
  return HashFromBytes(b, what);
}

constexpr const char* kReadRowSql =
    "SELECT hashes FROM tile_rows WHERE id = ?1";

// Runs `stmt` (kReadRowSql, prepared on `db`) for row (level, index) and
// copies the row into `row`; resets `stmt` on every path so that it never
// holds a read transaction open.
Status ReadStoredRow(sqlite3* db, sqlite3_stmt* stmt, int level, uint64_t index,
                     std::vector<Hash>* row) {
  struct ResetOnExit {
    sqlite3_stmt* stmt;
    ~ResetOnExit() { sqlite3_reset(stmt); }
  } reset{stmt};
  sqlite3_bind_int64(stmt, 1, RowId(level, index));
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) {
    return Status::NotFound(fmt::format(
        "tile row (level {}, index {}) is not stored", level, index));
  }
  if (rc != SQLITE_ROW) return SqlError(db, rc, "reading tiles");
  const void* data = sqlite3_column_blob(stmt, 0);
  const size_t bytes = static_cast<size_t>(sqlite3_column_bytes(stmt, 0));
  if (bytes % kHashSize != 0 || bytes == 0 || bytes > kTileWidth * kHashSize) {
    return Status::Corruption(fmt::format(
        "tile row (level {}, index {}) has {} bytes, not 1 to {} whole "
        "hashes",
        level, index, bytes, kTileWidth));
  }
  row->resize(bytes / kHashSize);
  std::memcpy(row->data(), data, bytes);
  return Status::Ok();
}

constexpr const char* kSchema = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
CREATE TABLE entries (
  idx  INTEGER PRIMARY KEY,
  data BLOB NOT NULL
) STRICT;
CREATE TABLE tile_rows (
  id     INTEGER PRIMARY KEY,
  hashes BLOB NOT NULL
) STRICT;
CREATE TABLE checkpoints (
  size INTEGER PRIMARY KEY,
  root BLOB NOT NULL,
  note TEXT NOT NULL
) STRICT;
CREATE TABLE cosigned (
  origin TEXT NOT NULL,
  size   INTEGER NOT NULL,
  root   BLOB NOT NULL,
  note   TEXT NOT NULL,
  PRIMARY KEY (origin, size)
) STRICT;
)sql";

Result<sqlite3*> OpenDb(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX |
              (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqlError(db, rc, fmt::format("opening {}", path));
    sqlite3_close(db);
    return s;
  }
  sqlite3_busy_timeout(db, 10000);
  sqlite3_extended_result_codes(db, 1);
  return db;
}

}  // namespace

struct LogStore::Writer {
  std::span<const std::string> batch;  // entries of an AppendBatch call
  std::span<const uint8_t> single;     // or one entry
  size_t count() const { return batch.empty() ? 1 : batch.size(); }
  uint64_t first_index = 0;
  Status status;
  bool done = false;
  std::condition_variable cv;
};

// Tile rows in memory, by tree level and row index.
//
// Which rows: every proof reads one row per stored level, and a level has
// 2^row_stride times fewer rows than the one below it, so a row high in the
// tree serves many more proofs than one near the leaves. Rows are therefore
// kept from the top down: a row is admitted by evicting rows of lower levels
// first (lowest first), then the oldest rows of its own level, never rows
// above it. A row that does not fit still goes into a ring of the last
// kRecentRows rows read, because MerkleTreeView asks for each row more than
// once in a row (with stride 2, the nodes at levels h and h + 1 both come
// from the row at level h).
//
// Coherence: each commit replaces the cached rows it rewrote and counts a
// new generation, in one step (Committed()). A row read from the file is
// put with the generation noted before the read, and dropped if a commit
// has been counted since: it may predate that commit. So the cache holds
// committed rows only. Besides, stored hashes never change and rows only
// grow, so Read() of hashes past the end of a cached row is a miss that
// goes to the file: an outdated row could cost a read, never a wrong hash.
//
// Thread-safety: Read() and generation() take a shared lock, so hits run in
// parallel; Put() and Committed() an exclusive one.
class LogStore::RowCache {
 public:
  explicit RowCache(size_t budget_bytes) : budget_(budget_bytes) {}

  // Copies hashes [first, first + out.size()) of row (level, index) into
  // `out`; false when the row is not cached.
  bool Read(int level, uint64_t index, int first, std::span<Hash> out) const {
    std::shared_lock<std::shared_mutex> l(mu_);
    const std::vector<Hash>* row = Find(level, index);
    const size_t begin = static_cast<size_t>(first);
    if (row == nullptr || begin + out.size() > row->size()) return false;
    std::memcpy(out.data(), row->data() + begin, out.size_bytes());
    return true;
  }

  uint64_t generation() const {
    std::shared_lock<std::shared_mutex> l(mu_);
    return generation_;
  }

  // Caches `row`, the stored row (level, index) as read after generation()
  // returned `read_at`.
  void Put(int level, uint64_t index, std::vector<Hash> row, uint64_t read_at) {
    if (budget_ == 0 || row.empty()) return;
    std::unique_lock<std::shared_mutex> l(mu_);
    if (read_at != generation_ || Find(level, index) != nullptr) return;
    const size_t size = Bytes(row);
    while (size <= budget_ && bytes_ + size > budget_) {
      int victim = 0;
      while (victim <= level && levels_[Slot(victim)].fifo.empty()) ++victim;
      if (victim > level) break;  // only higher rows left: keep them
      Level& from = levels_[Slot(victim)];
      std::vector<Hash>& evicted = from.rows[from.fifo.front()];
      bytes_ -= Bytes(evicted);
      std::vector<Hash>().swap(evicted);
      from.fifo.pop_front();
    }
    if (bytes_ + size <= budget_) {
      Level& to = levels_[Slot(level)];
      if (index >= to.rows.size()) to.rows.resize(index + 1);
      bytes_ += size;
      to.rows[index] = std::move(row);
      to.fifo.push_back(index);
      return;
    }
    recent_[next_recent_] = {RowId(level, index), std::move(row)};
    next_recent_ = (next_recent_ + 1) % kRecentRows;
  }

  // A commit wrote `rows`: replaces those cached, counts a generation.
  void Committed(std::span<const TileRow> rows) {
    std::unique_lock<std::shared_mutex> l(mu_);
    ++generation_;
    if (budget_ == 0) return;
    for (const TileRow& row : rows) {
      Level& level = levels_[Slot(row.tree_level)];
      if (row.index < level.rows.size() && !level.rows[row.index].empty()) {
        std::vector<Hash>& cached = level.rows[row.index];
        bytes_ = bytes_ - Bytes(cached) + Bytes(row.hashes);
        cached = row.hashes;
      }
      const int64_t id = RowId(row.tree_level, row.index);
      for (Recent& r : recent_) {
        if (r.id == id) r.hashes = row.hashes;
      }
    }
  }

  size_t bytes() const {
    std::shared_lock<std::shared_mutex> l(mu_);
    return bytes_;
  }

 private:
  static constexpr size_t kRecentRows = 16;
  // The cached rows of one tree level, indexed by row so that a hit costs
  // no hashing and one indirection. The index is sized by the highest row
  // cached, 24 bytes a row: as rows fill the budget from the top down, at
  // most a few times the budget / 8 KiB.
  struct Level {
    std::vector<std::vector<Hash>> rows;  // empty: not cached
    std::deque<uint64_t> fifo;            // cached rows, oldest first
  };
  struct Recent {
    int64_t id = -1;  // RowId; no row has a negative one
    std::vector<Hash> hashes;
  };

  static size_t Slot(int level) { return static_cast<size_t>(level); }
  static size_t Bytes(const std::vector<Hash>& row) {
    return row.size() * kHashSize;
  }

  // REQUIRES: mu_ held (shared or exclusive).
  const std::vector<Hash>* Find(int level, uint64_t index) const {
    const Level& l = levels_[Slot(level)];
    if (index < l.rows.size() && !l.rows[index].empty()) return &l.rows[index];
    const int64_t id = RowId(level, index);
    for (const Recent& r : recent_) {
      if (r.id == id) return &r.hashes;
    }
    return nullptr;
  }

  const size_t budget_;
  mutable std::shared_mutex mu_;
  uint64_t generation_ = 0;  // commits counted
  std::array<Level, kMaxTreeLevel + 1> levels_;
  size_t bytes_ = 0;  // hashes held in levels_, in bytes
  std::array<Recent, kRecentRows> recent_;
  size_t next_recent_ = 0;
};

// Read-only connections for ReadHashes(), one per concurrent caller (up to
// kMaxReaders), opened on first need: so that proofs on several threads
// read the file in parallel, and never wait for a commit on the main
// connection (WAL readers see the last commit and do not block the writer).
//
// Thread-safety: Read() may be called concurrently.
class LogStore::ReaderPool {
 public:
  explicit ReaderPool(std::string path) : path_(std::move(path)) {}
  ~ReaderPool() {
    for (const Reader& r : readers_) {
      sqlite3_finalize(r.read_row);
      sqlite3_close(r.db);
    }
  }
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  // The committed row (level, index), as ReadStoredRow.
  Status Read(int level, uint64_t index, std::vector<Hash>* row) {
    DETENTE_ASSIGN_OR_RETURN(Reader r, Acquire());
    Status s = ReadStoredRow(r.db, r.read_row, level, index, row);
    Release(r);
    return s;
  }

 private:
  struct Reader {
    sqlite3* db = nullptr;
    sqlite3_stmt* read_row = nullptr;
  };

  Result<Reader> Acquire() {
    std::unique_lock<std::mutex> l(mu_);
    while (idle_.empty() && readers_.size() >= kMaxReaders) cv_.wait(l);
    if (!idle_.empty()) {
      Reader r = idle_.back();
      idle_.pop_back();
      return r;
    }
    Reader r;
    int rc =
        sqlite3_open_v2(path_.c_str(), &r.db,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc == SQLITE_OK) {
      sqlite3_busy_timeout(r.db, 10000);
      sqlite3_extended_result_codes(r.db, 1);
      rc = sqlite3_prepare_v3(r.db, kReadRowSql, -1, SQLITE_PREPARE_PERSISTENT,
                              &r.read_row, nullptr);
    }
    if (rc != SQLITE_OK) {
      Status s = SqlError(r.db, rc, fmt::format("opening {} to read", path_));
      sqlite3_close(r.db);
      return s;
    }
    readers_.push_back(r);
    return r;
  }

  void Release(Reader r) {
    {
      std::lock_guard<std::mutex> l(mu_);
      idle_.push_back(r);
    }
    cv_.notify_one();
  }

  const std::string path_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Reader> readers_;  // all opened
  std::vector<Reader> idle_;     // not in use
};

LogStore::LogStore(std::string path, sqlite3* db,
                   const LogStoreOptions& options)
    : path_(std::move(path)),
      db_(db),
      count_entries_on_open_(options.count_entries_on_open),
      row_cache_(std::make_unique<RowCache>(options.row_cache_bytes)),
      readers_(std::make_unique<ReaderPool>(path_)) {}

LogStore::~LogStore() {
  // Readers first: the last connection to close checkpoints the WAL into
  // the file, which only the main (read-write) one can do.
  readers_.reset();
  sqlite3_finalize(read_row_);
  sqlite3_close(db_);
}

Result<std::unique_ptr<LogStore>> LogStore::Create(
    const std::string& path, std::string_view origin,
    std::string_view verifier_key, const LogStoreOptions& options) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    return Status::AlreadyExists(
        fmt::format("{}: already exists; a log is created once", path));
  }
  if (origin.empty()) return Status::InvalidArgument("empty log origin");
  DETENTE_ASSIGN_OR_RETURN(sqlite3 * db, OpenDb(path, /*create=*/true));
  std::unique_ptr<LogStore> store(new LogStore(path, db, options));
  DETENTE_RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL", "enabling WAL"));
  DETENTE_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE", "creating the schema"));
  DETENTE_RETURN_IF_ERROR(Exec(db, kSchema, "creating the schema"));
  {
    Stmt ins(db, "INSERT INTO meta(key, value) VALUES (?1, ?2)");
    DETENTE_RETURN_IF_ERROR(ins.status("creating the schema"));
    std::pair<const char*, std::string> rows[] = {
        {"origin", std::string(origin)},
        {"verifier_key", std::string(verifier_key)},
        {"row_stride", std::to_string(TileLayout().row_stride)},
        {"format", "detente log; docs/log-format.md"}};
    for (const auto& [k, v] : rows) {
      ins.Reset();
      ins.Bind(1, std::string_view(k));
      ins.Bind(2, std::string_view(v));
      int rc = ins.Step();
      if (rc != SQLITE_DONE) return SqlError(db, rc, "writing metadata");
    }
  }
  DETENTE_RETURN_IF_ERROR(
      Exec(db, fmt::format("PRAGMA user_version={}", kLogSchemaVersion).c_str(),
           "setting the schema version"));
  DETENTE_RETURN_IF_ERROR(Exec(db, "COMMIT", "creating the schema"));
  DETENTE_RETURN_IF_ERROR(store->Load());
  return store;
}

Result<std::unique_ptr<LogStore>> LogStore::Open(
    const std::string& path, const LogStoreOptions& options) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Status::NotFound(fmt::format("{}: no such log", path));
  }
  DETENTE_ASSIGN_OR_RETURN(sqlite3 * db, OpenDb(path, /*create=*/false));
  std::unique_ptr<LogStore> store(new LogStore(path, db, options));
  DETENTE_RETURN_IF_ERROR(store->Load());
  DETENTE_RETURN_IF_ERROR(store->CheckTail());
  return store;
}

Status LogStore::Load() {
  DETENTE_RETURN_IF_ERROR(Exec(db_, "PRAGMA journal_mode=WAL", "opening"));
  // FULL: in WAL mode, every commit fsyncs the WAL before returning, which
  // is what makes an acknowledged append durable.
  DETENTE_RETURN_IF_ERROR(Exec(db_, "PRAGMA synchronous=FULL", "opening"));
  {
    Stmt v(db_, "PRAGMA user_version");
    DETENTE_RETURN_IF_ERROR(v.status("reading the schema version"));
    int rc = v.Step();
    if (rc != SQLITE_ROW)
      return SqlError(db_, rc, "reading the schema version");
    int64_t version = v.Int(0);
    if (version != kLogSchemaVersion) {
      return Status::FailedPrecondition(fmt::format(
          "{}: schema version {} (this detente reads version {}); not a "
          "detente log or from another release",
          path_, version, kLogSchemaVersion));
    }
  }
  {
    Stmt m(db_, "SELECT key, value FROM meta");
    DETENTE_RETURN_IF_ERROR(m.status("reading metadata"));
    int rc;
    while ((rc = m.Step()) == SQLITE_ROW) {
      std::string k = m.Text(0);
      if (k == "origin") origin_ = m.Text(1);
      if (k == "verifier_key") verifier_key_ = m.Text(1);
      if (k == "row_stride") layout_.row_stride = std::stoi(m.Text(1));
    }
    if (rc != SQLITE_DONE) return SqlError(db_, rc, "reading metadata");
    if (origin_.empty()) {
      return Status::Corruption(
          fmt::format("{}: no origin in metadata", path_));
    }
    DETENTE_RETURN_IF_ERROR(layout_.Validate());
  }
  if (read_row_ == nullptr) {
    int rc = sqlite3_prepare_v3(db_, kReadRowSql, -1, SQLITE_PREPARE_PERSISTENT,
                                &read_row_, nullptr);
    if (rc != SQLITE_OK) return SqlError(db_, rc, "preparing tile reads");
  }
  uint64_t count = 0;
  if (count_entries_on_open_) {
    Stmt c(db_, "SELECT count(*), coalesce(max(idx), -1) FROM entries");
    DETENTE_RETURN_IF_ERROR(c.status("counting entries"));
    int rc = c.Step();
    if (rc != SQLITE_ROW) return SqlError(db_, rc, "counting entries");
    int64_t n = c.Int(0), max = c.Int(1);
    if (max != n - 1) {
      return Status::Corruption(fmt::format(
          "{}: {} entries but the highest index is {}: entries are missing",
          path_, n, max));
    }
    count = static_cast<uint64_t>(n);
  } else {
    // The size by the highest index; a missing entry below it is found
    // when it is read (LogStoreOptions::count_entries_on_open).
    Stmt c(db_, "SELECT coalesce(max(idx), -1) FROM entries");
    DETENTE_RETURN_IF_ERROR(c.status("sizing the log"));
    int rc = c.Step();
    if (rc != SQLITE_ROW) return SqlError(db_, rc, "sizing the log");
    const int64_t max = c.Int(0);
    if (max < -1) {
      return Status::Corruption(
          fmt::format("{}: an entry has the negative index {}", path_, max));
    }
    count = static_cast<uint64_t>(max + 1);
  }
  DETENTE_ASSIGN_OR_RETURN(builder_,
                           TileBuilder::Resume(*this, count, layout_));
  return Status::Ok();
}

Status LogStore::CheckTail() {
  DETENTE_ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> cp,
                           LatestCheckpoint());
  uint64_t n = size();
  uint64_t from = 0;
  if (cp) {
    if (cp->size > n) {
      return Status::Corruption(fmt::format(
          "{}: the last signed checkpoint has size {} but the log holds {} "
          "entries: entries from index {} are missing",
          path_, cp->size, n, n));
    }
    Result<MerkleTreeView> view = View(cp->size);
    if (!view.ok()) return view.status().WithContext(path_);
    if (view->root() != cp->root) {
      return Status::Corruption(fmt::format(
          "{}: the tree at size {} has root {} but the signed checkpoint "
          "says {}; run 'detente log verify' to find the first bad index",
          path_, cp->size, HashToHex(view->root()), HashToHex(cp->root)));
    }
    from = cp->size;
  }
  // Entries after the checkpoint must hash to the stored leaf hashes.
  Stmt s(db_, "SELECT idx, data FROM entries WHERE idx >= ?1 ORDER BY idx");
  DETENTE_RETURN_IF_ERROR(s.status("checking the tail"));
  s.Bind(1, static_cast<int64_t>(from));
  int rc;
  uint64_t expect = from;
  while ((rc = s.Step()) == SQLITE_ROW) {
    uint64_t idx = static_cast<uint64_t>(s.Int(0));
    if (idx != expect) {
      return Status::Corruption(
          fmt::format("{}: entry {} is missing", path_, expect));
    }
    Hash leaf = HashLeaf(s.Blob(1));
    Hash stored{};
    DETENTE_RETURN_IF_ERROR(ReadHashes(0, idx / kTileWidth,
                                       static_cast<int>(idx % kTileWidth),
                                       std::span<Hash>(&stored, 1)));
    if (leaf != stored) {
      return Status::Corruption(fmt::format(
          "{}: entry {} does not hash to the stored leaf hash", path_, idx));
    }
    ++expect;
  }
  if (rc != SQLITE_DONE) {
    return SqlError(db_, rc,
                    fmt::format("{}: reading entry {}", path_, expect));
  }
  return Status::Ok();
}

Status LogStore::ValidateEntry(std::span<const uint8_t> entry) const {
  if (entry.empty()) {
    return Status::InvalidArgument("empty entry: a log entry has content");
  }
  if (entry.size() > kMaxEntryBytes) {
    return Status::InvalidArgument(
        fmt::format("entry of {} bytes exceeds the limit of {} bytes",
                    entry.size(), kMaxEntryBytes));
  }
  return Status::Ok();
}

Result<uint64_t> LogStore::Append(std::string_view entry) {
  return Append(std::span<const uint8_t>(
      reinterpret_cast<const uint8_t*>(entry.data()), entry.size()));
}

Result<uint64_t> LogStore::Append(std::span<const uint8_t> entry) {
  DETENTE_RETURN_IF_ERROR(ValidateEntry(entry));
  Writer w;
  w.single = entry;
  std::unique_lock<std::mutex> ql(queue_mu_);
  queue_.push_back(&w);
  while (!w.done && queue_.front() != &w) w.cv.wait(ql);
  if (w.done) {
    if (!w.status.ok()) return w.status;
    return w.first_index;
  }
  // This writer leads: commit it with whatever else is queued.
  std::vector<Writer*> group;
  size_t n = 0;
  for (Writer* x : queue_) {
    if (!group.empty() && n + x->count() > kMaxGroupEntries) break;
    group.push_back(x);
    n += x->count();
  }
  ql.unlock();
  Status s = WriteBatch(group);
  ql.lock();
  for (Writer* x : group) {
    queue_.pop_front();
    x->status = s;
    x->done = true;
    if (x != &w) x->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();
  if (!s.ok()) return s;
  return w.first_index;
}

Result<uint64_t> LogStore::AppendBatch(std::span<const std::string> entries) {
  if (entries.empty()) return Status::InvalidArgument("no entries to append");
  for (size_t i = 0; i < entries.size(); ++i) {
    Status s = ValidateEntry(std::span<const uint8_t>(
        reinterpret_cast<const uint8_t*>(entries[i].data()),
        entries[i].size()));
    if (!s.ok()) return s.WithContext(fmt::format("entry {} of the batch", i));
  }
  Writer w;
  w.batch = entries;
  std::unique_lock<std::mutex> ql(queue_mu_);
  queue_.push_back(&w);
  while (queue_.front() != &w) w.cv.wait(ql);
  ql.unlock();
  // A batch commits alone, however large: it is all or nothing.
  Writer* group[] = {&w};
  Status s = WriteBatch(group);
  ql.lock();
  queue_.pop_front();
  if (!queue_.empty()) queue_.front()->cv.notify_one();
  if (!s.ok()) return s;
  return w.first_index;
}

Status LogStore::WriteBatch(std::span<Writer* const> batch) {
  std::lock_guard<std::mutex> l(mu_);
  TileBuilder saved = builder_;  // restored if the transaction fails
  auto fail = [&](Status s) {
    Exec(db_, "ROLLBACK", "rolling back").IgnoreError();
    builder_ = std::move(saved);
    return s;
  };
  DETENTE_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE", "starting an append"));
  Stmt ins(db_, "INSERT INTO entries(idx, data) VALUES (?1, ?2)");
  if (Status s = ins.status("appending"); !s.ok()) return fail(s);
  auto put = [&](std::span<const uint8_t> e) -> Status {
    uint64_t idx = builder_.size();
    ins.Reset();
    ins.Bind(1, static_cast<int64_t>(idx));
    ins.BindBlob(2, e.data(), e.size());
    int rc = ins.Step();
    if (rc != SQLITE_DONE) {
      return SqlError(db_, rc, fmt::format("appending entry {}", idx));
    }
    builder_.Append(HashLeaf(e));
    return Status::Ok();
  };
  for (Writer* w : batch) {
    w->first_index = builder_.size();
    if (w->batch.empty()) {
      if (Status s = put(w->single); !s.ok()) return fail(s);
    } else {
      for (const std::string& e : w->batch) {
        Status s = put(std::span<const uint8_t>(
            reinterpret_cast<const uint8_t*>(e.data()), e.size()));
        if (!s.ok()) return fail(s);
      }
    }
  }
  Stmt row(db_, "INSERT OR REPLACE INTO tile_rows(id, hashes) VALUES (?1, ?2)");
  if (Status s = row.status("writing tiles"); !s.ok()) return fail(s);
  const std::vector<TileRow> rows = builder_.TakeRows();
  for (const TileRow& r : rows) {
    row.Reset();
    row.Bind(1, RowId(r.tree_level, r.index));
    row.BindBlob(2, r.hashes.data(), r.hashes.size() * kHashSize);
    int rc = row.Step();
    if (rc != SQLITE_DONE) return fail(SqlError(db_, rc, "writing tiles"));
  }
  int rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return fail(SqlError(db_, rc, "committing an append"));
  // Still under mu_: a reader that learns the new size from size() finds
  // the rewritten rows in the cache.
  row_cache_->Committed(rows);
  return Status::Ok();
}

uint64_t LogStore::size() const {
  std::lock_guard<std::mutex> l(mu_);
  return builder_.size();
}

Hash LogStore::root() const {
  std::lock_guard<std::mutex> l(mu_);
  return builder_.Root();
}

Result<std::string> LogStore::Entry(uint64_t index) const {
  std::lock_guard<std::mutex> l(mu_);
  if (index >= builder_.size()) {
    return Status::OutOfRange(
        fmt::format("index {} is beyond the log, which holds {} entries", index,
                    builder_.size()));
  }
  Stmt s(db_, "SELECT data FROM entries WHERE idx = ?1");
  DETENTE_RETURN_IF_ERROR(s.status("reading an entry"));
  s.Bind(1, static_cast<int64_t>(index));
  int rc = s.Step();
  if (rc == SQLITE_DONE) {
    return Status::Corruption(fmt::format("entry {} is missing", index));
  }
  if (rc != SQLITE_ROW) {
    return SqlError(db_, rc, fmt::format("reading entry {}", index));
  }
  std::span<const uint8_t> b = s.Blob(0);
  std::string data(reinterpret_cast<const char*>(b.data()), b.size());
  // Never serve an entry the tree does not vouch for.
  Hash stored{};
  DETENTE_RETURN_IF_ERROR(ReadTreeHashes(0, index / kTileWidth,
                                         static_cast<int>(index % kTileWidth),
                                         std::span<Hash>(&stored, 1)));
  if (HashLeaf(data) != stored) {
    return Status::Corruption(fmt::format(
        "{}: entry {} does not hash to the stored leaf hash; run 'detente "
        "log verify'",
        path_, index));
  }
  return data;
}

Status LogStore::ReadChunk(uint64_t begin, uint64_t end, size_t max_entries,
                           EntryChunk* out, bool check_leaves) const {
  out->first = begin;
  out->data.clear();
  out->bounds.assign(1, 0);
  std::vector<Hash> leaves;  // leaf hashes of the chunk's rows
  uint64_t first_row = 0;
  uint64_t next = begin;
  {
    std::lock_guard<std::mutex> l(mu_);
    Stmt s(db_,
           "SELECT idx, data FROM entries WHERE idx >= ?1 AND idx < ?2 "
           "ORDER BY idx");
    DETENTE_RETURN_IF_ERROR(s.status("scanning entries"));
    s.Bind(1, static_cast<int64_t>(next));
    const uint64_t entries =
        std::clamp<uint64_t>(max_entries, 1, kScanChunkEntries);
    s.Bind(2, static_cast<int64_t>(std::min<uint64_t>(end, next + entries)));
    int rc = SQLITE_DONE;
    while (out->data.size() < kScanChunkBytes &&
           (rc = s.Step()) == SQLITE_ROW) {
      if (static_cast<uint64_t>(s.Int(0)) != next) {
        return Status::Corruption(
            fmt::format("{}: entry {} is missing", path_, next));
      }
      std::span<const uint8_t> b = s.Blob(1);
      out->data.append(reinterpret_cast<const char*>(b.data()), b.size());
      out->bounds.push_back(out->data.size());
      ++next;
    }
    if (out->data.size() < kScanChunkBytes && rc != SQLITE_DONE) {
      return SqlError(db_, rc,
                      fmt::format("{}: reading entry {}", path_, next));
    }
    if (next == begin) {
      return Status::Corruption(
          fmt::format("{}: entry {} is missing", path_, next));
    }
    if (!check_leaves) {
      out->leaf_hashes.clear();
      return Status::Ok();
    }
    // The leaf hashes of the chunk, from the stored rows of level 0 (the
    // file, not the row cache: a scan would only evict useful rows).
    first_row = begin / kTileWidth;
    const uint64_t last_row = (next - 1) / kTileWidth;
    std::vector<Hash> row;
    for (uint64_t r = first_row; r <= last_row; ++r) {
      DETENTE_RETURN_IF_ERROR(ReadRow(0, r, &row));
      leaves.insert(leaves.end(), row.begin(), row.end());
    }
  }
  // Never serve an entry the tree does not vouch for.
  out->leaf_hashes.clear();
  out->leaf_hashes.reserve(static_cast<size_t>(next - begin));
  for (uint64_t i = begin; i < next; ++i) {
    const std::string_view entry = out->entry(static_cast<size_t>(i - begin));
    const size_t leaf = static_cast<size_t>(i - first_row * kTileWidth);
    out->leaf_hashes.push_back(HashLeaf(entry));
    if (leaf >= leaves.size() || out->leaf_hashes.back() != leaves[leaf]) {
      return Status::Corruption(
          fmt::format("{}: entry {} does not hash to the stored leaf hash; run "
                      "'detente log verify'",
                      path_, i));
    }
  }
  return Status::Ok();
}

Status LogStore::ScanEntries(uint64_t begin, uint64_t end,
                             const ScanVisitor& visit) const {
  EntryChunkReader reader(*this, begin, end);
  EntryChunk chunk;
  for (;;) {
    DETENTE_ASSIGN_OR_RETURN(bool more, reader.Next(&chunk));
    if (!more) return Status::Ok();
    for (size_t k = 0; k < chunk.size(); ++k) {
      DETENTE_RETURN_IF_ERROR(visit(chunk.first + k, chunk.entry(k)));
    }
  }
}

Status LogStore::ScanEntriesUnderRoot(uint64_t end, uint64_t root_size,
                                      const Hash& root,
                                      const ScanVisitor& visit) {
  const uint64_t bound = std::min(end, root_size);
  CompactRange range;
  auto check = [&]() -> Status {
    const Hash at = range.Root();
    if (bound == root_size) {
      if (at == root) return Status::Ok();
      return Status::Corruption(fmt::format(
          "{}: entries [0, {}) do not hash to the root they are checked "
          "against (the stored leaf hashes agree with the entries, not with "
          "that root); run 'detente log verify'",
          path_, root_size));
    }
    DETENTE_ASSIGN_OR_RETURN(MerkleTreeView view, View(root_size));
    DETENTE_ASSIGN_OR_RETURN(std::vector<Hash> proof,
                             view.ConsistencyProof(bound));
    if (Status s = VerifyConsistency(bound, root_size, proof, at, root);
        !s.ok()) {
      return Status::Corruption(fmt::format(
          "{}: entries [0, {}) are not consistent with the root at {} they "
          "are checked against: {}",
          path_, bound, root_size, s.message()));
    }
    return Status::Ok();
  };
  if (bound == 0) DETENTE_RETURN_IF_ERROR(check());
  EntryChunkReader reader(*this, 0, end);
  EntryChunk chunk;
  for (;;) {
    DETENTE_ASSIGN_OR_RETURN(bool more, reader.Next(&chunk));
    if (!more) return Status::Ok();
    // A chunk's entries are bound before any of them is visited.
    for (size_t k = 0; k < chunk.size() && range.size() < bound; ++k) {
      range.Append(chunk.leaf_hashes[k]);
      if (range.size() == bound) DETENTE_RETURN_IF_ERROR(check());
    }
    for (size_t k = 0; k < chunk.size(); ++k) {
      DETENTE_RETURN_IF_ERROR(visit(chunk.first + k, chunk.entry(k)));
    }
  }
}

// The reading-ahead thread (one for the reader's life, not one per
// chunk: starting a thread per chunk cost thousands of them per pass) and
// what its read in flight returned; waited for before ahead_ is touched.
struct EntryChunkReader::InFlight {
  Worker worker;
  Status status;
};

EntryChunkReader::EntryChunkReader(const LogStore& log, uint64_t begin,
                                   uint64_t end, size_t max_entries,
                                   LeafCheck check)
    : log_(log),
      end_(end),
      max_entries_(max_entries),
      check_(check),
      next_(begin) {
  const uint64_t n = log.size();
  if (end > n || begin > end) {
    failed_ = Status::OutOfRange(fmt::format(
        "entries [{}, {}) are not in the log, which holds {}", begin, end, n));
  }
}

EntryChunkReader::~EntryChunkReader() = default;  // the worker waits

void EntryChunkReader::ReadAhead() {
  if (!in_flight_) in_flight_ = std::make_unique<InFlight>();
  InFlight* f = in_flight_.get();
  const uint64_t begin = next_;
  f->worker.Run([this, f, begin] {
    f->status = log_.ReadChunk(begin, end_, max_entries_, &ahead_,
                               check_ == LeafCheck::kVerify);
  });
}

Result<bool> EntryChunkReader::Next(EntryChunk* out) {
  DETENTE_RETURN_IF_ERROR(failed_);
  if (in_flight_ && in_flight_->worker.busy()) {
    in_flight_->worker.Wait();
    Status s = std::move(in_flight_->status);
    in_flight_->status = Status::Ok();
    if (!s.ok()) {
      failed_ = s;
      return s;
    }
    std::swap(*out, ahead_);
  } else {
    if (next_ >= end_) return false;
    // The first chunk: read here, nothing to overlap it with.
    if (Status s = log_.ReadChunk(next_, end_, max_entries_, out,
                                  check_ == LeafCheck::kVerify);
        !s.ok()) {
      failed_ = s;
      return s;
    }
  }
  next_ = out->end();
  if (next_ < end_) ReadAhead();
  return true;
}

Status LogStore::ReadRow(int level, uint64_t index,
                         std::vector<Hash>* row) const {
  return ReadStoredRow(db_, read_row_, level, index, row);
}

Status LogStore::ReadHashes(int tree_level, uint64_t row_index, int first,
                            std::span<Hash> out) {
  return ReadTreeHashes(tree_level, row_index, first, out);
}

Status LogStore::ReadTreeHashes(int tree_level, uint64_t row_index, int first,
                                std::span<Hash> out) const {
  if (row_cache_->Read(tree_level, row_index, first, out)) return Status::Ok();
  const uint64_t generation = row_cache_->generation();
  std::vector<Hash> row;
  DETENTE_RETURN_IF_ERROR(readers_->Read(tree_level, row_index, &row));
  const size_t begin = static_cast<size_t>(first);
  if (begin + out.size() > row.size()) {
    return Status::NotFound(fmt::format(
        "tile row (level {}, index {}) holds {} hashes, fewer than {}",
        tree_level, row_index, row.size(), begin + out.size()));
  }
  std::memcpy(out.data(), row.data() + begin, out.size_bytes());
  row_cache_->Put(tree_level, row_index, std::move(row), generation);
  return Status::Ok();
}

size_t LogStore::CachedRowBytes() const { return row_cache_->bytes(); }

Result<MerkleTreeView> LogStore::View(uint64_t tree_size) {
  if (tree_size > size()) {
    return Status::OutOfRange(
        fmt::format("size {} is beyond the log, which holds {} entries",
                    tree_size, size()));
  }
  return MerkleTreeView::Open(this, tree_size, layout_);
}

Result<MerkleTreeView> LogStore::View() { return View(size()); }

Result<std::optional<StoredCheckpoint>> LogStore::LatestCheckpoint() const {
  std::lock_guard<std::mutex> l(mu_);
  Stmt s(db_,
         "SELECT size, root, note FROM checkpoints ORDER BY size DESC LIMIT 1");
  DETENTE_RETURN_IF_ERROR(s.status("reading checkpoints"));
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<StoredCheckpoint>();
  if (rc != SQLITE_ROW) return SqlError(db_, rc, "reading checkpoints");
  StoredCheckpoint cp;
  cp.origin = origin_;
  cp.size = static_cast<uint64_t>(s.Int(0));
  DETENTE_ASSIGN_OR_RETURN(cp.root, HashFromBlob(s.Blob(1), "checkpoint root"));
  cp.note = s.Text(2);
  return std::optional<StoredCheckpoint>(std::move(cp));
}

Status LogStore::SaveCheckpoint(const StoredCheckpoint& cp) {
  if (cp.origin != origin_) {
    return Status::InvalidArgument(fmt::format(
        "checkpoint of origin '{}' given to log '{}'", cp.origin, origin_));
  }
  DETENTE_ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> last,
                           LatestCheckpoint());
  if (last && cp.size < last->size) {
    return Status::FailedPrecondition(fmt::format(
        "refusing to record a checkpoint of size {}: size {} was already "
        "signed",
        cp.size, last->size));
  }
  if (last && cp.size == last->size && cp.root != last->root) {
    return Status::FailedPrecondition(fmt::format(
        "refusing to record a second root for size {} (equivocation)",
        cp.size));
  }
  DETENTE_ASSIGN_OR_RETURN(MerkleTreeView view, View(cp.size));
  if (view.root() != cp.root) {
    return Status::FailedPrecondition(fmt::format(
        "refusing to record a checkpoint whose root {} is not the tree's "
        "root {} at size {}",
        HashToHex(cp.root), HashToHex(view.root()), cp.size));
  }
  std::lock_guard<std::mutex> l(mu_);
  Stmt s(db_,
         "INSERT OR REPLACE INTO checkpoints(size, root, note) VALUES (?1, ?2, "
         "?3)");
  DETENTE_RETURN_IF_ERROR(s.status("recording a checkpoint"));
  s.Bind(1, static_cast<int64_t>(cp.size));
  s.BindBlob(2, cp.root.data(), cp.root.size());
  s.Bind(3, cp.note);
  int rc = s.Step();
  if (rc != SQLITE_DONE) return SqlError(db_, rc, "recording a checkpoint");
  return Status::Ok();
}

Result<std::optional<StoredCheckpoint>> LogStore::CheckpointAt(
    uint64_t tree_size) const {
  std::lock_guard<std::mutex> l(mu_);
  Stmt s(db_, "SELECT size, root, note FROM checkpoints WHERE size = ?1");
  DETENTE_RETURN_IF_ERROR(s.status("reading checkpoints"));
  s.Bind(1, static_cast<int64_t>(tree_size));
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<StoredCheckpoint>();
  if (rc != SQLITE_ROW) return SqlError(db_, rc, "reading checkpoints");
  StoredCheckpoint cp;
  cp.origin = origin_;
  cp.size = static_cast<uint64_t>(s.Int(0));
  DETENTE_ASSIGN_OR_RETURN(cp.root, HashFromBlob(s.Blob(1), "checkpoint root"));
  cp.note = s.Text(2);
  return std::optional<StoredCheckpoint>(std::move(cp));
}

Result<std::vector<StoredCheckpoint>> LogStore::Checkpoints() const {
  std::lock_guard<std::mutex> l(mu_);
  Stmt s(db_, "SELECT size, root, note FROM checkpoints ORDER BY size");
  DETENTE_RETURN_IF_ERROR(s.status("reading checkpoints"));
  std::vector<StoredCheckpoint> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    StoredCheckpoint cp;
    cp.origin = origin_;
    cp.size = static_cast<uint64_t>(s.Int(0));
    DETENTE_ASSIGN_OR_RETURN(cp.root,
                             HashFromBlob(s.Blob(1), "checkpoint root"));
    cp.note = s.Text(2);
    out.push_back(std::move(cp));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, rc, "reading checkpoints");
  return out;
}

Status LogStore::UpdateCheckpointNote(const StoredCheckpoint& cp) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt s(db_, "UPDATE checkpoints SET note = ?1 WHERE size = ?2 AND root = ?3");
  DETENTE_RETURN_IF_ERROR(s.status("updating a checkpoint"));
  s.Bind(1, cp.note);
  s.Bind(2, static_cast<int64_t>(cp.size));
  s.BindBlob(3, cp.root.data(), cp.root.size());
  int rc = s.Step();
  if (rc != SQLITE_DONE) return SqlError(db_, rc, "updating a checkpoint");
  if (sqlite3_changes(db_) != 1) {
    return Status::NotFound(fmt::format(
        "no checkpoint of size {} with root {} was signed by this log", cp.size,
        HashToHex(cp.root)));
  }
  return Status::Ok();
}

Result<std::optional<StoredCheckpoint>> LogStore::LastCosigned(
    std::string_view origin) const {
  std::lock_guard<std::mutex> l(mu_);
  Stmt s(db_,
         "SELECT size, root, note FROM cosigned WHERE origin = ?1 ORDER BY "
         "size DESC LIMIT 1");
  DETENTE_RETURN_IF_ERROR(s.status("reading cosigned checkpoints"));
  s.Bind(1, origin);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<StoredCheckpoint>();
  if (rc != SQLITE_ROW)
    return SqlError(db_, rc, "reading cosigned checkpoints");
  StoredCheckpoint cp;
  cp.origin = std::string(origin);
  cp.size = static_cast<uint64_t>(s.Int(0));
  DETENTE_ASSIGN_OR_RETURN(cp.root, HashFromBlob(s.Blob(1), "cosigned root"));
  cp.note = s.Text(2);
  return std::optional<StoredCheckpoint>(std::move(cp));
}

Status LogStore::SaveCosigned(const StoredCheckpoint& cp) {
  DETENTE_ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> last,
                           LastCosigned(cp.origin));
  if (last && cp.size < last->size) {
    return Status::FailedPrecondition(fmt::format(
        "refusing to cosign size {} of '{}': size {} was already cosigned",
        cp.size, cp.origin, last->size));
  }
  if (last && cp.size == last->size && cp.root != last->root) {
    return Status::FailedPrecondition(fmt::format(
        "'{}' signed two roots for size {}: {} (cosigned) and {}", cp.origin,
        cp.size, HashToHex(last->root), HashToHex(cp.root)));
  }
  std::lock_guard<std::mutex> l(mu_);
  Stmt s(db_,
         "INSERT OR REPLACE INTO cosigned(origin, size, root, note) VALUES "
         "(?1, ?2, ?3, ?4)");
  DETENTE_RETURN_IF_ERROR(s.status("recording a cosignature"));
  s.Bind(1, cp.origin);
  s.Bind(2, static_cast<int64_t>(cp.size));
  s.BindBlob(3, cp.root.data(), cp.root.size());
  s.Bind(4, cp.note);
  int rc = s.Step();
  if (rc != SQLITE_DONE) return SqlError(db_, rc, "recording a cosignature");
  return Status::Ok();
}

Status LogStore::Verify(const std::function<void(uint64_t)>& progress) const {
  uint64_t n = size();
  MemoryTileStore recomputed;
  TileBuilder fresh(layout_);
  {
    std::lock_guard<std::mutex> l(mu_);
    Stmt s(db_, "SELECT idx, data FROM entries ORDER BY idx");
    DETENTE_RETURN_IF_ERROR(s.status("verifying"));
    uint64_t expect = 0;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      uint64_t idx = static_cast<uint64_t>(s.Int(0));
      if (idx != expect) {
        return Status::Corruption(fmt::format(
            "{}: first bad index {}: entry missing", path_, expect));
      }
      fresh.Append(HashLeaf(s.Blob(1)));
      ++expect;
      if (expect % kTileWidth == 0) {
        DETENTE_RETURN_IF_ERROR(recomputed.Write(fresh.TakeRows()));
        if (progress) progress(expect);
      }
    }
    if (rc != SQLITE_DONE) {
      Status err = SqlError(db_, rc, "reading entries");
      return Status(err.code(), fmt::format("{}: first bad index {}: {}", path_,
                                            expect, err.message()));
    }
    if (expect != n) {
      return Status::Corruption(fmt::format(
          "{}: first bad index {}: the tree has {} leaves but {} entries "
          "were read",
          path_, expect, n, expect));
    }
    DETENTE_RETURN_IF_ERROR(recomputed.Write(fresh.TakeRows()));
    if (progress) progress(expect);
  }
  // Every stored row must equal the recomputed one; the first mismatch at
  // level 0 names the first bad index.
  for (int level = 0; level <= kMaxTreeLevel; level += layout_.row_stride) {
    uint64_t hashes = recomputed.HashesAt(level);
    if (hashes == 0) break;
    for (uint64_t r = 0; r * kTileWidth < hashes; ++r) {
      int width = static_cast<int>(
          std::min<uint64_t>(kTileWidth, hashes - r * kTileWidth));
      std::vector<Hash> want(static_cast<size_t>(width));
      DETENTE_RETURN_IF_ERROR(
          recomputed.ReadHashes(level, r, 0, std::span<Hash>(want)));
      std::vector<Hash> got;
      Status s;
      {
        std::lock_guard<std::mutex> l(mu_);
        s = ReadRow(level, r, &got);
      }
      if (!s.ok()) {
        return Status::Corruption(
            fmt::format("{}: tile row (level {}, index {}): {}", path_, level,
                        r, s.message()));
      }
      for (int i = 0; i < width; ++i) {
        if (static_cast<size_t>(i) >= got.size() ||
            got[static_cast<size_t>(i)] != want[static_cast<size_t>(i)]) {
          uint64_t first_leaf = (r * kTileWidth + static_cast<uint64_t>(i))
                                << level;
          return Status::Corruption(fmt::format(
              "{}: first bad index {}: the stored tree disagrees with the "
              "entries (level {} hash {})",
              path_, first_leaf, level,
              r * kTileWidth + static_cast<uint64_t>(i)));
        }
      }
    }
  }
  // Every recorded checkpoint's root must be the recomputed root.
  std::vector<StoredCheckpoint> cps;
  {
    std::lock_guard<std::mutex> l(mu_);
    Stmt s(db_, "SELECT size, root, note FROM checkpoints ORDER BY size");
    DETENTE_RETURN_IF_ERROR(s.status("reading checkpoints"));
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      StoredCheckpoint cp;
      cp.size = static_cast<uint64_t>(s.Int(0));
      DETENTE_ASSIGN_OR_RETURN(cp.root, HashFromBlob(s.Blob(1), "root"));
      cps.push_back(std::move(cp));
    }
    if (rc != SQLITE_DONE) return SqlError(db_, rc, "reading checkpoints");
  }
  for (const StoredCheckpoint& cp : cps) {
    if (cp.size > n) {
      return Status::Corruption(fmt::format(
          "{}: checkpoint of size {} but only {} entries", path_, cp.size, n));
    }
    DETENTE_ASSIGN_OR_RETURN(
        MerkleTreeView v, MerkleTreeView::Open(&recomputed, cp.size, layout_));
    if (v.root() != cp.root) {
      return Status::Corruption(fmt::format(
          "{}: signed checkpoint of size {} has root {} but the entries give "
          "{}",
          path_, cp.size, HashToHex(cp.root), HashToHex(v.root())));
    }
  }
  return Status::Ok();
}

Result<uint64_t> LogStore::FileBytes() const {
  std::lock_guard<std::mutex> l(mu_);
  Stmt pc(db_, "PRAGMA page_count");
  Stmt ps(db_, "PRAGMA page_size");
  if (pc.Step() != SQLITE_ROW || ps.Step() != SQLITE_ROW) {
    return Status::Internal("reading page counts");
  }
  return static_cast<uint64_t>(pc.Int(0) * ps.Int(0));
}

}  // namespace detente::ledger

// The verifiable log's throughput, each figure beside a reference measured in
// the same run (bench/README.md lists them with issue 3's targets):
//
//  - detente's Ed25519 signing and verification (the acceptance rule of
//    detente/crypto/ed25519.h) beside raw libsodium on the same messages;
//  - signed appends: verify each entry's signature, then append batches of
//    256 to a LogStore in a real SQLite file, one fsync'd transaction per
//    batch; beside raw libsodium verifications of the same entries, the
//    bound an append path that verifies every entry cannot beat;
//  - unsigned appends beside the same batches inserted into a bare SQLite
//    table, to show what the Merkle tree costs on top of SQLite;
//  - inclusion and consistency proofs at random positions of a
//    10,000,000-leaf log on disk, beside the same proofs from the same tree
//    in memory (MemoryTileStore), with the store's bytes per leaf and the
//    process's peak memory while serving them.
//
// The 10M-leaf log is built once, by a child process, into
// DETENTE_BENCH_CACHE_DIR (under the build directory) and reused by later
// runs; the append benchmarks write to a temporary directory that is removed
// afterwards.
#include <benchmark/benchmark.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "bench/page_cache.h"
#include "bench/ratio_reporter.h"
#include "detente/crypto/ed25519.h"
#include "detente/crypto/keys.h"
#include "detente/ledger/checkpoint.h"
#include "detente/ledger/compact_range.h"
#include "detente/ledger/log_store.h"
#include "detente/ledger/merkle_tree_view.h"
#include "detente/ledger/proof.h"
#include "detente/ledger/tile_memory_store.h"
#include "fmt/format.h"

namespace detente {
namespace {

namespace fs = std::filesystem;
using ledger::Hash;

// A notification's size in these benchmarks; real ones vary.
constexpr size_t kPayloadBytes = 200;
constexpr size_t kSignedEntryBytes =
    crypto::kEd25519SignatureSize + kPayloadBytes;
// Entries per durable append: one transaction, one fsync (issue 3).
constexpr size_t kBatch = 256;
// Distinct signed entries, cycled through by the append benchmarks.
constexpr size_t kPoolEntries = 8 * kBatch;

constexpr uint64_t kBigLogLeaves = 10'000'000;
constexpr size_t kBigLogEntryBytes = 32;
constexpr size_t kBigLogBuildBatch = size_t{1} << 16;
constexpr char kBigLogOrigin[] = "bench.detente.example/log";
// The view a server keeps per published size holds tree levels >= 8 in
// memory (2.5 MB at 10M leaves; MerkleTreeView::OpenCached).
constexpr int kViewCacheLevel = 8;
// Proofs checked with the verifier before each proof benchmark times any.
constexpr int kProofsVerified = 256;

// Fixed seeds: every run measures the same entries and the same positions.
constexpr uint64_t kSeed = 20260301;

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

void InitSodium() {
  static const int rc = sodium_init();
  if (rc < 0) {
    std::fprintf(stderr, "log_benchmark: sodium_init failed\n");
    std::abort();
  }
}

crypto::Ed25519Seed PartySeed() {
  crypto::Ed25519Seed seed;
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(i);
  return seed;
}

// The party whose notifications are appended.
const crypto::Ed25519KeyPair& PartyKey() {
  static const crypto::Ed25519KeyPair key =
      crypto::Ed25519KeyPair::FromSeed(PartySeed());
  return key;
}

// The same key pair in libsodium's own form, for the raw references.
struct RawKey {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
};
const RawKey& RawPartyKey() {
  static const RawKey key = [] {
    InitSodium();
    RawKey k;
    crypto::Ed25519Seed seed = PartySeed();
    crypto_sign_seed_keypair(k.pk, k.sk, seed.data());
    return k;
  }();
  return key;
}

// kPoolEntries entries of 64-byte signature || 200-byte pseudo-random
// payload, each signed by the party key.
const std::vector<std::string>& SignedEntries() {
  static const std::vector<std::string> entries = [] {
    std::mt19937_64 rng(kSeed);
    std::vector<std::string> v;
    v.reserve(kPoolEntries);
    for (size_t i = 0; i < kPoolEntries; ++i) {
      std::string e(kSignedEntryBytes, '\0');
      auto* p = reinterpret_cast<uint8_t*>(e.data());
      for (size_t j = crypto::kEd25519SignatureSize; j < e.size(); j += 8) {
        uint64_t r = rng();
        std::memcpy(p + j, &r, std::min<size_t>(8, e.size() - j));
      }
      crypto::Ed25519Signature sig = PartyKey().Sign(std::span<const uint8_t>(
          p + crypto::kEd25519SignatureSize, kPayloadBytes));
      std::memcpy(p, sig.data(), sig.size());
      v.push_back(std::move(e));
    }
    return v;
  }();
  return entries;
}

std::span<const uint8_t> PayloadOf(const std::string& entry) {
  return Bytes(entry).subspan(crypto::kEd25519SignatureSize);
}

// The append path's acceptance check: the entry's signature under detente's
// rule.
Status VerifySignedEntry(const crypto::Ed25519PublicKey& key,
                         const std::string& entry) {
  crypto::Ed25519Signature sig;
  std::memcpy(sig.data(), entry.data(), sig.size());
  return crypto::Ed25519Verify(key, PayloadOf(entry), sig);
}

// A directory of its own under the system's temporary directory, removed
// with everything in it when destroyed.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            fmt::format("detente_log_benchmark_{}_{}", getpid(), counter++);
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(std::string_view name) const {
    return (path_ / name).string();
  }

 private:
  fs::path path_;
};

double PeakRssMiB() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
}

// --- Ed25519 ---------------------------------------------------------------

void BM_Sign(benchmark::State& state) {
  const std::vector<std::string>& pool = SignedEntries();
  size_t i = 0;
  for (auto _ : state) {
    crypto::Ed25519Signature sig = PartyKey().Sign(PayloadOf(pool[i]));
    benchmark::DoNotOptimize(sig);
    i = (i + 1) % pool.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sign);

// Reference: libsodium's crypto_sign_detached on the same payloads.
void BM_Sign_Reference(benchmark::State& state) {
  const std::vector<std::string>& pool = SignedEntries();
  const RawKey& key = RawPartyKey();
  size_t i = 0;
  for (auto _ : state) {
    unsigned char sig[crypto_sign_BYTES];
    std::span<const uint8_t> m = PayloadOf(pool[i]);
    crypto_sign_detached(sig, nullptr, m.data(), m.size(), key.sk);
    benchmark::DoNotOptimize(sig);
    i = (i + 1) % pool.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sign_Reference);

void BM_Verify(benchmark::State& state) {
  const std::vector<std::string>& pool = SignedEntries();
  const crypto::Ed25519PublicKey& key = PartyKey().public_key();
  size_t i = 0;
  for (auto _ : state) {
    if (Status s = VerifySignedEntry(key, pool[i]); !s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
    i = (i + 1) % pool.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Verify);

// libsodium's crypto_sign_verify_detached over `entry`.
bool RawVerify(const RawKey& key, const std::string& entry) {
  std::span<const uint8_t> m = PayloadOf(entry);
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(entry.data()), m.data(),
             m.size(), key.pk) == 0;
}

// Reference: libsodium's crypto_sign_verify_detached on the same entries.
void RawVerifyLoop(benchmark::State& state) {
  const std::vector<std::string>& pool = SignedEntries();
  const RawKey& key = RawPartyKey();
  size_t i = 0;
  for (auto _ : state) {
    if (!RawVerify(key, pool[i])) {
      state.SkipWithError("libsodium rejected a valid signature");
      break;
    }
    i = (i + 1) % pool.size();
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Verify_Reference(benchmark::State& state) { RawVerifyLoop(state); }
BENCHMARK(BM_Verify_Reference);

// --- Appends ---------------------------------------------------------------

Result<std::unique_ptr<ledger::LogStore>> NewLog(const TempDir& dir) {
  return ledger::LogStore::Create(dir.File("log.db"), "bench.example/log",
                                  "bench.example/log+00000000+AQ");
}

// The append path of a log that accepts only entries signed by a party:
// verify every entry of a batch of 256 under detente's rule, then append the
// batch durably (one transaction, one fsync).
void BM_SignedAppend(benchmark::State& state) {
  TempDir dir;
  Result<std::unique_ptr<ledger::LogStore>> log = NewLog(dir);
  if (!log.ok()) {
    state.SkipWithError(log.status().ToString().c_str());
    return;
  }
  const std::vector<std::string>& pool = SignedEntries();
  const crypto::Ed25519PublicKey& key = PartyKey().public_key();
  size_t next = 0;
  for (auto _ : state) {
    std::span<const std::string> batch(pool.data() + next, kBatch);
    next = (next + kBatch) % pool.size();
    Status s;
    for (const std::string& e : batch) {
      s = VerifySignedEntry(key, e);
      if (!s.ok()) break;
    }
    if (s.ok()) s = (*log)->AppendBatch(batch).status();
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
  state.counters["entry_bytes"] = static_cast<double>(kSignedEntryBytes);
}
BENCHMARK(BM_SignedAppend)->MinTime(1.0)->UseRealTime();

// Reference: raw libsodium verifications of the same entries, nothing else.
void BM_SignedAppend_Reference(benchmark::State& state) {
  RawVerifyLoop(state);
}
BENCHMARK(BM_SignedAppend_Reference)->MinTime(1.0)->UseRealTime();

// The same batches without the signature check.
void BM_Append(benchmark::State& state) {
  TempDir dir;
  Result<std::unique_ptr<ledger::LogStore>> log = NewLog(dir);
  if (!log.ok()) {
    state.SkipWithError(log.status().ToString().c_str());
    return;
  }
  const std::vector<std::string>& pool = SignedEntries();
  size_t next = 0;
  for (auto _ : state) {
    std::span<const std::string> batch(pool.data() + next, kBatch);
    next = (next + kBatch) % pool.size();
    if (Result<uint64_t> r = (*log)->AppendBatch(batch); !r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}
BENCHMARK(BM_Append)->MinTime(1.0)->UseRealTime();

// Reference: the same batches inserted into a bare SQLite table with the
// store's settings (WAL, synchronous=FULL, one transaction per batch): what
// SQLite alone costs, without hashing or tiles.
void BM_Append_Reference(benchmark::State& state) {
  TempDir dir;
  sqlite3* db = nullptr;
  std::string path = dir.File("bare.db");
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK ||
      sqlite3_exec(db,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                   "CREATE TABLE entries (idx INTEGER PRIMARY KEY, data BLOB "
                   "NOT NULL) STRICT;",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    state.SkipWithError(sqlite3_errmsg(db));
    sqlite3_close(db);
    return;
  }
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO entries(idx, data) VALUES (?1, ?2)", -1,
                     &ins, nullptr);
  const std::vector<std::string>& pool = SignedEntries();
  size_t next = 0;
  int64_t idx = 0;
  for (auto _ : state) {
    bool ok = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) ==
              SQLITE_OK;
    for (size_t i = 0; ok && i < kBatch; ++i) {
      const std::string& e = pool[next + i];
      sqlite3_bind_int64(ins, 1, idx++);
      sqlite3_bind_blob(ins, 2, e.data(), static_cast<int>(e.size()),
                        SQLITE_STATIC);
      ok = sqlite3_step(ins) == SQLITE_DONE;
      sqlite3_reset(ins);
    }
    ok = ok &&
         sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
    if (!ok) {
      state.SkipWithError(sqlite3_errmsg(db));
      break;
    }
    next = (next + kBatch) % pool.size();
  }
  sqlite3_finalize(ins);
  sqlite3_close(db);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}
BENCHMARK(BM_Append_Reference)->MinTime(1.0)->UseRealTime();

// --- Proofs on a 10,000,000-leaf log ---------------------------------------

// Entry i of the big log: its index (8 bytes, big-endian) and 24
// pseudo-random bytes derived from it.
std::string BigLogEntry(uint64_t i) {
  std::string e(kBigLogEntryBytes, '\0');
  for (size_t j = 0; j < 8; ++j) {
    e[j] = static_cast<char>(i >> (56 - 8 * j));
  }
  uint64_t x = i + kSeed;
  for (size_t j = 8; j < kBigLogEntryBytes; j += 8) {
    // splitmix64
    x += 0x9e3779b97f4a7c15;
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    z ^= z >> 31;
    std::memcpy(e.data() + j, &z, 8);
  }
  return e;
}

const crypto::SignerKey& BigLogKey() {
  static const crypto::SignerKey key =
      crypto::SignerKey::FromSeed(kBigLogOrigin, crypto::KeyType::kEd25519,
                                  PartySeed())
          .value();
  return key;
}

fs::path CacheDir() { return fs::path(DETENTE_BENCH_CACHE_DIR); }

// Named after everything that decides its content, so that a change to any
// of them builds a new file rather than reading an outdated one.
fs::path BigLogPath() {
  return CacheDir() / fmt::format("log-v{}-{}-leaves-{}B-seed{}.db",
                                  ledger::kLogSchemaVersion, kBigLogLeaves,
                                  kBigLogEntryBytes, kSeed);
}

void RemoveDb(const fs::path& db) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(db.string() + suffix, ec);
  }
}

// Appends the big log's entries to a new file at `path`, checks its root
// against a compact range folded independently, and records a checkpoint
// signed by BigLogKey() (so that Open checks the whole tree's root and has
// no tail to rehash).
Status BuildBigLog(const std::string& path) {
  DETENTE_ASSIGN_OR_RETURN(
      std::unique_ptr<ledger::LogStore> log,
      ledger::LogStore::Create(path, kBigLogOrigin,
                               BigLogKey().verifier().ToString()));
  ledger::CompactRange independent;
  std::vector<std::string> batch;
  auto start = std::chrono::steady_clock::now();
  for (uint64_t first = 0; first < kBigLogLeaves; first += kBigLogBuildBatch) {
    uint64_t end = std::min<uint64_t>(kBigLogLeaves, first + kBigLogBuildBatch);
    batch.clear();
    for (uint64_t i = first; i < end; ++i) {
      batch.push_back(BigLogEntry(i));
      independent.Append(ledger::HashLeaf(batch.back()));
    }
    DETENTE_RETURN_IF_ERROR(log->AppendBatch(batch).status());
    if ((end / kBigLogBuildBatch) % 16 == 0 || end == kBigLogLeaves) {
      double secs = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - start)
                        .count();
      std::fprintf(stderr, "log_benchmark: %llu leaves, %.0f s\n",
                   static_cast<unsigned long long>(end), secs);
    }
  }
  if (log->root() != independent.Root()) {
    return Status::Internal("the store's root is not the compact range's");
  }
  ledger::Checkpoint cp{kBigLogOrigin, kBigLogLeaves, log->root(), {}};
  DETENTE_ASSIGN_OR_RETURN(std::string note,
                           ledger::SignCheckpoint(cp, BigLogKey()));
  return log->SaveCheckpoint({kBigLogOrigin, kBigLogLeaves, cp.root, note});
}

// Builds the big log in a child process, so that what the build takes does
// not count in this process's peak memory, and renames it into place only
// once complete.
Status BuildBigLogInChild(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  fs::path tmp = path.string() + ".building";
  RemoveDb(tmp);
  std::fprintf(stderr,
               "log_benchmark: building a %llu-leaf log in %s (once; later "
               "runs reuse it)\n",
               static_cast<unsigned long long>(kBigLogLeaves),
               path.string().c_str());
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) return Status::Internal("fork failed");
  if (pid == 0) {
    Status s = BuildBigLog(tmp.string());
    if (!s.ok()) {
      std::fprintf(stderr, "log_benchmark: %s\n", s.ToString().c_str());
      _exit(1);
    }
    _exit(0);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    RemoveDb(tmp);
    return Status::Internal("building the big log failed");
  }
  fs::rename(tmp, path, ec);
  if (ec) return Status::IOError(ec.message());
  return Status::Ok();
}

struct BigLog {
  std::unique_ptr<ledger::LogStore> store;
  std::optional<ledger::MerkleTreeView> view;  // of the whole log, cached
  Hash root{};  // from the signed checkpoint, checked with the log's key
  double file_bytes = 0;
};

// Reads every stored row above the leaves once, top down: the row cache
// then holds what a long-running server's converges to (as much of the
// tree as LogStoreOptions::row_cache_bytes allows, from the top), so that
// the benchmarks measure the steady state rather than the first minutes.
Status WarmRowCache(ledger::LogStore& store) {
  const int stride = store.layout().row_stride;
  int top = 0;
  while (top + stride <= ledger::kMaxTreeLevel &&
         (kBigLogLeaves >> (top + stride)) > 0) {
    top += stride;
  }
  std::vector<Hash> row(ledger::kTileWidth);
  for (int level = top; level >= stride; level -= stride) {
    const uint64_t hashes = kBigLogLeaves >> level;
    for (uint64_t r = 0; r * ledger::kTileWidth < hashes; ++r) {
      const size_t width = static_cast<size_t>(std::min<uint64_t>(
          ledger::kTileWidth, hashes - r * ledger::kTileWidth));
      DETENTE_RETURN_IF_ERROR(
          store.ReadHashes(level, r, 0, std::span<Hash>(row.data(), width)));
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<ledger::LogStore>> OpenBigLogStore() {
  fs::path path = BigLogPath();
  if (fs::exists(path)) {
    std::string why;
    {
      Result<std::unique_ptr<ledger::LogStore>> log =
          ledger::LogStore::Open(path.string());
      if (log.ok() && (*log)->size() == kBigLogLeaves) return log;
      why = log.ok() ? "wrong size" : log.status().ToString();
    }
    std::fprintf(stderr, "log_benchmark: rebuilding %s (%s)\n",
                 path.string().c_str(), why.c_str());
    RemoveDb(path);
  }
  DETENTE_RETURN_IF_ERROR(BuildBigLogInChild(path));
  return ledger::LogStore::Open(path.string());
}

Result<std::unique_ptr<BigLog>> LoadBigLog() {
  auto big = std::make_unique<BigLog>();
  DETENTE_ASSIGN_OR_RETURN(big->store, OpenBigLogStore());
  ledger::LogStore& store = *big->store;
  DETENTE_ASSIGN_OR_RETURN(std::optional<ledger::StoredCheckpoint> cp,
                           store.LatestCheckpoint());
  if (!cp || cp->size != kBigLogLeaves) {
    return Status::Corruption("the big log has no checkpoint of its size");
  }
  DETENTE_ASSIGN_OR_RETURN(
      ledger::OpenedCheckpoint opened,
      ledger::OpenCheckpoint(cp->note, BigLogKey().verifier()));
  big->root = opened.checkpoint.root;
  DETENTE_ASSIGN_OR_RETURN(
      ledger::MerkleTreeView view,
      ledger::MerkleTreeView::OpenCached(&store, kBigLogLeaves, store.layout(),
                                         kViewCacheLevel));
  if (view.root() != big->root) {
    return Status::Corruption("the big log's root is not its checkpoint's");
  }
  big->view = std::move(view);
  DETENTE_RETURN_IF_ERROR(ReadFileOnce(BigLogPath()));
  DETENTE_RETURN_IF_ERROR(WarmRowCache(store));
  std::error_code ec;
  for (const char* suffix : {"", "-wal"}) {
    uintmax_t n = fs::file_size(BigLogPath().string() + suffix, ec);
    if (!ec) big->file_bytes += static_cast<double>(n);
  }
  return big;
}

// The big log, opened (and if need be built) on first use; null with
// `*error` set if that failed.
const BigLog* GetBigLog(std::string* error) {
  static Result<std::unique_ptr<BigLog>> big = LoadBigLog();
  if (!big.ok()) {
    *error = big.status().ToString();
    return nullptr;
  }
  return big->get();
}

// The reference: every row of the big log copied into a MemoryTileStore, and
// a view cached like the store's.
struct MemoryLog {
  ledger::MemoryTileStore tiles;
  std::optional<ledger::MerkleTreeView> view;
};

Result<std::unique_ptr<MemoryLog>> LoadMemoryLog(const BigLog& big) {
  auto mem = std::make_unique<MemoryLog>();
  const ledger::TileLayout& layout = big.store->layout();
  for (int level = 0; level <= ledger::kMaxTreeLevel;
       level += layout.row_stride) {
    uint64_t hashes = kBigLogLeaves >> level;
    if (hashes == 0) break;
    for (uint64_t r = 0; r * ledger::kTileWidth < hashes; ++r) {
      ledger::TileRow row;
      row.tree_level = level;
      row.index = r;
      row.hashes.resize(static_cast<size_t>(std::min<uint64_t>(
          ledger::kTileWidth, hashes - r * ledger::kTileWidth)));
      DETENTE_RETURN_IF_ERROR(
          big.store->ReadHashes(level, r, 0, std::span<Hash>(row.hashes)));
      DETENTE_RETURN_IF_ERROR(mem->tiles.Write(row));
    }
  }
  DETENTE_ASSIGN_OR_RETURN(
      ledger::MerkleTreeView view,
      ledger::MerkleTreeView::OpenCached(&mem->tiles, kBigLogLeaves, layout,
                                         kViewCacheLevel));
  mem->view = std::move(view);
  return mem;
}

const MemoryLog* GetMemoryLog(const BigLog& big, std::string* error) {
  static Result<std::unique_ptr<MemoryLog>> mem = LoadMemoryLog(big);
  if (!mem.ok()) {
    *error = mem.status().ToString();
    return nullptr;
  }
  return mem->get();
}

enum class ProofKind { kInclusion, kConsistency };

// The position a proof is asked for: a leaf index, or an old tree size in
// [1, size).
uint64_t NextPosition(std::mt19937_64& rng, ProofKind kind) {
  return kind == ProofKind::kInclusion ? rng() % kBigLogLeaves
                                       : 1 + rng() % (kBigLogLeaves - 1);
}

Result<std::vector<Hash>> Prove(const ledger::MerkleTreeView& view,
                                ProofKind kind, uint64_t position) {
  return kind == ProofKind::kInclusion ? view.InclusionProof(position)
                                       : view.ConsistencyProof(position);
}

// Verifies the first kProofsVerified proofs of the sequence thread 0 times:
// against the checkpoint's root and the recomputed entry for inclusion;
// against the view's root of the old size for consistency. When `same_as`
// is given, the proofs must also equal its proofs byte for byte.
Status CheckProofs(const ledger::MerkleTreeView& view, const Hash& root,
                   ProofKind kind,
                   const ledger::MerkleTreeView* same_as = nullptr) {
  std::mt19937_64 rng(kSeed);
  for (int k = 0; k < kProofsVerified; ++k) {
    uint64_t pos = NextPosition(rng, kind);
    DETENTE_ASSIGN_OR_RETURN(std::vector<Hash> proof, Prove(view, kind, pos));
    if (kind == ProofKind::kInclusion) {
      DETENTE_RETURN_IF_ERROR(ledger::VerifyInclusion(
          pos, kBigLogLeaves, ledger::HashLeaf(BigLogEntry(pos)), proof, root));
    } else {
      DETENTE_ASSIGN_OR_RETURN(Hash old_root, view.RootAt(pos));
      DETENTE_RETURN_IF_ERROR(
          ledger::VerifyConsistency(pos, kBigLogLeaves, proof, old_root, root));
    }
    if (same_as != nullptr) {
      DETENTE_ASSIGN_OR_RETURN(std::vector<Hash> other,
                               Prove(*same_as, kind, pos));
      if (other != proof) {
        return Status::Internal(
            fmt::format("the stores disagree on the proof at {}", pos));
      }
    }
  }
  return Status::Ok();
}

// Proofs at random positions (fixed seed per thread) until the benchmark
// stops.
void ProofLoop(benchmark::State& state, const ledger::MerkleTreeView& view,
               ProofKind kind) {
  std::mt19937_64 rng(kSeed + static_cast<uint64_t>(state.thread_index()));
  for (auto _ : state) {
    Result<std::vector<Hash>> proof =
        Prove(view, kind, NextPosition(rng, kind));
    if (!proof.ok()) {
      state.SkipWithError(proof.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(proof->data());
  }
  state.SetItemsProcessed(state.iterations());
}

// Proofs served by a LogStore on disk through a view cached from level 8.
void DiskProofs(benchmark::State& state, ProofKind kind) {
  std::string error;
  const BigLog* big = GetBigLog(&error);
  if (big == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  if (state.thread_index() == 0) {
    if (Status s = CheckProofs(*big->view, big->root, kind); !s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
  }
  ProofLoop(state, *big->view, kind);
  if (state.thread_index() == 0) {
    double leaves = static_cast<double>(kBigLogLeaves);
    state.counters["leaves"] = leaves;
    state.counters["leaf_bytes"] = static_cast<double>(kBigLogEntryBytes);
    state.counters["store_bytes_per_leaf"] = big->file_bytes / leaves;
    state.counters["overhead_bytes_per_leaf"] =
        big->file_bytes / leaves - static_cast<double>(kBigLogEntryBytes);
    state.counters["row_cache_MiB"] =
        static_cast<double>(big->store->CachedRowBytes()) / (1024.0 * 1024.0);
    state.counters["peak_rss_MiB"] = PeakRssMiB();
  }
}

// The same proofs of the same tree from memory.
void MemoryProofs(benchmark::State& state, ProofKind kind) {
  std::string error;
  const BigLog* big = GetBigLog(&error);
  const MemoryLog* mem = big ? GetMemoryLog(*big, &error) : nullptr;
  if (mem == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  if (state.thread_index() == 0) {
    Status s = CheckProofs(*mem->view, big->root, kind, &*big->view);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
  }
  ProofLoop(state, *mem->view, kind);
  if (state.thread_index() == 0) {
    state.counters["tiles_MiB"] =
        static_cast<double>(mem->tiles.TotalHashes() * ledger::kHashSize) /
        (1024.0 * 1024.0);
  }
}

void BM_InclusionProof(benchmark::State& state) {
  DiskProofs(state, ProofKind::kInclusion);
}
void BM_ConsistencyProof(benchmark::State& state) {
  DiskProofs(state, ProofKind::kConsistency);
}
void BM_InclusionProof_Reference(benchmark::State& state) {
  MemoryProofs(state, ProofKind::kInclusion);
}
void BM_ConsistencyProof_Reference(benchmark::State& state) {
  MemoryProofs(state, ProofKind::kConsistency);
}

// Disk first: their peak_rss_MiB is read before the in-memory copy exists.
// A second each: a short run on this 2-core machine measures mostly what
// else was running.
void ProofArgs(benchmark::internal::Benchmark* b) {
  b->Threads(1)->Threads(2)->UseRealTime()->MinTime(1.0);
}
BENCHMARK(BM_InclusionProof)->Apply(ProofArgs);
BENCHMARK(BM_ConsistencyProof)->Apply(ProofArgs);
BENCHMARK(BM_InclusionProof_Reference)->Apply(ProofArgs);
BENCHMARK(BM_ConsistencyProof_Reference)->Apply(ProofArgs);

}  // namespace
}  // namespace detente

DETENTE_BENCHMARK_MAIN();

// The regime fold and the compliance pass over a SYNTHETIC 10,000,000-
// notification New START-shaped history (issue 4, section 7), each figure
// beside its reference measured in the same run (bench/README.md):
//
//   BM_Fold            notifications folded per second (pass 2 of
//                      regime::LogFold::ReplayRecords: read, leaf-hash
//                      check, decode in place, apply, aggregates read
//                      after every step)
//   BM_Fold_Reference  the same entries read, checked and decoded in place
//                      (ParseEntryView), not folded
//   BM_CompliancePass  compliance::Check over both logs, end to end, in a
//                      child process: wall time and the child's peak RSS;
//                      its reference is the decoding rate again (the same
//                      measurement, reported under both names)
//   BM_VerifyEntries   per-entry Ed25519 signature checks
//                      (notification::VerifySignature), which the
//                      benchmarked pass leaves to the signed checkpoint;
//                      reference: raw libsodium verifies of the same bytes
//
// The history is generated once (deterministic seed) into
// DETENTE_BENCH_CACHE_DIR/regime-SYNTHETIC-.../ as two real SQLite logs
// (us.db, ru.db) of entries signed with real Ed25519 keys derived from fixed
// seeds, each log with a signed checkpoint over all of it; later runs reuse
// it. SYNTHETIC.txt in that directory says what it contains.
#include <benchmark/benchmark.h>
#include <sodium.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <queue>
#include <random>
#include <thread>

#include "bench/page_cache.h"
#include "bench/ratio_reporter.h"
#include "detente/compliance/checker.h"
#include "detente/crypto/encoding.h"
#include "detente/crypto/keys.h"
#include "detente/ledger/checkpoint.h"
#include "detente/ledger/log_store.h"
#include "detente/notification/notification.h"
#include "detente/notification/record_view.h"
#include "detente/regime/log_fold.h"
#include "detente/treaty/loader.h"
#include "fmt/format.h"

namespace detente {
namespace {

namespace fs = std::filesystem;
using notification::Notification;
using notification::Value;

// Both parties together. A smaller history (-DDETENTE_REGIME_BENCH_SIZE=N)
// is for trying the generator out; figures are quoted at 10,000,000.
#ifndef DETENTE_REGIME_BENCH_SIZE
#define DETENTE_REGIME_BENCH_SIZE 10'000'000
#endif
constexpr uint64_t kNotifications = DETENTE_REGIME_BENCH_SIZE;
constexpr uint64_t kPerParty = kNotifications / 2;
constexpr uint64_t kSeed = 20110205;
// Bump when the generator changes, so that an old history is not reused.
constexpr int kGeneratorVersion = 1;
constexpr size_t kAppendBatch = 32768;
constexpr uint64_t kVerifySample = std::min<uint64_t>(100'000, kPerParty);

const treaty::Spec& Spec() {
  static const treaty::Spec s = *treaty::LoadSpecFile(
      std::string(DETENTE_SOURCE_DIR) + "/data/treaties/new-start.toml");
  return s;
}

struct PartyInfo {
  const char* code;
  const char* origin;
  uint8_t seed_byte;
};
constexpr PartyInfo kParties[] = {
    {"US", "us.synthetic.bench/nst", 0x51},
    {"RU", "ru.synthetic.bench/nst", 0x52},
};

crypto::SignerKey PartyKey(const PartyInfo& p) {
  crypto::Ed25519Seed seed{};
  seed.fill(p.seed_byte);
  return crypto::SignerKey::FromSeed(p.origin, crypto::KeyType::kEd25519, seed)
      .value();
}

fs::path HistoryDir() {
  return fs::path(DETENTE_BENCH_CACHE_DIR) /
         fmt::format("regime-SYNTHETIC-v{}-{}-notifications-seed{}",
                     kGeneratorVersion, kNotifications, kSeed);
}
fs::path LogPath(const PartyInfo& p) {
  return HistoryDir() /
         fmt::format("{}.db", p.code == std::string("US") ? "us" : "ru");
}

double PeakRssMiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // KiB
}

// CPU seconds (user + system) this process has used, all its threads.
double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto s = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return s(ru.ru_utime) + s(ru.ru_stime);
}

// ---------------------------------------------------------------------------
// The SYNTHETIC history of one party.
//
// A New START-shaped force of 1,480 items (450 ICBMs, 450 ICBM launchers,
// 240 SLBMs, 280 SLBM launchers, 60 heavy bombers), declared on
// 2011-02-05 and then changed, one notification every ~95 s of event time
// until 2026-02-01: missiles deployed and withdrawn, reentry vehicles
// changed, items moved between facilities, items eliminated and new ones
// declared, diplomatic notes, and the six-monthly database update as of
// every period end (its event time the period end, sent 20 days later, so
// that each log is not in event-time order). The generator keeps the
// three central limits met at every step and every notification within its
// deadline, except one status change per party sent ten days late: the
// pass finds exactly two late-notification findings.
enum Cat { kIcbm, kIcbmLauncher, kSlbm, kSlbmLauncher, kBomber, kCats };
constexpr const char* kCatNames[] = {"icbm", "icbm_launcher", "slbm",
                                     "slbm_launcher", "heavy_bomber"};
constexpr const char* kTypes[] = {"SYN-ICBM", "SYN-ICBM-L", "SYN-SLBM",
                                  "SYN-SLBM-L", "SYN-HB"};
constexpr int kMaxWarheads[] = {3, 0, 8, 0, 0};

struct ModelItem {
  std::string id;
  Cat cat;
  bool deployed;
  int facility;
  int64_t warheads;
};

class PartyGenerator {
 public:
  PartyGenerator(const PartyInfo& party, uint64_t seed)
      : party_(party), rng_(seed) {
    for (size_t f = 0; f < facilities_.size(); ++f) {
      facilities_[f] = fmt::format("{} SYNTHETIC base {}", party_.code, f);
    }
  }

  // Calls emit(n) for every notification, in the order the party sends
  // them (the log order); sequence numbers are assigned here.
  Status Run(const std::function<Status(Notification&&)>& emit) {
    emit_ = &emit;
    const Instant start = *Instant::Parse("2011-02-05T00:00:00Z");
    const Instant stop = *Instant::Parse("2026-02-01T00:00:00Z");
    for (int c = 0; c < kCats; ++c) {
      if (kMaxWarheads[c] > 0) {
        Queue(Make("NST-TYPE-NEW", start, start,
                   {{"type", Value::Str(kTypes[c])},
                    {"category", Value::Str(kCatNames[c])},
                    {"max_warheads", Value::Int(kMaxWarheads[c])}}));
      }
    }
    InitialForce();
    Queue(Declaration("NST-DB-INIT", start, start));
    const uint64_t fixed = kPerParty - 1 - static_cast<uint64_t>(NumTypes()) -
                           static_cast<uint64_t>(NumUpdates());
    const double step =
        static_cast<double>(stop.unix_seconds() - start.unix_seconds()) /
        static_cast<double>(fixed + 1);
    int period = 0;
    Instant next_update = PeriodEnd(period);
    for (uint64_t k = 1; k <= fixed; ++k) {
      Instant t =
          start.AddSeconds(static_cast<int64_t>(step * static_cast<double>(k)));
      while (next_update <= t) {
        Queue(
            Declaration("NST-DB-UPDATE", next_update, next_update.AddDays(20)));
        next_update = PeriodEnd(++period);
      }
      DETENTE_RETURN_IF_ERROR(Flush(t));
      Queue(Step(t, k == fixed / 2));
    }
    if (next_update < stop) {
      return Status::Internal("the history ends before its last update");
    }
    return Flush(stop.AddDays(365));
  }

  static int NumTypes() {
    int n = 0;
    for (int c = 0; c < kCats; ++c) n += kMaxWarheads[c] > 0 ? 1 : 0;
    return n;
  }
  // Period ends (as_of) from 2011-09-01 to 2025-09-01.
  static int NumUpdates() {
    int n = 0;
    while (PeriodEnd(n) < *Instant::Parse("2026-02-05T00:00:00Z")) ++n;
    return n;
  }

 private:
  static Instant PeriodEnd(int k) {
    const auto& x = *Spec().data_exchange;
    return Instant::StartOf(
        NthPeriod(x.first_period_start, x.period_months, k).range.end);
  }

  Notification Make(std::string type, Instant event, Instant sent,
                    Value::Map body) {
    Notification n;
    n.treaty = Spec().id;
    n.sender = party_.code;
    n.type = std::move(type);
    n.event_time = event;
    n.sent_time = sent;
    n.body = Value::OfMap(std::move(body));
    return n;
  }

  void Queue(Notification n) {
    heap_.push({n.sent_time.unix_seconds(), counter_++, std::move(n)});
  }

  // Sends everything whose sent time is before `t`.
  Status Flush(Instant t) {
    while (!heap_.empty() && heap_.top().sent < t.unix_seconds()) {
      Notification n = std::move(const_cast<Pending&>(heap_.top()).n);
      heap_.pop();
      n.sequence = ++sequence_;
      DETENTE_RETURN_IF_ERROR((*emit_)(std::move(n)));
    }
    return Status::Ok();
  }

  void Add(Cat c, bool deployed, int64_t warheads) {
    ModelItem it{fmt::format("{}-{}-{:07}", party_.code, kTypes[c], next_id_++),
                 c, deployed, static_cast<int>(rng_() % 6), warheads};
    Count(it, +1);
    live_.push_back(std::move(it));
  }

  void InitialForce() {
    for (int i = 0; i < 450; ++i) Add(kIcbm, i < 400, 1);
    for (int i = 0; i < 450; ++i) Add(kIcbmLauncher, i < 400, 0);
    for (int i = 0; i < 240; ++i) Add(kSlbm, i < 220, 4);
    for (int i = 0; i < 280; ++i) Add(kSlbmLauncher, i < 220, 0);
    for (int i = 0; i < 60; ++i) Add(kBomber, i < 50, 0);
  }

  // The three central limits, counted independently of registry/.
  void Count(const ModelItem& it, int sign) {
    const bool missile = it.cat == kIcbm || it.cat == kSlbm;
    if (it.deployed && (missile || it.cat == kBomber)) {
      delivery_ += sign;
      warheads_ += sign * (missile ? it.warheads : 1);
    }
    if (!missile) launchers_ += sign;
  }
  bool WithinLimits() const {
    return delivery_ <= 700 && warheads_ <= 1550 && launchers_ <= 800;
  }

  Value ItemRecord(const ModelItem& it) const {
    Value::Map m = {{"id", Value::Str(it.id)},
                    {"party", Value::Str(party_.code)},
                    {"category", Value::Str(kCatNames[it.cat])},
                    {"status", Value::Str(StatusOf(it))},
                    {"type", Value::Str(kTypes[it.cat])},
                    {"facility", Value::Str(Facility(it.facility))}};
    if (kMaxWarheads[it.cat] > 0) m["warheads"] = Value::Int(it.warheads);
    return Value::OfMap(std::move(m));
  }
  static const char* StatusOf(const ModelItem& it) {
    return it.deployed ? "deployed" : "non_deployed";
  }
  const std::string& Facility(int f) const {
    return facilities_[static_cast<size_t>(f)];
  }

  Notification Declaration(const char* type, Instant event, Instant sent) {
    Value::List items;
    items.reserve(live_.size());
    for (const ModelItem& it : live_) items.push_back(ItemRecord(it));
    Value::Map totals = {
        {"deployed_delivery_vehicles", Value::Int(delivery_)},
        {"deployed_warheads", Value::Int(warheads_)},
        {"deployed_and_nondeployed_launchers", Value::Int(launchers_)}};
    return Make(type, event, sent,
                {{"as_of", Value::Str(event.date().ToString())},
                 {"items", Value::OfList(std::move(items))},
                 {"totals", Value::OfMap(std::move(totals))}});
  }

  // One change at event time t, sent within two days (ten days when
  // `late`).
  Notification Step(Instant t, bool late) {
    const Instant sent =
        t.AddSeconds(late ? 10 * 86400 : static_cast<int64_t>(rng_() % 172800));
    const std::string occurred = t.date().ToString();
    for (;;) {
      ModelItem& it = live_[rng_() % live_.size()];
      const bool missile = it.cat == kIcbm || it.cat == kSlbm;
      const uint64_t roll = rng_() % 100;
      if (roll < 30 || late) {
        // Deploy or withdraw, when the limits allow it.
        if (it.cat == kBomber || missile) {
          Count(it, -1);
          it.deployed = !it.deployed;
          Count(it, +1);
          if (!WithinLimits()) {
            Count(it, -1);
            it.deployed = !it.deployed;
            Count(it, +1);
            continue;
          }
          return Make("NST-STATUS-CHANGE", t, sent,
                      {{"item", Value::Str(it.id)},
                       {"category", Value::Str(kCatNames[it.cat])},
                       {"from_status",
                        Value::Str(it.deployed ? "non_deployed" : "deployed")},
                       {"to_status", Value::Str(StatusOf(it))},
                       {"occurred", Value::Str(occurred)}});
        }
      } else if (roll < 50) {
        if (missile && it.deployed) {
          const int64_t from = it.warheads;
          const int64_t to = from <= 1 ? from + 1
                             : from >= kMaxWarheads[it.cat]
                                 ? from - 1
                                 : from + (rng_() % 2 ? 1 : -1);
          if (warheads_ + (to - from) > 1550) continue;
          Count(it, -1);
          it.warheads = to;
          Count(it, +1);
          return Make("NST-RV-CHANGE", t, sent,
                      {{"item", Value::Str(it.id)},
                       {"category", Value::Str(kCatNames[it.cat])},
                       {"from_warheads", Value::Int(from)},
                       {"to_warheads", Value::Int(to)},
                       {"occurred", Value::Str(occurred)}});
        }
      } else if (roll < 75) {
        const int from = it.facility;
        it.facility = (from + 1 + static_cast<int>(rng_() % 5)) % 6;
        return Make("NST-ITEM-MOVE", t, sent,
                    {{"item", Value::Str(it.id)},
                     {"category", Value::Str(kCatNames[it.cat])},
                     {"from_facility", Value::Str(Facility(from))},
                     {"to_facility", Value::Str(Facility(it.facility))},
                     {"departed", Value::Str(t.ToString())}});
      } else if (roll < 80) {
        // Eliminate a non-deployed item; a new one replaces it later.
        if (!it.deployed) {
          Notification n =
              Make("NST-ITEM-ELIM", t, sent,
                   {{"item", Value::Str(it.id)},
                    {"category", Value::Str(kCatNames[it.cat])},
                    {"facility", Value::Str(Facility(it.facility))},
                    {"completed", Value::Str(occurred)}});
          Count(it, -1);
          replace_.push_back(it.cat);
          it = std::move(live_.back());
          live_.pop_back();
          return n;
        }
      } else if (roll < 85) {
        if (!replace_.empty()) {
          const Cat c = replace_.front();
          replace_.pop_front();
          Add(c, false, kMaxWarheads[c] > 0 ? 1 : 0);
          const ModelItem& fresh = live_.back();
          Value::Map body = {
              {"item", Value::Str(fresh.id)},
              {"category", Value::Str(kCatNames[c])},
              {"type", Value::Str(kTypes[c])},
              {"status", Value::Str("non_deployed")},
              {"facility", Value::Str(Facility(fresh.facility))}};
          if (kMaxWarheads[c] > 0) body["warheads"] = Value::Int(1);
          return Make("NST-ITEM-NEW", t, sent, std::move(body));
        }
      } else {
        return Make("NST-DIP-NOTE", t, sent,
                    {{"subject", Value::Str("SYNTHETIC routine note")},
                     {"text", Value::Str(fmt::format("note {}", counter_))}});
      }
    }
  }

  struct Pending {
    int64_t sent;
    uint64_t order;
    Notification n;
    bool operator<(const Pending& o) const {
      // std::priority_queue is a max-heap: earliest sent on top.
      return sent != o.sent ? sent > o.sent : order > o.order;
    }
  };

  const PartyInfo& party_;
  std::mt19937_64 rng_;
  std::array<std::string, 6> facilities_;  // by facility number
  const std::function<Status(Notification&&)>* emit_ = nullptr;
  std::priority_queue<Pending> heap_;
  uint64_t counter_ = 0;
  uint64_t sequence_ = 0;
  uint64_t next_id_ = 0;
  std::vector<ModelItem> live_;
  std::deque<Cat> replace_;
  int64_t delivery_ = 0, warheads_ = 0, launchers_ = 0;
};

// Signs `notes` into log entries (each party's log is written on its own
// thread, so the two cores sign one party each). The entry is the one
// notification::Sign(n, key).Entry() gives — the canonical record and its
// signature over kSignatureContext || record — built without copying the
// notification into a SignedNotification; nothing is verified (the keys
// are ours). `entries` keeps its strings' buffers from batch to batch.
void SignAll(const std::vector<Notification>& notes,
             const crypto::SignerKey& key, std::vector<std::string>& entries) {
  entries.resize(notes.size());
  std::string message(notification::kSignatureContext);
  const size_t context = message.size();
  for (size_t i = 0; i < notes.size(); ++i) {
    std::string& e = entries[i];
    e = notification::CanonicalBytes(notes[i]);
    message.resize(context);
    message += e;
    e.append(crypto::AsString(key.key_pair().Sign(crypto::AsBytes(message))));
  }
}

Status WriteParty(const PartyInfo& p, const fs::path& path, uint64_t seed) {
  const crypto::SignerKey key = PartyKey(p);
  DETENTE_ASSIGN_OR_RETURN(std::unique_ptr<ledger::LogStore> log,
                           ledger::LogStore::Create(path.string(), p.origin,
                                                    key.verifier().ToString()));
  std::vector<Notification> batch;
  std::vector<std::string> entries;
  auto start = std::chrono::steady_clock::now();
  auto write = [&]() -> Status {
    SignAll(batch, key, entries);
    batch.clear();
    DETENTE_RETURN_IF_ERROR(log->AppendBatch(entries).status());
    if (log->size() % (kAppendBatch * 16) < kAppendBatch) {
      std::fprintf(stderr, "regime_benchmark: %s %llu entries, %.0f s\n",
                   p.code, static_cast<unsigned long long>(log->size()),
                   std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count());
    }
    return Status::Ok();
  };
  PartyGenerator gen(p, seed);
  DETENTE_RETURN_IF_ERROR(gen.Run([&](Notification&& n) -> Status {
    batch.push_back(std::move(n));
    return batch.size() == kAppendBatch ? write() : Status::Ok();
  }));
  if (!batch.empty()) DETENTE_RETURN_IF_ERROR(write());
  if (log->size() != kPerParty) {
    return Status::Internal(
        fmt::format("{} notifications, not {}", log->size(), kPerParty));
  }
  ledger::Checkpoint cp{p.origin, log->size(), log->root(), {}};
  DETENTE_ASSIGN_OR_RETURN(std::string note, ledger::SignCheckpoint(cp, key));
  return log->SaveCheckpoint({p.origin, cp.size, cp.root, note});
}

// Generates the history in a child process (its memory does not count in
// this one's peak) into a temporary directory renamed into place once
// complete.
Status EnsureHistory() {
  const fs::path dir = HistoryDir();
  if (fs::exists(dir / "COMPLETE")) return Status::Ok();
  const fs::path tmp = dir.string() + ".building";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) return Status::IOError(ec.message());
  std::fprintf(stderr,
               "regime_benchmark: generating the SYNTHETIC %llu-notification "
               "history in %s (once; later runs reuse it)\n",
               static_cast<unsigned long long>(kNotifications), dir.c_str());
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) return Status::Internal("fork failed");
  if (pid == 0) {
    // One thread per party (the machine has two cores): each party's log
    // is generated, signed and appended independently, from its own seed,
    // so the history is the same whatever the interleaving.
    std::vector<Status> results(std::size(kParties));
    std::vector<std::thread> threads;
    for (size_t k = 0; k < std::size(kParties); ++k) {
      threads.emplace_back([&, k] {
        const PartyInfo& p = kParties[k];
        results[k] = WriteParty(p, tmp / LogPath(p).filename(), kSeed + k);
      });
    }
    for (std::thread& t : threads) t.join();
    for (const Status& s : results) {
      if (!s.ok()) {
        std::fprintf(stderr, "regime_benchmark: %s\n", s.ToString().c_str());
        _exit(1);
      }
    }
    std::ofstream readme(tmp / "SYNTHETIC.txt");
    readme << "SYNTHETIC benchmark input, not data about any real force.\n"
           << "Generated by bench/regime_benchmark.cc (generator version "
           << kGeneratorVersion << ", seed " << kSeed << "): " << kNotifications
           << " New START notifications, " << kPerParty
           << " per party (US, RU), on two detente logs (us.db, ru.db).\n"
           << "Each entry is a DTN1 record signed with an Ed25519 key derived "
              "from a fixed seed (origins us.synthetic.bench/nst and "
              "ru.synthetic.bench/nst); each log has a checkpoint signed by "
              "its key over all of its entries.\n"
           << "Content: 1,480 declared items per party, status changes, "
              "reentry-vehicle changes, moves, eliminations and new items, "
              "notes, the six-monthly update as of every period end (sent "
              "20 days later); limits met throughout; one late status "
              "change per party.\n";
    readme.close();
    std::ofstream(tmp / "COMPLETE") << "ok\n";
    _exit(0);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    return Status::Internal("generating the history failed");
  }
  fs::remove_all(dir, ec);
  fs::rename(tmp, dir, ec);
  if (ec) return Status::IOError(ec.message());
  return Status::Ok();
}

struct Logs {
  std::vector<std::unique_ptr<ledger::LogStore>> stores;
  std::vector<regime::LogSource> sources;
};

// `count_entries`: LogStoreOptions::count_entries_on_open. The compliance
// pass reads every entry (a missing one is Corruption there), so it opens
// the logs without counting them.
Result<Logs> OpenLogs(bool count_entries = true) {
  DETENTE_RETURN_IF_ERROR(EnsureHistory());
  Logs l;
  ledger::LogStoreOptions options;
  options.count_entries_on_open = count_entries;
  for (const PartyInfo& p : kParties) {
    DETENTE_ASSIGN_OR_RETURN(
        std::unique_ptr<ledger::LogStore> s,
        ledger::LogStore::Open(LogPath(p).string(), options));
    l.sources.push_back({p.code, s.get(), PartyKey(p).verifier(), 0});
    l.stores.push_back(std::move(s));
  }
  return l;
}

bool Fail(benchmark::State& state, const Status& s) {
  state.SkipWithError(s.ToString().c_str());
  return false;
}

// ---------------------------------------------------------------------------

// The decoding reference: every entry of both logs read (ScanEntries, with
// the leaf-hash check) and decoded as the fold decodes it (ParseEntryView:
// the whole record checked, the envelope read), nothing applied. Measured
// once; reported as the reference of both the fold and the compliance
// pass.
double decode_rate = 0;

void BM_LogFold_Reference(benchmark::State& state) {
  Result<Logs> logs = OpenLogs();
  if (!logs.ok()) {
    Fail(state, logs.status());
    return;
  }
  uint64_t decoded = 0;
  for (auto _ : state) {
    decoded = 0;
    auto start = std::chrono::steady_clock::now();
    for (const regime::LogSource& src : logs->sources) {
      Status s = src.log->ScanEntries(
          0, src.log->size(), [&](uint64_t, std::string_view e) -> Status {
            Result<notification::RecordView> n =
                notification::ParseEntryView(e);
            if (!n.ok()) return n.status();
            benchmark::DoNotOptimize(n->sequence);
            ++decoded;
            return Status::Ok();
          });
      if (!s.ok()) {
        Fail(state, s);
        return;
      }
    }
    double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    state.SetIterationTime(secs);
    decode_rate = static_cast<double>(decoded) / secs;
  }
  state.SetItemsProcessed(static_cast<int64_t>(decoded) * state.iterations());
}

void BM_LogFold(benchmark::State& state) {
  Result<Logs> logs = OpenLogs();
  if (!logs.ok()) {
    Fail(state, logs.status());
    return;
  }
  regime::LogFoldOptions options;
  options.read.authentication = regime::EntryAuthentication::kSignedCheckpoint;
  const Instant until = *Instant::Parse("2026-02-05T00:00:00Z");
  uint64_t folded = 0;
  double index_mib = 0, read_s = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    Result<std::unique_ptr<regime::LogFold>> fold =
        regime::LogFold::Read(Spec(), logs->sources, options);
    if (!fold.ok()) {
      Fail(state, fold.status());
      return;
    }
    auto t1 = std::chrono::steady_clock::now();
    read_s = std::chrono::duration<double>(t1 - t0).count();
    index_mib = static_cast<double>((*fold)->index_bytes()) / (1 << 20);
    // Timed: pass 2, the fold itself. Every step reads the sender's three
    // aggregates, as the compliance pass's limit rule does.
    folded = 0;
    int64_t sum = 0;
    const size_t limits = Spec().limits.size();
    Result<regime::State> end = (*fold)->ReplayRecords(
        until, [&](const regime::State& s, const notification::RecordView&,
                   const regime::EntryRef&) {
          ++folded;
          for (size_t l = 0; l < limits; ++l) sum += *s.Aggregate(l, 0);
          return true;
        });
    auto t2 = std::chrono::steady_clock::now();
    if (!end.ok()) {
      Fail(state, end.status());
      return;
    }
    if (!end->irregularities.empty()) {
      Fail(state,
           Status::Internal(fmt::format("the history should fold cleanly: {}",
                                        end->irregularities[0].text)));
      return;
    }
    benchmark::DoNotOptimize(sum);
    state.SetIterationTime(std::chrono::duration<double>(t2 - t1).count());
  }
  state.SetItemsProcessed(static_cast<int64_t>(folded) * state.iterations());
  state.counters["pass1_read_s"] = read_s;
  state.counters["index_MiB"] = index_mib;
}

struct ChildReport {
  double seconds = 0;
  double cpu_seconds = 0;
  double peak_rss_mib = 0;
  uint64_t findings = 0;
  uint64_t notifications = 0;
  int ok = 0;
};

// The whole compliance pass over both logs, in a child process so that its
// peak RSS is its own: opening the logs, reading and authenticating every
// entry (by the signed checkpoints), deadlines, the fold with every rule,
// evidence for the findings.
void BM_CompliancePass(benchmark::State& state) {
  if (Status s = EnsureHistory(); !s.ok()) {
    Fail(state, s);
    return;
  }
  // The logs read once, untimed: the pass is measured on files in the page
  // cache (4.6 GB; the machine has room for them), not on whatever share
  // of them the runs before it left there.
  for (const PartyInfo& p : kParties) {
    if (Status s = ReadFileOnce(LogPath(p)); !s.ok()) {
      Fail(state, s);
      return;
    }
  }
  ChildReport report;
  for (auto _ : state) {
    int fds[2];
    if (pipe(fds) != 0) {
      Fail(state, Status::Internal("pipe failed"));
      return;
    }
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      ChildReport r;
      auto start = std::chrono::steady_clock::now();
      const double cpu_start = CpuSeconds();
      Result<Logs> logs = OpenLogs(/*count_entries=*/false);
      if (logs.ok()) {
        std::vector<compliance::PartyLogInput> in;
        for (const regime::LogSource& s : logs->sources) {
          in.push_back({s.party, s.log, s.key});
        }
        compliance::CheckOptions o;
        o.until = *Instant::Parse("2026-02-05T00:00:00Z");
        o.authentication = regime::EntryAuthentication::kSignedCheckpoint;
        Result<compliance::ComplianceResult> res =
            compliance::Check(Spec(), in, o);
        // Timed up to the findings in hand: freeing the final state (the
        // 10M-step channel and items) is the process's exit, not the pass.
        r.seconds = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - start)
                        .count();
        r.cpu_seconds = CpuSeconds() - cpu_start;
        r.peak_rss_mib = PeakRssMiB();
        if (res.ok()) {
          r.ok = 1;
          r.findings = res->findings.size();
          r.notifications = res->state.applied;
        } else {
          std::fprintf(stderr, "regime_benchmark: %s\n",
                       res.status().ToString().c_str());
        }
        ssize_t w = write(fds[1], &r, sizeof r);
        _exit(w == sizeof r ? 0 : 1);
      }
      std::fprintf(stderr, "regime_benchmark: %s\n",
                   logs.status().ToString().c_str());
      _exit(1);  // no report: the parent fails the benchmark
    }
    close(fds[1]);
    ssize_t got = read(fds[0], &report, sizeof report);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (got != sizeof report || !report.ok) {
      Fail(state, Status::Internal("the compliance pass failed"));
      return;
    }
    state.SetIterationTime(report.seconds);
  }
  state.SetItemsProcessed(static_cast<int64_t>(report.notifications) *
                          state.iterations());
  state.counters["seconds"] = report.seconds;
  state.counters["cpu_s"] = report.cpu_seconds;
  state.counters["peak_rss_MiB"] = report.peak_rss_mib;
  state.counters["findings"] = static_cast<double>(report.findings);
}

// Reported as the compliance pass's reference: the decoding rate measured
// by BM_LogFold_Reference in this run (registered after it).
void BM_CompliancePass_Reference(benchmark::State& state) {
  for (auto _ : state) state.SetIterationTime(1.0);
  state.SetItemsProcessed(static_cast<int64_t>(decode_rate) *
                          state.iterations());
  state.SetLabel("= BM_LogFold_Reference's rate, this run");
}

// Per-entry signatures, which the benchmarked pass leaves to the signed
// checkpoints: what checking each one would cost (ParseEntry and
// notification::VerifySignature over the first kVerifySample entries of
// the US log; the projected seconds for all 10M is a counter).
struct Sample {
  std::vector<std::string> entries;
};
const Sample& VerifySample() {
  static const Sample s = [] {
    Sample out;
    Result<Logs> logs = OpenLogs();
    if (!logs.ok()) return out;
    (void)logs->sources[0].log->ScanEntries(0, kVerifySample,
                                            [&](uint64_t, std::string_view e) {
                                              out.entries.emplace_back(e);
                                              return Status::Ok();
                                            });
    return out;
  }();
  return s;
}

void BM_VerifyEntries(benchmark::State& state) {
  const Sample& s = VerifySample();
  if (s.entries.empty()) {
    Fail(state, Status::Internal("no sample"));
    return;
  }
  const crypto::VerifierKey key = PartyKey(kParties[0]).verifier();
  size_t i = 0;
  for (auto _ : state) {
    Result<notification::SignedNotification> sn =
        notification::ParseEntry(s.entries[i]);
    if (!sn.ok() || !notification::VerifySignature(*sn, key).ok()) {
      Fail(state, Status::Internal("a signature does not verify"));
      return;
    }
    i = (i + 1) % s.entries.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_VerifyEntries_Reference(benchmark::State& state) {
  const Sample& s = VerifySample();
  if (s.entries.empty()) {
    Fail(state, Status::Internal("no sample"));
    return;
  }
  const crypto::VerifierKey key = PartyKey(kParties[0]).verifier();
  // The signed message, built outside the timing: context || record.
  std::vector<std::string> messages;
  for (const std::string& e : s.entries) {
    messages.push_back(std::string(notification::kSignatureContext) +
                       e.substr(0, e.size() - crypto::kEd25519SignatureSize));
  }
  size_t i = 0;
  for (auto _ : state) {
    const std::string& e = s.entries[i];
    const std::string& m = messages[i];
    int rc = crypto_sign_verify_detached(
        reinterpret_cast<const unsigned char*>(e.data()) + e.size() -
            crypto::kEd25519SignatureSize,
        reinterpret_cast<const unsigned char*>(m.data()), m.size(),
        key.public_key().data());
    if (rc != 0) {
      Fail(state, Status::Internal("libsodium refuses a signature"));
      return;
    }
    i = (i + 1) % s.entries.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// ---------------------------------------------------------------------------
// The fold itself, single-threaded, on the 10M entries held in memory in
// fold order (read from the logs once, untimed, each checked against its
// leaf hash as it is read): decode (ParseEntryView) and apply
// (regime::Applier on the RecordView), the sender's aggregates read after
// every step. Its reference decodes the same entries in the same order
// and applies nothing.
struct InMemory {
  // Entries back to back in blocks that never move (no doubling of a 3 GB
  // buffer as it grows).
  std::vector<std::unique_ptr<std::string>> blocks;
  std::vector<std::string_view> entries;  // [k]: entry k, in a block
  std::vector<uint32_t> order;            // fold order: indices k
  std::vector<uint8_t> party;             // [k]: its log, index in kParties
  std::vector<uint64_t> log_index;        // [k]: its index in that log
  size_t bytes = 0;
  Status status;

  void Add(std::string_view e) {
    constexpr size_t kBlock = size_t{64} << 20;
    if (blocks.empty() ||
        blocks.back()->size() + e.size() > blocks.back()->capacity()) {
      blocks.push_back(std::make_unique<std::string>());
      blocks.back()->reserve(std::max(kBlock, e.size()));
    }
    std::string& b = *blocks.back();
    const size_t at = b.size();
    b.append(e);
    entries.push_back(std::string_view(b.data() + at, e.size()));
    bytes += e.size();
  }
};

InMemory* LoadInMemory() {
  auto* m = new InMemory;
  Result<Logs> logs = OpenLogs();
  if (!logs.ok()) {
    m->status = logs.status();
    return m;
  }
  struct Key {
    int64_t t;
    uint8_t rank;  // parties in bytewise code order: the fold's tie-break
    uint64_t index;
    uint32_t k;
  };
  std::vector<Key> keys;
  keys.reserve(kNotifications);
  m->entries.reserve(kNotifications);
  for (size_t p = 0; p < logs->sources.size(); ++p) {
    const regime::LogSource& src = logs->sources[p];
    const uint8_t rank = src.party == "RU" ? 0 : 1;
    Status st = src.log->ScanEntries(
        0, src.log->size(), [&](uint64_t i, std::string_view e) -> Status {
          DETENTE_ASSIGN_OR_RETURN(notification::RecordView r,
                                   notification::ParseEntryView(e));
          keys.push_back({r.event_time.unix_seconds(), rank, i,
                          static_cast<uint32_t>(m->party.size())});
          m->Add(e);
          m->party.push_back(static_cast<uint8_t>(p));
          m->log_index.push_back(i);
          return Status::Ok();
        });
    if (!st.ok()) {
      m->status = st;
      return m;
    }
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.t != b.t) return a.t < b.t;
    if (a.rank != b.rank) return a.rank < b.rank;
    return a.index < b.index;
  });
  m->order.reserve(keys.size());
  for (const Key& k : keys) m->order.push_back(k.k);
  return m;
}

const InMemory& Entries() {
  static const InMemory* m = LoadInMemory();
  return *m;
}

std::string_view EntryAt(const InMemory& m, uint32_t k) { return m.entries[k]; }

void BM_Fold_Reference(benchmark::State& state) {
  const InMemory& m = Entries();
  if (!m.status.ok()) {
    Fail(state, m.status);
    return;
  }
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    for (uint32_t k : m.order) {
      Result<notification::RecordView> r =
          notification::ParseEntryView(EntryAt(m, k));
      if (!r.ok()) {
        Fail(state, r.status());
        return;
      }
      benchmark::DoNotOptimize(r->sequence);
    }
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
  }
  state.SetItemsProcessed(static_cast<int64_t>(m.order.size()) *
                          state.iterations());
  state.counters["entries_MiB"] = static_cast<double>(m.bytes) / (1 << 20);
}

void BM_Fold(benchmark::State& state) {
  const InMemory& m = Entries();
  if (!m.status.ok()) {
    Fail(state, m.status);
    return;
  }
  const regime::Applier applier(Spec());
  const size_t limits = Spec().limits.size();
  for (auto _ : state) {
    regime::State s = applier.NewState();
    int64_t sum = 0;
    regime::EntryRef ref;
    // Each record is decoded kSlotAhead steps before it is applied, on
    // this thread, so that the item it names can be prefetched
    // (Applier::HintFor, PrefetchIndex, PrefetchItem) as
    // LogFold::ReplayRecords does.
    constexpr size_t kAhead = regime::Applier::kSlotAhead;
    std::array<notification::RecordView, kAhead> views;
    std::array<regime::Applier::Hint, kAhead> hints{};
    const size_t n = m.order.size();
    auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < n + kAhead; ++i) {
      if (i >= kAhead) {  // record i - kAhead, decoded kAhead steps ago
        const size_t j = i - kAhead;
        const uint32_t k = m.order[j];
        ref.party = kParties[m.party[k]].code;
        ref.index = m.log_index[k];
        applier.Apply(views[j % kAhead], ref, s, hints[j % kAhead]);
        for (size_t l = 0; l < limits; ++l) sum += *s.Aggregate(l, 0);
      }
      // Record i - kNear is applied kItemAhead iterations from now.
      constexpr size_t kNear = kAhead - regime::Applier::kItemAhead;
      if (i >= kNear && i - kNear < n) {
        applier.PrefetchItem(hints[(i - kNear) % kAhead], s);
      }
      if (i < n) {  // into the slot of the record just applied
        Result<notification::RecordView> r =
            notification::ParseEntryView(EntryAt(m, m.order[i]));
        if (!r.ok()) {
          Fail(state, r.status());
          return;
        }
        views[i % kAhead] = *r;
        hints[i % kAhead] = applier.HintFor(*r);
        applier.PrefetchIndex(hints[i % kAhead], s);
      }
    }
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
    if (!s.irregularities.empty() || s.applied != m.order.size()) {
      Fail(state,
           Status::Internal("the history should fold cleanly, every step"));
      return;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(m.order.size()) *
                          state.iterations());
  state.counters["peak_rss_MiB"] = PeakRssMiB();
}

// Order matters: the compliance pass runs first, while this process is
// small (its child inherits nothing large), each decoding reference before
// the figures reported against it, and the in-memory fold last (it holds
// every entry: its peak_rss_MiB counts them).
BENCHMARK(BM_CompliancePass)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_LogFold_Reference)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_LogFold)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_CompliancePass_Reference)->Iterations(1)->UseManualTime();
BENCHMARK(BM_Fold_Reference)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_Fold)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_VerifyEntries)->MinTime(1.0);
BENCHMARK(BM_VerifyEntries_Reference)->MinTime(1.0);

}  // namespace
}  // namespace detente

DETENTE_BENCHMARK_MAIN();

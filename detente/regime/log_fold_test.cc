// LogFold (two passes over the logs, decoding as it applies) against Fold
// (everything decoded in memory): the same steps in the same order, the
// same states and irregularities, and the tally equal to CountAll after
// every step — on random histories whose logs are not in event-time order.
#include "detente/regime/log_fold.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "detente/crypto/keys.h"
#include "detente/ledger/checkpoint.h"
#include "detente/ledger/log_store.h"
#include "detente/ledger/merkle_hash.h"
#include "detente/regime/log_reader.h"
#include "detente/registry/counting.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"
#include "fmt/format.h"

namespace detente::regime {
namespace {

using notification::Notification;
using notification::Value;
using ::testing::HasSubstr;

const treaty::Spec& NewStart() { return treaty::testing::NewStartSpec(); }

crypto::SignerKey Key(const std::string& name, uint8_t fill) {
  crypto::Ed25519Seed seed{};
  seed.fill(fill);
  return *crypto::SignerKey::FromSeed(name, crypto::KeyType::kEd25519, seed);
}

Value ItemRec(const std::string& id, const std::string& party,
              const std::string& cat, const std::string& status,
              int64_t warheads) {
  Value::Map m = {
      {"id", Value::Str(id)},        {"party", Value::Str(party)},
      {"category", Value::Str(cat)}, {"status", Value::Str(status)},
      {"type", Value::Str("T")},     {"facility", Value::Str("F1")}};
  if (cat == "icbm") m["warheads"] = Value::Int(warheads);
  return Value::OfMap(std::move(m));
}

// A random history of one party: a declaration, then changes to its items
// (some illegal), new items, notes and updates. Event times wander so that
// the log is not in event-time order.
std::vector<Notification> RandomHistory(const std::string& party, int count,
                                        uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Notification> out;
  Instant t = *Instant::Parse("2011-02-05T00:00:00Z");
  uint64_t seq = 0;
  std::vector<std::string> ids;
  auto make = [&](std::string type, Instant when, Value::Map body) {
    Notification n;
    n.treaty = "new-start";
    n.sender = party;
    n.sequence = ++seq;
    n.type = std::move(type);
    n.event_time = when;
    n.sent_time = when;
    n.body = Value::OfMap(std::move(body));
    Status v = notification::Validate(NewStart(), n);
    EXPECT_TRUE(v.ok()) << n.type << ": " << v;
    out.push_back(std::move(n));
  };
  auto declaration = [&](const char* type, Instant when) {
    Value::List items;
    ids.clear();
    for (int i = 0; i < 40; ++i) {
      std::string id = fmt::format("{}-{}-{}", party, seq, i);
      ids.push_back(id);
      const char* cat = i % 3 == 0 ? "icbm_launcher" : "icbm";
      items.push_back(ItemRec(id, party, cat,
                              i % 4 == 0 ? "non_deployed" : "deployed", i % 3));
    }
    make(type, when,
         {{"as_of", Value::Str(when.date().ToString())},
          {"items", Value::OfList(std::move(items))},
          {"totals", Value::OfMap({})}});
  };
  declaration("NST-DB-INIT", t);
  const char* statuses[] = {"deployed", "non_deployed", "test"};
  for (int k = 1; k < count; ++k) {
    t = t.AddHours(6);
    // Up to three days either way.
    Instant when = t.AddSeconds(static_cast<int64_t>(rng() % 518400) - 259200);
    const std::string& id = ids[rng() % ids.size()];
    std::string date = when.date().ToString();
    switch (rng() % 9) {
      case 0:
      case 1:
        make("NST-STATUS-CHANGE", when,
             {{"item", Value::Str(id)},
              {"category", Value::Str("icbm")},
              {"from_status", Value::Str(statuses[rng() % 3])},
              {"to_status", Value::Str(statuses[rng() % 3])},
              {"occurred", Value::Str(date)}});
        break;
      case 2:
        make("NST-RV-CHANGE", when,
             {{"item", Value::Str(id)},
              {"category", Value::Str("icbm")},
              {"from_warheads", Value::Int(static_cast<int64_t>(rng() % 3))},
              {"to_warheads", Value::Int(static_cast<int64_t>(rng() % 4))},
              {"occurred", Value::Str(date)}});
        break;
      case 3:
        make("NST-ITEM-MOVE", when,
             {{"item", Value::Str(id)},
              {"category", Value::Str("icbm")},
              {"from_facility", Value::Str("F1")},
              {"to_facility", Value::Str(rng() % 2 ? "F1" : "F2")},
              {"departed", Value::Str(when.ToString())}});
        break;
      case 4:
        if (rng() % 4 == 0) {
          make("NST-ITEM-ELIM", when,
               {{"item", Value::Str(id)},
                {"category", Value::Str("icbm")},
                {"facility", Value::Str("F1")},
                {"completed", Value::Str(date)}});
        }
        break;
      case 5: {
        std::string fresh = fmt::format("{}-new-{}", party, k);
        ids.push_back(rng() % 8 == 0 ? ids.front() : fresh);  // some dup
        make("NST-ITEM-NEW", when,
             {{"item", Value::Str(ids.back())},
              {"category", Value::Str("icbm")},
              {"type", Value::Str("T")},
              {"status", Value::Str("deployed")},
              {"facility", Value::Str("F1")},
              {"warheads", Value::Int(1)}});
        break;
      }
      case 6:
        if (rng() % 40 == 0) declaration("NST-DB-UPDATE", when);
        break;
      default:
        make("NST-DIP-NOTE", when,
             {{"subject", Value::Str("s")}, {"text", Value::Str("t")}});
    }
  }
  return out;
}

class LogFoldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format(
               "detente_log_fold_{}_{}", getpid(),
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A log of `party` holding `notes`, signed by `key` except the entries
  // at `badly_signed`, with a checkpoint signed by `key` over it all.
  std::unique_ptr<ledger::LogStore> WriteLog(
      const std::string& party, const crypto::SignerKey& key,
      const std::vector<Notification>& notes,
      const std::set<size_t>& badly_signed = {}) {
    auto log = std::move(ledger::LogStore::Create(
                             (dir_ / (party + ".db")).string(), key.name(),
                             key.verifier().ToString()))
                   .value();
    crypto::SignerKey other = Key(key.name(), 99);
    std::vector<std::string> entries;
    for (size_t i = 0; i < notes.size(); ++i) {
      entries.push_back(
          notification::Sign(notes[i], badly_signed.count(i) ? other : key)
              .Entry());
    }
    EXPECT_TRUE(log->AppendBatch(entries).ok());
    ledger::Checkpoint cp{key.name(), log->size(), log->root(), {}};
    std::string note = *ledger::SignCheckpoint(cp, key);
    EXPECT_TRUE(log->SaveCheckpoint({key.name(), cp.size, cp.root, note}).ok());
    return log;
  }

  std::filesystem::path dir_;
};

struct Step {
  EntryRef ref;
  size_t irregularities;
  std::vector<int64_t> aggregates;
};

// Records each step, and checks the tally against CountAll as it goes.
bool Visit(std::vector<Step>& steps, const State& s,
           const LoggedNotification& ln) {
  Step st{ln.ref, s.irregularities.size(), {}};
  const treaty::Spec& spec = NewStart();
  Result<std::vector<registry::Aggregate>> all =
      registry::CountAll(spec, s.items);
  EXPECT_TRUE(all.ok());
  size_t k = 0;
  for (size_t l = 0; l < spec.limits.size(); ++l) {
    for (size_t p = 0; p < spec.parties.size(); ++p) {
      if (!spec.limits[l].AppliesTo(spec.parties[p].code)) continue;
      Result<int64_t> v = s.Aggregate(l, p);
      EXPECT_TRUE(v.ok());
      EXPECT_EQ(*v, (*all)[k].value)
          << spec.limits[l].id << " " << spec.parties[p].code << " after "
          << ln.ref.party << " " << ln.ref.index;
      st.aggregates.push_back(*v);
      ++k;
    }
  }
  steps.push_back(std::move(st));
  return !::testing::Test::HasFailure();
}

TEST_F(LogFoldTest, SameStepsAndStateAsTheInMemoryFold) {
  crypto::SignerKey us = Key("us.test/log", 1), ru = Key("ru.test/log", 2);
  auto us_log = WriteLog("US", us, RandomHistory("US", 1500, 11), {7, 300});
  auto ru_log = WriteLog("RU", ru, RandomHistory("RU", 1500, 12));
  // An entry that is not a notification at all.
  ASSERT_TRUE(ru_log->Append("junk").ok());

  std::vector<LoggedNotification> all;
  std::vector<Irregularity> read_issues;
  for (auto [party, log, key] : {std::tuple{"RU", ru_log.get(), &ru},
                                 std::tuple{"US", us_log.get(), &us}}) {
    PartyLog pl = *ReadPartyLog(*log, NewStart(), party, key->verifier());
    for (auto& n : pl.notifications) all.push_back(std::move(n));
    for (auto& i : pl.irregularities) read_issues.push_back(i);
  }
  const Instant until = *Instant::Parse("2030-01-01T00:00:00Z");
  std::vector<Step> want;
  Fold fold(NewStart(), all);
  ASSERT_TRUE(fold.Replay(until,
                          [&](const State& s, const LoggedNotification& ln) {
                            return Visit(want, s, ln);
                          })
                  .ok());
  State want_state = *fold.StateAt(until);
  ASSERT_GT(want_state.irregularities.size(), 10u);  // illegal steps happen

  // A reorder buffer of 1 byte forces re-reads of every early entry; with
  // chunks of 16 entries, one held, entries still to come leave their
  // chunk for the reorder buffer or are read again.
  for (auto [budget, chunk] :
       {std::pair{size_t{64} << 20, size_t{0}}, std::pair{size_t{1}, size_t{0}},
        std::pair{size_t{64} << 20, size_t{16}},
        std::pair{size_t{1}, size_t{16}}}) {
    LogFoldOptions options;
    options.reorder_bytes = budget;
    if (chunk > 0) {
      options.chunk_entries = chunk;
      options.held_chunks = 1;
    }
    // The logs are read side by side: the visitor is called from each
    // log's thread, so what it sees is kept per log (the map is not
    // changed meanwhile), each log's in log order.
    std::map<std::string, std::vector<uint64_t>> seen = {{"RU", {}},
                                                         {"US", {}}};
    auto lf = LogFold::Read(
        NewStart(),
        {{"RU", ru_log.get(), ru.verifier(), 0},
         {"US", us_log.get(), us.verifier(), 0}},
        options, [&](const notification::RecordView& r, const EntryRef& ref) {
          EXPECT_EQ(r.sender, ref.party);
          seen.at(ref.party).push_back(ref.index);
          return Status::Ok();
        });
    ASSERT_TRUE(lf.ok()) << lf.status();
    EXPECT_EQ(seen["RU"].size() + seen["US"].size(), all.size());
    for (const auto& [party, indices] : seen) {
      EXPECT_TRUE(std::is_sorted(indices.begin(), indices.end())) << party;
      EXPECT_EQ(std::adjacent_find(indices.begin(), indices.end()),
                indices.end())
          << party;
    }
    EXPECT_EQ((*lf)->size(), all.size());
    ASSERT_EQ((*lf)->reader_irregularities().size(), read_issues.size());
    for (size_t i = 0; i < read_issues.size(); ++i) {
      EXPECT_EQ((*lf)->reader_irregularities()[i].rule, read_issues[i].rule);
      EXPECT_EQ((*lf)->reader_irregularities()[i].entries,
                read_issues[i].entries);
    }
    std::vector<Step> got;
    Result<State> end =
        (*lf)->Replay(until, [&](const State& s, const LoggedNotification& ln) {
          return Visit(got, s, ln);
        });
    ASSERT_TRUE(end.ok()) << end.status();
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      ASSERT_EQ(got[i].ref, want[i].ref) << "step " << i;
      ASSERT_EQ(got[i].irregularities, want[i].irregularities) << "step " << i;
      ASSERT_EQ(got[i].aggregates, want[i].aggregates) << "step " << i;
    }
    ASSERT_EQ(end->items.size(), want_state.items.size());
    for (const auto& [id, item] : want_state.items.items()) {
      const registry::Item* g = end->items.FindItem(id);
      ASSERT_NE(g, nullptr) << id;
      EXPECT_EQ(g->status, item.status);
      EXPECT_EQ(g->warheads, item.warheads);
      EXPECT_EQ(g->facility, item.facility);
    }
    ASSERT_EQ(end->irregularities.size(), want_state.irregularities.size());
    for (size_t i = 0; i < want_state.irregularities.size(); ++i) {
      EXPECT_EQ(end->irregularities[i].text, want_state.irregularities[i].text);
      EXPECT_EQ(end->irregularities[i].entries,
                want_state.irregularities[i].entries);
    }
    EXPECT_EQ(end->declarations.size(), want_state.declarations.size());
    EXPECT_EQ(end->at, until);
  }

  // Stopping early: the state after the step that said stop.
  auto lf = LogFold::Read(NewStart(),
                          {{"US", us_log.get(), us.verifier(), 0},
                           {"RU", ru_log.get(), ru.verifier(), 0}},
                          {});
  ASSERT_TRUE(lf.ok());
  int steps = 0;
  Result<State> early = (*lf)->Replay(
      until,
      [&](const State&, const LoggedNotification&) { return ++steps < 100; });
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->applied, 100u);
  EXPECT_EQ(early->at, all.size() > 0
                           ? fold.notifications()[99].notification.event_time
                           : until);
}

// Apply with a record's hint (the type resolved where HintFor ran: the
// decoding thread) is Apply without one, step by step; an item step's hint
// names its item.
TEST(ApplierHintTest, ApplyWithTheHintIsApplyWithout) {
  const Applier applier(NewStart());
  State plain = applier.NewState(), hinted = applier.NewState();
  crypto::SignerKey us = Key("us.test/log", 1);
  size_t items_named = 0;
  uint64_t index = 0;
  for (const Notification& n : RandomHistory("US", 600, 21)) {
    const std::string entry = notification::Sign(n, us).Entry();
    Result<notification::RecordView> r = notification::ParseEntryView(entry);
    ASSERT_TRUE(r.ok()) << r.status();
    const Applier::Hint hint = applier.HintFor(*r);
    EXPECT_TRUE(hint.resolved);
    if (hint.item) {
      ++items_named;
      EXPECT_EQ(hint.item_hash, registry::ItemSet::HashId(
                                    notification::StrField(r->body, "item")));
    }
    const EntryRef ref{"US", index++};
    applier.Apply(*r, ref, plain);
    applier.Apply(*r, ref, hinted, hint);
    ASSERT_EQ(hinted.applied, plain.applied);
    ASSERT_EQ(hinted.irregularities.size(), plain.irregularities.size());
    ASSERT_EQ(hinted.items.size(), plain.items.size());
    const int us_index = plain.tally.PartyIndex("US");
    ASSERT_GE(us_index, 0);
    for (size_t l = 0; l < NewStart().limits.size(); ++l) {
      const size_t p = static_cast<size_t>(us_index);
      ASSERT_EQ(*hinted.Aggregate(l, p), *plain.Aggregate(l, p));
    }
  }
  EXPECT_GT(items_named, 100u);
  EXPECT_GT(
      *plain.Aggregate(0, static_cast<size_t>(plain.tally.PartyIndex("US"))),
      0);
  EXPECT_GT(plain.irregularities.size(), 5u);  // illegal steps happen
  for (const auto& [id, item] : plain.items.items()) {
    const registry::Item* h = hinted.items.FindItem(id);
    ASSERT_NE(h, nullptr) << id;
    EXPECT_EQ(h->status, item.status);
    EXPECT_EQ(h->warheads, item.warheads);
    EXPECT_EQ(h->facility, item.facility);
  }
}

// Pass 2 does not hash the entries again: it compares each with the
// fingerprint pass 1 took when it authenticated it. An entry changed in
// the file between the passes fails the pass, whether it is read from a
// chunk or, dropped from the reorder buffer, read again by index.
TEST_F(LogFoldTest, AnEntryChangedBetweenThePassesFailsThePass) {
  crypto::SignerKey us = Key("us.test/log", 1);
  auto log = WriteLog("US", us, RandomHistory("US", 400, 5));
  const uint64_t victim = 200;
  const std::string original = *log->Entry(victim);
  auto set_entry = [&](const std::string& bytes) {
    std::string hex;
    for (char c : bytes) {
      hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(log->path().c_str(), &db), SQLITE_OK);
    const std::string sql = fmt::format(
        "UPDATE entries SET data = x'{}' WHERE idx = {}", hex, victim);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  };
  // One byte of the record changed (the signature's bytes are not read by
  // the fold, and not compared).
  std::string changed = original;
  changed[changed.size() - 64 - 1] ^= 0x01;
  const Instant until = *Instant::Parse("2030-01-01T00:00:00Z");
  for (bool tiny : {false, true}) {
    SCOPED_TRACE(tiny ? "tiny chunks, no reorder buffer" : "defaults");
    set_entry(original);
    LogFoldOptions options;
    if (tiny) {
      options.reorder_bytes = 1;
      options.chunk_entries = 16;
      options.held_chunks = 1;
    }
    auto lf = LogFold::Read(NewStart(), {{"US", log.get(), us.verifier(), 0}},
                            options);
    ASSERT_TRUE(lf.ok()) << lf.status();
    // Unchanged: the pass goes through.
    ASSERT_TRUE((*lf)->Replay(until, {}).ok());
    set_entry(changed);
    Result<State> end = (*lf)->Replay(until, {});
    EXPECT_EQ(end.status().code(), StatusCode::kCorruption) << end.status();
    EXPECT_THAT(
        std::string(end.status().message()),
        ::testing::AnyOf(HasSubstr("changed during the pass"),
                         HasSubstr("does not hash to the stored leaf")));
    EXPECT_THAT(std::string(end.status().message()),
                HasSubstr(std::to_string(victim)));
  }
}

// Authentication by the signed checkpoint binds the entries to its root,
// not to the stored leaf hashes: an entry replaced together with its
// stored leaf hash (here, by a notification the party never signed) is
// refused, though every entry matches its stored leaf.
TEST_F(LogFoldTest, CheckpointAuthenticationRefusesAnEntryForgedWithItsLeaf) {
  crypto::SignerKey us = Key("us.test/log", 1);
  std::vector<Notification> notes = RandomHistory("US", 50, 3);
  auto log = WriteLog("US", us, notes);
  std::vector<std::string> entries;
  for (uint64_t i = 0; i < log->size(); ++i) entries.push_back(*log->Entry(i));
  // Entry 5, as the party's, signed by someone else.
  entries[5] = notification::Sign(notes[5], Key("us.test/log", 99)).Entry();
  std::string data_hex, row_hex;
  for (char c : entries[5]) {
    data_hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
  }
  for (const std::string& e : entries) {
    for (uint8_t b : ledger::HashLeaf(e)) row_hex += fmt::format("{:02x}", b);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(log->path().c_str(), &db), SQLITE_OK);
  const std::string sql = fmt::format(
      "UPDATE entries SET data = x'{}' WHERE idx = 5; "
      "UPDATE tile_rows SET hashes = x'{}' WHERE id = 0",
      data_hex, row_hex);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  const std::string path = log->path();
  log.reset();  // reopened: nothing of the old rows cached
  log = std::move(ledger::LogStore::Open(path)).value();
  ASSERT_TRUE(log->Entry(5).ok());  // matches its stored leaf
  ReadOptions by_checkpoint;
  by_checkpoint.authentication = EntryAuthentication::kSignedCheckpoint;
  Result<PartyLog> read =
      ReadPartyLog(*log, NewStart(), "US", us.verifier(), 0, by_checkpoint);
  EXPECT_EQ(read.status().code(), StatusCode::kCorruption) << read.status();
  auto lf = LogFold::Read(NewStart(), {{"US", log.get(), us.verifier(), 0}},
                          {by_checkpoint});
  EXPECT_EQ(lf.status().code(), StatusCode::kCorruption);
  // Checking every signature finds the forged one instead.
  Result<PartyLog> signatures =
      ReadPartyLog(*log, NewStart(), "US", us.verifier());
  ASSERT_TRUE(signatures.ok()) << signatures.status();
  // (and the gap it leaves in the sequence).
  ASSERT_FALSE(signatures->irregularities.empty());
  EXPECT_EQ(signatures->irregularities[0].rule, "bad-signature");
  EXPECT_EQ(signatures->irregularities[0].entries[0].index, 5u);
}

TEST_F(LogFoldTest, CheckpointAuthenticationIsExplicitAndSaysWhatItSkips) {
  crypto::SignerKey us = Key("us.test/log", 1);
  std::vector<Notification> notes = RandomHistory("US", 50, 3);
  auto log = WriteLog("US", us, notes, {10});
  // An entry after the checkpoint, badly signed: still verified.
  notification::Notification late = notes.back();
  late.sequence = notes.size() + 1;
  ASSERT_TRUE(
      log->Append(notification::Sign(late, Key("us.test/log", 99)).Entry())
          .ok());
  auto rules = [&](const ReadOptions& o) {
    std::vector<std::string> r;
    PartyLog pl = *ReadPartyLog(*log, NewStart(), "US", us.verifier(), 0, o);
    for (const Irregularity& i : pl.irregularities) {
      if (i.rule == "bad-signature")
        r.push_back(std::to_string(i.entries[0].index));
    }
    return r;
  };
  const std::string last = std::to_string(notes.size());
  EXPECT_THAT(rules({}), ::testing::ElementsAre("10", last));
  ReadOptions by_checkpoint;
  by_checkpoint.authentication = EntryAuthentication::kSignedCheckpoint;
  // Entry 10 is covered by the signed checkpoint: its own signature is not
  // checked. The last entry is not covered.
  EXPECT_THAT(rules(by_checkpoint), ::testing::ElementsAre(last));

  // A checkpoint not signed by the party's key authenticates nothing.
  crypto::SignerKey impostor = Key("us.test/log", 7);
  Result<PartyLog> wrong = ReadPartyLog(*log, NewStart(), "US",
                                        impostor.verifier(), 0, by_checkpoint);
  EXPECT_FALSE(wrong.ok());
  // Nor does a log without a checkpoint.
  auto bare =
      std::move(ledger::LogStore::Create((dir_ / "bare.db").string(), us.name(),
                                         us.verifier().ToString()))
          .value();
  ASSERT_TRUE(bare->Append(notification::Sign(notes[0], us).Entry()).ok());
  Result<PartyLog> none =
      ReadPartyLog(*bare, NewStart(), "US", us.verifier(), 0, by_checkpoint);
  EXPECT_EQ(none.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(none.status().message()), HasSubstr("checkpoint"));
}

}  // namespace
}  // namespace detente::regime

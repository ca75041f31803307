#include "detente/scenario/synth.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "detente/crypto/ed25519.h"
#include "detente/crypto/encoding.h"
#include "detente/crypto/keys.h"
#include "detente/ledger/checkpoint.h"
#include "detente/ledger/log_store.h"
#include "detente/registry/counting.h"
#include "detente/registry/published.h"
#include "detente/scenario/force_model.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"

namespace detente::scenario {
namespace {

namespace fs = std::filesystem;
using notification::Notification;
using notification::Value;

const treaty::Spec& Spec() { return treaty::testing::NewStartSpec(); }

const registry::PublishedTable& Table() {
  static const registry::PublishedTable* t = [] {
    auto p = registry::LoadPublished(
        DETENTE_SOURCE_DIR "/data/public/new_start_aggregates.csv", Spec());
    EXPECT_TRUE(p.ok()) << p.status();
    return new registry::PublishedTable(*p);
  }();
  return *t;
}

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// The notifications of one party's log, signatures checked.
std::vector<Notification> ReadLog(const std::string& db,
                                  const crypto::VerifierKey& vkey,
                                  std::vector<std::string>* entries) {
  auto log = ledger::LogStore::Open(db);
  EXPECT_TRUE(log.ok()) << log.status();
  std::vector<Notification> out;
  if (!log.ok()) return out;
  for (uint64_t i = 0; i < (*log)->size(); ++i) {
    auto e = (*log)->Entry(i);
    EXPECT_TRUE(e.ok()) << e.status();
    auto s = notification::ParseEntry(*e);
    EXPECT_TRUE(s.ok()) << s.status();
    EXPECT_TRUE(notification::VerifySignature(*s, vkey).ok()) << i;
    out.push_back(s->notification);
    if (entries != nullptr) entries->push_back(*e);
  }
  return out;
}

crypto::VerifierKey ReadVkey(const std::string& path) {
  std::string text = ReadAll(path);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  auto k = crypto::VerifierKey::Parse(text);
  EXPECT_TRUE(k.ok()) << path << ": " << k.status();
  return *k;
}

// The full history (seed 1) built once in memory and written once; three
// short runs (to 1 March 2012: seed 1 twice, seed 2 once) written for byte
// identity and read back entry by entry. Output goes to tmpfs when there is
// one: the logs fsync every commit, and the test is about their bytes, not
// the disk.
class SynthFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string base =
        fs::is_directory("/dev/shm") ? "/dev/shm" : DETENTE_BINARY_DIR;
    root_ = new std::string(base + "/detente_synth_test." +
                            std::to_string(::getpid()));
    fs::remove_all(*root_);
    SynthOptions full;
    full.out_dir = Dir("a");
    Result<SynthHistory> h = BuildHistory(Spec(), Table(), full);
    ASSERT_TRUE(h.ok()) << h.status();
    history_ = new SynthHistory(*std::move(h));
    Result<SynthReport> r = WriteHistory(Spec(), Table(), full, *history_);
    ASSERT_TRUE(r.ok()) << r.status();
    report_ = new SynthReport(*std::move(r));

    Result<SynthHistory> s1 =
        BuildHistory(Spec(), Table(), ShortOptions("s1", 1));
    ASSERT_TRUE(s1.ok()) << s1.status();
    short_history_ = new SynthHistory(*std::move(s1));
    EXPECT_TRUE(
        WriteHistory(Spec(), Table(), ShortOptions("s1", 1), *short_history_)
            .ok());
    for (const auto& [dir, seed] :
         {std::pair{"s1again", uint64_t{1}}, std::pair{"s2", uint64_t{2}}}) {
      Result<SynthReport> s =
          Synthesize(Spec(), Table(), ShortOptions(dir, seed));
      EXPECT_TRUE(s.ok()) << s.status();
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete report_;
    delete history_;
    delete short_history_;
    delete root_;
  }

  static SynthOptions ShortOptions(const std::string& dir, uint64_t seed) {
    SynthOptions o;
    o.seed = seed;
    o.out_dir = Dir(dir);
    o.until = Date::FromYmd(2011, 9, 1).value();
    return o;
  }
  static std::string Dir(const std::string& d) { return *root_ + "/" + d; }
  static const PartyHistory& History(const std::string& party) {
    for (const PartyHistory& h : history_->parties) {
      if (h.party == party) return h;
    }
    ADD_FAILURE() << "no history for " << party;
    return history_->parties.front();
  }

  static std::string* root_;
  static SynthHistory* history_;
  static SynthHistory* short_history_;
  static SynthReport* report_;
};
std::string* SynthFiles::root_ = nullptr;
SynthHistory* SynthFiles::history_ = nullptr;
SynthHistory* SynthFiles::short_history_ = nullptr;
SynthReport* SynthFiles::report_ = nullptr;

// Where a New START limit's figure is in Fold::Tally().
size_t TallyIndex(std::string_view limit_id) {
  if (limit_id == "deployed_delivery_vehicles") return 0;
  if (limit_id == "deployed_warheads") return 1;
  EXPECT_EQ(limit_id, "deployed_and_nondeployed_launchers");
  return 2;
}

// A fold written from docs/regime.md alone, independent of the generator:
// notifications of all parties in (event time, sender, sequence) order;
// each illegal step is recorded rather than applied.
class Fold {
 public:
  explicit Fold(const treaty::Spec& spec) : spec_(spec) {}

  void Apply(const Notification& n) {
    const Value& b = n.body;
    const auto str = [&](std::string_view k) {
      const Value* v = b.Find(k);
      return v != nullptr && v->is_str() ? v->str() : std::string();
    };
    const auto num = [&](std::string_view k) {
      const Value* v = b.Find(k);
      return v != nullptr && v->is_int() ? v->integer() : int64_t{0};
    };
    const auto finding = [&](std::string_view what) {
      findings_.push_back(n.sender + " " + std::to_string(n.sequence) + " " +
                          n.type + " " + n.event_time.ToString() + " " +
                          str("item") + ": " + std::string(what));
    };
    if (n.type == "NST-DB-INIT" || n.type == "NST-DB-UPDATE") {
      for (auto it = items_.begin(); it != items_.end();) {
        if (it->second.party == n.sender) {
          Count(it->second, -1);
          it = items_.erase(it);
        } else {
          ++it;
        }
      }
      for (const Value& r : b.Find("items")->list()) {
        registry::Item item;
        item.id = r.Find("id")->str();
        item.party = r.Find("party")->str();
        item.category = r.Find("category")->str();
        item.status = r.Find("status")->str();
        if (const Value* v = r.Find("type")) item.type = v->str();
        if (const Value* v = r.Find("facility")) item.facility = v->str();
        if (const Value* v = r.Find("warheads")) item.warheads = v->integer();
        if (item.party != n.sender) finding("another party's item declared");
        if (items_.emplace(item.id, item).second) {
          Count(item, +1);
        } else {
          finding("declared twice");
        }
      }
      // Declared totals must be what the fold counts (the tally, which the
      // caller checks against the counting engine at every as-of date).
      const std::array<int64_t, 3> f = Tally(n.sender);
      for (const treaty::Limit& l : spec_.limits) {
        const Value* t = b.Find("totals")->Find(l.id);
        if (t == nullptr || t->integer() != f[TallyIndex(l.id)]) {
          finding("declared total " + l.id + " differs from the fold");
        }
      }
      return;
    }
    if (n.type == "NST-TYPE-NEW") {
      max_warheads_[str("type")] =
          b.Find("max_warheads") != nullptr ? num("max_warheads") : -1;
      return;
    }
    if (n.type == "NST-FACILITY-NEW") return;
    if (n.type == "NST-ITEM-NEW") {
      registry::Item item;
      item.id = str("item");
      item.party = n.sender;
      item.category = str("category");
      item.type = str("type");
      item.status = str("status");
      item.facility = str("facility");
      item.warheads = num("warheads");
      if (items_.emplace(item.id, item).second) {
        Count(item, +1);
      } else {
        finding("identifier exists");
      }
      return;
    }
    auto it = items_.find(str("item"));
    if (it == items_.end() || it->second.party != n.sender) {
      return finding("unknown identifier");
    }
    registry::Item& item = it->second;
    if (item.status == "eliminated") return finding("item is eliminated");
    Count(item, -1);
    if (n.type == "NST-STATUS-CHANGE") {
      if (item.status != str("from_status")) {
        finding("status differs");
      } else {
        item.status = str("to_status");
        if (b.Find("facility") != nullptr) item.facility = str("facility");
      }
    } else if (n.type == "NST-RV-CHANGE") {
      auto mw = max_warheads_.find(item.type);
      if (item.warheads != num("from_warheads")) {
        finding("warheads differ");
      } else if (item.status != "deployed" ||
                 (item.category != "icbm" && item.category != "slbm")) {
        finding("not a deployed missile");
      } else if (mw == max_warheads_.end() || num("to_warheads") > mw->second) {
        finding("more warheads than max_warheads");
      } else {
        item.warheads = num("to_warheads");
      }
    } else if (n.type == "NST-ITEM-MOVE") {
      if (item.facility != str("from_facility")) {
        finding("not there");
      } else {
        item.facility = str("to_facility");
      }
    } else if (n.type == "NST-ITEM-ELIM") {
      item.status = "eliminated";
    } else if (n.type == "NST-ITEM-CONV") {
      item.status = "converted";
    } else {
      finding("unexpected type");
    }
    Count(item, +1);
  }

  registry::ItemSet Set() const {
    registry::ItemSet set;
    for (const auto& [id, item] : items_) EXPECT_TRUE(set.AddItem(item).ok());
    return set;
  }

  // The three New START figures of `party` (deployed delivery vehicles,
  // deployed warheads, deployed and non-deployed launchers), tallied as the
  // items change, straight from Article III.
  std::array<int64_t, 3> Tally(const std::string& party) const {
    auto it = tally_.find(party);
    return it == tally_.end() ? std::array<int64_t, 3>{} : it->second;
  }

  const std::map<std::string, registry::Item>& items() const { return items_; }
  const std::vector<std::string>& findings() const { return findings_; }

 private:
  void Count(const registry::Item& i, int64_t sign) {
    std::array<int64_t, 3>& f = tally_[i.party];
    const bool vehicle = i.category == "icbm" || i.category == "slbm" ||
                         i.category == "heavy_bomber";
    if (vehicle && i.status == "deployed") {
      f[0] += sign;
      f[1] += sign * (i.category == "heavy_bomber" ? 1 : i.warheads);
    }
    const bool launcher = i.category == "icbm_launcher" ||
                          i.category == "slbm_launcher" ||
                          i.category == "heavy_bomber";
    if (launcher && (i.status == "deployed" || i.status == "non_deployed")) {
      f[2] += sign;
    }
  }

  const treaty::Spec& spec_;
  std::map<std::string, registry::Item> items_;
  std::map<std::string, int64_t> max_warheads_;
  std::map<std::string, std::array<int64_t, 3>> tally_;
  std::vector<std::string> findings_;
};

// (a) Folding both parties' notifications reproduces every published
// figure at every as-of date of the table, whether "as of D" means the
// first or the last second of D; no step is illegal; declared totals match
// the fold; no limit is exceeded at any instant from the day the limits
// bind. (The history folded here is the one written to the logs: see
// FullLogsAreTheHistory.)
TEST_F(SynthFiles, FoldReproducesEveryPublishedFigure) {
  ASSERT_NE(history_, nullptr);
  std::vector<Notification> all;
  for (const treaty::Party& p : Spec().parties) {
    const std::vector<Notification>& log = History(p.code).notifications;
    ASSERT_FALSE(log.empty());
    for (size_t i = 0; i < log.size(); ++i) {
      // Gap-free sequence in log order; sent in order; on time.
      ASSERT_EQ(log[i].sequence, i + 1);
      ASSERT_EQ(log[i].sender, p.code);
      if (i > 0) {
        ASSERT_LT(log[i - 1].sent_time, log[i].sent_time);
      }
      auto due = notification::DueBy(Spec(), log[i]);
      ASSERT_TRUE(due.ok());
      if (due->has_value()) {
        EXPECT_LE(log[i].sent_time, **due) << log[i].type << " " << i;
      }
    }
    all.insert(all.end(), log.begin(), log.end());
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Notification& a, const Notification& b) {
                     if (a.event_time != b.event_time) {
                       return a.event_time < b.event_time;
                     }
                     if (a.sender != b.sender) return a.sender < b.sender;
                     return a.sequence < b.sequence;
                   });

  // Every as-of instant to check: both readings of each date in the table.
  struct Check {
    Instant at;
    const registry::PublishedRow* row;
  };
  std::vector<Check> checks;
  for (const registry::PublishedRow& row : Table().rows) {
    checks.push_back({Instant::StartOf(row.as_of), &row});
    checks.push_back({Instant::StartOf(row.as_of).AddSeconds(86399), &row});
  }
  std::stable_sort(checks.begin(), checks.end(),
                   [](const Check& a, const Check& b) { return a.at < b.at; });

  const Instant binds = Instant::StartOf(Date::FromYmd(2018, 2, 5).value());
  Fold fold(Spec());
  size_t next = 0, figures_checked = 0;
  std::optional<Result<std::vector<registry::Aggregate>>> aggs;
  size_t applied = 0, aggs_applied = 0;
  const auto run_checks_until = [&](Instant t) {
    while (next < checks.size() && checks[next].at < t) {
      const registry::PublishedRow& row = *checks[next].row;
      // Counted again only when something was applied since the last count
      // (nothing happens on an as-of day itself, so both readings of a date
      // count once; the check is still made at both).
      if (!aggs.has_value() || aggs_applied != applied) {
        aggs_applied = applied;
        aggs = registry::CountAll(Spec(), fold.Set());
        ASSERT_TRUE(aggs->ok());
      }
      std::array<int64_t, 3> tally = fold.Tally(row.party);
      for (size_t c = 0; c < Table().limit_ids.size(); ++c) {
        for (const registry::Aggregate& a : **aggs) {
          if (a.party != row.party || a.limit_id != Table().limit_ids[c]) {
            continue;
          }
          // The direct tally (used for every instant below) agrees with the
          // counting engine.
          EXPECT_EQ(a.value, tally[TallyIndex(a.limit_id)]) << a.limit_id;
          if (row.figures[c].has_value()) {
            EXPECT_EQ(a.value, *row.figures[c])
                << row.party << " " << row.as_of.ToString() << " " << a.limit_id
                << " at " << checks[next].at.ToString();
            ++figures_checked;
          }
        }
      }
      ++next;
    }
  };
  const Instant anchor = Instant::StartOf(Date::FromYmd(2020, 9, 1).value());
  bool anchor_checked = false;
  for (const Notification& n : all) {
    // Checks at instants before this event see everything up to them.
    run_checks_until(n.event_time);
    if (!anchor_checked && n.event_time > anchor) {
      // The default US mix is anchored on the State Department's per-type
      // table as of 1 September 2020 (facts §2); the folded database of
      // that day shows it: (category, type) -> {accountable, deployed}.
      std::map<std::string, std::pair<int, int>> by_type;
      for (const auto& [id, i] : fold.items()) {
        if (i.party != "US") continue;
        auto& c = by_type[i.category + " " + i.type];
        if (i.status == "deployed" || i.status == "non_deployed") ++c.first;
        if (i.status == "deployed") ++c.second;
      }
      EXPECT_EQ(by_type["icbm_launcher Minuteman III launcher"],
                std::pair(454, 397));
      EXPECT_EQ(by_type["slbm_launcher Trident II launcher"],
                std::pair(280, 230));
      EXPECT_EQ(by_type["heavy_bomber B-52H"].second, 36);
      EXPECT_EQ(by_type["heavy_bomber B-2A"].second, 12);
      EXPECT_EQ(by_type["heavy_bomber B-52H"].first +
                    by_type["heavy_bomber B-2A"].first,
                66);
      // Non-deployed missiles: 261 ICBMs and 234 SLBMs in the table; the
      // spare ratios are calibrated to land there (SLBMs within a few,
      // depending on which launchers the seed empties).
      const auto& mm3 = by_type["icbm Minuteman III"];
      const auto& d5 = by_type["slbm Trident II"];
      EXPECT_EQ(mm3.first - mm3.second, 261);
      EXPECT_NEAR(d5.first - d5.second, 234, 4);
      anchor_checked = true;
    }
    fold.Apply(n);
    ++applied;
    if (n.event_time >= binds) {
      std::array<int64_t, 3> f = fold.Tally(n.sender);
      EXPECT_LE(f[0], 700) << n.sender << " " << n.event_time.ToString();
      EXPECT_LE(f[1], 1550) << n.sender << " " << n.event_time.ToString();
      EXPECT_LE(f[2], 800) << n.sender << " " << n.event_time.ToString();
    }
  }
  run_checks_until(Instant::StartOf(Date::FromYmd(9999, 1, 1).value()));
  EXPECT_EQ(next, checks.size());
  size_t published = 0;
  for (const registry::PublishedRow& row : Table().rows) {
    for (const auto& f : row.figures) {
      if (f.has_value()) ++published;
    }
  }
  EXPECT_GT(published, 100u);
  EXPECT_EQ(figures_checked, 2 * published);
  EXPECT_TRUE(fold.findings().empty())
      << fold.findings().size()
      << " findings, first: " << fold.findings().front();

  // The record stops where the public one does: Russia's last declaration
  // is as of 1 September 2022, the US one as of 1 March 2023.
  std::map<std::string, std::string> last_update;
  for (const Notification& n : all) {
    if (n.type == "NST-DB-UPDATE") {
      last_update[n.sender] = n.body.Find("as_of")->str();
    }
  }
  EXPECT_EQ(last_update["RU"], "2022-09-01");
  EXPECT_EQ(last_update["US"], "2023-03-01");

  // A consistent force: every deployed missile is one of its launchers'
  // (as many deployed missiles as deployed launchers of the system at each
  // base) and carries no more than its type allows.
  std::map<std::string, std::pair<std::string, int64_t>> system_of;
  for (const PartyProfile& p : NewStartProfiles()) {
    for (const TypeMix& t : p.types) {
      system_of[t.type] = {t.code, t.max_warheads};
      system_of[t.launcher_type] = {t.code, 0};
    }
  }
  std::map<std::string, int64_t> balance;
  for (const auto& [id, i] : fold.items()) {
    if (i.status != "deployed") continue;
    const std::string key = system_of[i.type].first + "@" + i.facility;
    if (i.category == "icbm" || i.category == "slbm") {
      ++balance[key];
      EXPECT_GE(i.warheads, 1) << id;
      EXPECT_LE(i.warheads, system_of[i.type].second) << id;
    } else if (i.category == "icbm_launcher" || i.category == "slbm_launcher") {
      --balance[key];
    }
  }
  for (const auto& [key, b] : balance) EXPECT_EQ(b, 0) << key;

  // Plausible between exchanges: every kind of change occurs.
  std::map<std::string, int> kinds;
  for (const Notification& n : all) ++kinds[n.type];
  for (std::string_view k :
       {"NST-TYPE-NEW", "NST-FACILITY-NEW", "NST-DB-INIT", "NST-DB-UPDATE",
        "NST-STATUS-CHANGE", "NST-RV-CHANGE", "NST-ITEM-NEW", "NST-ITEM-MOVE",
        "NST-ITEM-ELIM", "NST-ITEM-CONV"}) {
    EXPECT_GT(kinds[std::string(k)], 0) << k;
  }
}

// (b) Same seed, same bytes; another seed, other bytes.
TEST_F(SynthFiles, SameSeedSameBytesOtherSeedOtherBytes) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(Dir("s1"))) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names,
            (std::vector<std::string>{"RU.db", "RU.key", "RU.key.cosigner.vkey",
                                      "RU.key.vkey", "SYNTHETIC.md", "US.db",
                                      "US.key", "US.key.cosigner.vkey",
                                      "US.key.vkey", "manifest.json"}));
  for (const std::string& n : names) {
    std::string a = ReadAll(Dir("s1") + "/" + n);
    EXPECT_FALSE(a.empty()) << n;
    EXPECT_TRUE(a == ReadAll(Dir("s1again") + "/" + n)) << n << " differs";
    EXPECT_FALSE(a == ReadAll(Dir("s2") + "/" + n))
        << n << " is the same for seeds 1 and 2";
  }
}

// (c) The full logs open and verify and hold the history, in order; every
// checkpoint is signed by the sender and cosigned by the other party at a
// receipt time after the entries it covers were sent and no later than any
// of them was due; entries prove against the cosigned checkpoints.
TEST_F(SynthFiles, FullLogsAreTheHistoryWithCosignedCheckpoints) {
  ASSERT_NE(report_, nullptr);
  ASSERT_EQ(report_->parties.size(), 2u);
  for (size_t p = 0; p < 2; ++p) {
    const PartyReport& pr = report_->parties[p];
    const PartyReport& other = report_->parties[1 - p];
    const PartyHistory& h = History(pr.party);
    const std::string db = Dir("a") + "/" + pr.db_file;
    auto log = ledger::LogStore::Open(db);
    ASSERT_TRUE(log.ok()) << log.status();
    ASSERT_TRUE((*log)->Verify().ok());
    ASSERT_EQ((*log)->size(), h.notifications.size());
    EXPECT_EQ(pr.log_size, h.notifications.size());
    EXPECT_EQ((*log)->origin(), SyntheticKeyName("new-start", pr.party));

    // Keys: deterministic, secret file private, vkeys the log's.
    const std::string key_file = Dir("a") + "/" + pr.key_file;
    struct stat st;
    ASSERT_EQ(::stat(key_file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto key = crypto::ReadSignerKeyFile(key_file);
    ASSERT_TRUE(key.ok()) << key.status();
    crypto::VerifierKey vkey = ReadVkey(Dir("a") + "/" + pr.vkey_file);
    EXPECT_EQ(key->verifier(), vkey);
    EXPECT_EQ((*log)->verifier_key(), vkey.ToString());
    crypto::VerifierKey witness =
        ReadVkey(Dir("a") + "/" + other.cosigner_vkey_file);
    EXPECT_EQ(witness.type(), crypto::KeyType::kCosignatureV1);

    // Entries: the first of every fourth dispatch decodes to the history's
    // notification, signed by the party's key; a database declaration (a
    // few hundred kilobytes to decode) is checked by its signature over the
    // stored bytes, and in full for the initial database. The short runs
    // below check every entry in full.
    const auto entry_is = [&](size_t i) {
      auto e = (*log)->Entry(i);
      ASSERT_TRUE(e.ok()) << e.status();
      const Notification& n = h.notifications[i];
      if (n.type == "NST-DB-UPDATE") {
        std::string message(notification::kSignatureContext);
        message.append(*e, 0, e->size() - crypto::kEd25519SignatureSize);
        crypto::Ed25519Signature sig;
        std::copy(e->end() - crypto::kEd25519SignatureSize, e->end(),
                  sig.begin());
        EXPECT_TRUE(crypto::Ed25519Verify(vkey.public_key(),
                                          crypto::AsBytes(message), sig)
                        .ok())
            << i;
        return;
      }
      auto sn = notification::ParseEntry(*e);
      ASSERT_TRUE(sn.ok()) << sn.status();
      EXPECT_TRUE(notification::VerifySignature(*sn, vkey).ok()) << i;
      EXPECT_TRUE(sn->notification == n) << i;
    };

    // A checkpoint at each dispatch, cosigned at its receipt time.
    EXPECT_EQ(h.dispatches.size(), pr.checkpoints);
    size_t begin = 0, nth = 0;
    for (const PartyHistory::Dispatch& d : h.dispatches) {
      auto stored = (*log)->CheckpointAt(d.end);
      ASSERT_TRUE(stored.ok() && stored->has_value()) << d.end;
      auto opened = ledger::OpenCheckpoint(
          (*stored)->note, vkey,
          std::span<const crypto::VerifierKey>(&witness, 1));
      ASSERT_TRUE(opened.ok()) << opened.status();
      ASSERT_EQ(opened->cosignatures.size(), 1u) << d.end;
      const int64_t receipt =
          static_cast<int64_t>(*opened->cosignatures[0].timestamp);
      EXPECT_EQ(receipt, d.receipt.unix_seconds());
      for (size_t i = begin; i < d.end; ++i) {
        const Notification& n = h.notifications[i];
        EXPECT_GT(receipt, n.sent_time.unix_seconds());
        auto due = notification::DueBy(Spec(), n);
        ASSERT_TRUE(due.ok());
        if (due->has_value()) {
          EXPECT_LE(receipt, (*due)->unix_seconds()) << n.type;
        }
      }
      if (nth++ % 4 == 0) entry_is(begin);
      begin = d.end;
    }
    EXPECT_EQ(begin, h.notifications.size());
    // The witness recorded the latest checkpoint it cosigned.
    auto witness_log = ledger::LogStore::Open(Dir("a") + "/" + other.db_file);
    ASSERT_TRUE(witness_log.ok());
    auto last = (*witness_log)->LastCosigned((*log)->origin());
    ASSERT_TRUE(last.ok() && last->has_value());
    EXPECT_EQ((*last)->size, (*log)->size());

    // Every database declaration proves, offline, against the first
    // cosigned checkpoint that covers it.
    for (size_t i = 0; i < h.notifications.size(); ++i) {
      const std::string& type = h.notifications[i].type;
      if (type != "NST-DB-INIT" && type != "NST-DB-UPDATE") continue;
      uint64_t covering = 0;
      for (const PartyHistory::Dispatch& d : h.dispatches) {
        if (d.end > i) {
          covering = d.end;
          break;
        }
      }
      auto cp = (*log)->CheckpointAt(covering);
      ASSERT_TRUE(cp.ok() && cp->has_value());
      auto view = (*log)->View(covering);
      ASSERT_TRUE(view.ok());
      auto proof = view->InclusionProof(i);
      ASSERT_TRUE(proof.ok());
      auto entry = (*log)->Entry(i);
      ASSERT_TRUE(entry.ok());
      ledger::ProofBundle bundle{std::nullopt, i, *proof, (*cp)->note};
      auto verified = ledger::VerifyProofBundle(
          bundle, crypto::AsBytes(*entry), vkey,
          std::span<const crypto::VerifierKey>(&witness, 1), 1);
      EXPECT_TRUE(verified.ok()) << verified.status();
    }
  }
}

// The short runs' logs hold exactly what BuildHistory makes for their
// options, every entry signed by the party's key and valid.
TEST_F(SynthFiles, ShortLogsHoldEveryNotificationSignedAndValid) {
  ASSERT_NE(short_history_, nullptr);
  for (const PartyHistory& ph : short_history_->parties) {
    crypto::VerifierKey vkey =
        ReadVkey(Dir("s1") + "/" + ph.party + ".key.vkey");
    std::vector<Notification> got =
        ReadLog(Dir("s1") + "/" + ph.party + ".db", vkey, nullptr);
    ASSERT_EQ(got.size(), ph.notifications.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(got[i] == ph.notifications[i]) << ph.party << " " << i;
      EXPECT_TRUE(notification::Validate(Spec(), got[i]).ok());
    }
  }
}

TEST_F(SynthFiles, ManifestSaysSynthetic) {
  auto m = nlohmann::json::parse(ReadAll(Dir("a") + "/manifest.json"));
  EXPECT_EQ(m["synthetic"], true);
  EXPECT_EQ(m["seed"], 1);
  EXPECT_EQ(m["treaty"], "new-start");
  EXPECT_EQ(m["source_csv"], "new_start_aggregates.csv");
  EXPECT_EQ(m["spec_file"], "new-start.toml");
  EXPECT_EQ(m["source_csv_figures_sha256"].get<std::string>().size(), 64u);
  EXPECT_TRUE(m["parameters"].contains("profiles"));
  std::string readme = ReadAll(Dir("a") + "/SYNTHETIC.md");
  EXPECT_NE(readme.find("SYNTHETIC DATA"), std::string::npos);
  // Figures the record lacks are labelled as made up.
  EXPECT_NE(readme.find("| 2016-03-01 | US | NST-DB-UPDATE | "
                        "deployed_delivery_vehicles | - |"),
            std::string::npos);
  EXPECT_NE(readme.find("interpolated"), std::string::npos);
  // The report says the same as the files.
  for (const ExchangeReport& e : report_->exchanges) {
    for (const FigureReport& f : e.figures) {
      EXPECT_EQ(f.target, f.produced);
      if (f.published) {
        EXPECT_EQ(*f.published, f.produced);
        EXPECT_EQ(f.basis, "published");
      }
    }
  }
}

TEST_F(SynthFiles, RefusesToOverwriteAPreviousRun) {
  SynthOptions o;
  o.out_dir = Dir("a");
  Result<SynthReport> r = Synthesize(Spec(), Table(), o);
  EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists) << r.status();
}

TEST(SynthOptionsTest, RefusesBadProfilesBeforeWriting) {
  SynthOptions o;
  o.out_dir = DETENTE_BINARY_DIR "/synth_test_never_written";
  o.profiles[0].types[0].bases = {"US-NOWHERE"};
  Result<SynthReport> r = Synthesize(Spec(), Table(), o);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("US-NOWHERE"), std::string::npos);
  EXPECT_FALSE(fs::exists(o.out_dir));

  o = SynthOptions();
  o.out_dir = DETENTE_BINARY_DIR "/synth_test_never_written";
  o.treaty_id = "sort";
  EXPECT_EQ(Synthesize(Spec(), Table(), o).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(SynthOptionsTest, AProfileThatCannotCarryTheWarheadsIsRefused) {
  SynthOptions o;
  for (TypeMix& t : o.profiles[0].types) t.max_warheads = 1;
  Result<SynthHistory> h = BuildHistory(Spec(), Table(), o);
  EXPECT_EQ(h.status().code(), StatusCode::kFailedPrecondition);
  // Names the party, the date and what cannot be reached.
  EXPECT_NE(h.status().message().find("synthetic US as of 2011-02-05"),
            std::string::npos)
      << h.status();
  EXPECT_NE(h.status().message().find("cannot carry"), std::string::npos);
}

// The default US mix is anchored on the sourced per-type table of
// 1 September 2020 (facts §2): solving for that date's published figures
// gives that table back.
TEST(CompositionTest, DefaultUsMixReproducesTheSeptember2020Table) {
  PartyProfile us = NewStartProfiles()[0];
  // Solved as an initial database, launchers come in whole submarines; by
  // 2020 each of the 14 had 20 accountable tubes (4 converted).
  for (TypeMix& t : us.types) {
    if (t.code == "D5") t.tubes_per_submarine = 20;
  }
  auto c = internal::SolveComposition(us, Date::FromYmd(2020, 9, 1).value(),
                                      {675, 1457, 800}, nullptr);
  ASSERT_TRUE(c.ok()) << c.status();
  std::map<std::string, std::pair<int64_t, int64_t>> got;
  for (size_t x = 0; x < us.types.size(); ++x) {
    if (c->launchers[x] > 0) {
      got[us.types[x].code] = {c->launchers[x], c->deployed[x]};
    }
  }
  // ICBM launchers 454 (397 deployed), SLBM launchers 280 (230 deployed),
  // heavy bombers 66 (48 deployed: B-2A 12, B-52H 36).
  EXPECT_EQ(got, (std::map<std::string, std::pair<int64_t, int64_t>>{
                     {"MM3", {454, 397}},
                     {"D5", {280, 230}},
                     {"B52H", {46, 36}},
                     {"B2A", {20, 12}}}));
}

TEST(CompositionTest, InterpolatesKnots) {
  std::vector<Knot> k = {{Date::FromYmd(2011, 1, 1).value(), 100},
                         {Date::FromYmd(2011, 1, 11).value(), 0}};
  EXPECT_EQ(internal::InterpolateMilli(k, Date::FromYmd(2010, 1, 1).value()),
            100000);
  EXPECT_EQ(internal::InterpolateMilli(k, Date::FromYmd(2011, 1, 6).value()),
            50000);
  EXPECT_EQ(internal::InterpolateMilli(k, Date::FromYmd(2012, 1, 1).value()),
            0);
}

}  // namespace
}  // namespace detente::scenario

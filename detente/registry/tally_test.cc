// The tally against the counting engine: after random sequences of
// additions, changes and removals on every bundled spec, the tally's
// aggregates equal CountAll's, term for term (fixed seeds: reproducible).
#include "detente/registry/tally.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "detente/registry/counting.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"
#include "fmt/format.h"

namespace detente::registry {
namespace {

const treaty::Spec& Load(const std::string& id) {
  return treaty::testing::BundledSpec(id);
}

// Values an item can take, drawn from what the spec's terms look at, so
// that items match and stop matching terms as they change.
struct Domain {
  std::vector<std::string> parties, categories, statuses, types;
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes;
};

Domain DomainOf(const treaty::Spec& spec) {
  Domain d;
  for (const auto& p : spec.parties) d.parties.push_back(p.code);
  d.parties.push_back("XX");  // not a party: never counted
  for (const auto& c : spec.categories) d.categories.push_back(c.id);
  for (const auto& s : spec.statuses) d.statuses.push_back(s.id);
  d.types = {"T1", "T2"};
  std::map<std::string, std::set<std::string>> attrs;
  for (const auto& l : spec.limits) {
    for (const auto& t : l.terms) {
      for (const auto& ty : t.types) d.types.push_back(ty);
      for (const auto& w : t.where) {
        auto& vals = attrs[w.attribute];
        if (w.equals) vals.insert(*w.equals);
        if (w.min) vals.insert(std::to_string(*w.min));
        if (w.max) vals.insert(std::to_string(*w.max + 1));
        vals.insert("other");
      }
      for (const auto* w : {&t.weight, t.then ? &*t.then : nullptr}) {
        if (w != nullptr && w->kind == treaty::Weight::Kind::kAttribute) {
          // Integers, and now and then text: the weight fails then.
          attrs[w->attribute].insert({"0", "4", "12", "20", "x"});
        }
      }
    }
  }
  for (auto& [k, v] : attrs) d.attributes.push_back({k, {v.begin(), v.end()}});
  return d;
}

template <typename T>
const T& Pick(std::mt19937_64& rng, const std::vector<T>& v) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

Item RandomItem(std::mt19937_64& rng, const Domain& d, std::string id) {
  Item it;
  it.id = std::move(id);
  it.party = Pick(rng, d.parties);
  it.category = Pick(rng, d.categories);
  it.status = Pick(rng, d.statuses);
  it.type = Pick(rng, d.types);
  it.warheads = std::uniform_int_distribution<int64_t>(0, 14)(rng);
  for (const auto& [name, values] : d.attributes) {
    // Most items carry each attribute; some lack it.
    if (rng() % 8 != 0) it.attributes[name] = Pick(rng, values);
  }
  return it;
}

void ExpectSame(const Result<std::vector<Aggregate>>& want,
                const Result<std::vector<Aggregate>>& got,
                const std::string& where) {
  ASSERT_EQ(want.ok(), got.ok())
      << where << ": CountAll " << want.status() << ", tally " << got.status();
  if (!want.ok()) return;
  ASSERT_EQ(want->size(), got->size()) << where;
  for (size_t i = 0; i < want->size(); ++i) {
    const Aggregate& a = (*want)[i];
    const Aggregate& b = (*got)[i];
    ASSERT_EQ(a.limit_id, b.limit_id) << where;
    ASSERT_EQ(a.party, b.party) << where;
    ASSERT_EQ(a.value, b.value) << where << " " << a.limit_id << " " << a.party;
    ASSERT_EQ(a.terms.size(), b.terms.size()) << where;
    for (size_t t = 0; t < a.terms.size(); ++t) {
      EXPECT_EQ(a.terms[t].term_index, b.terms[t].term_index) << where;
      EXPECT_EQ(a.terms[t].items, b.terms[t].items)
          << where << " " << a.limit_id << " " << a.party << " term " << t;
      EXPECT_EQ(a.terms[t].value, b.terms[t].value)
          << where << " " << a.limit_id << " " << a.party << " term " << t;
    }
  }
}

// Random operations on an ItemSet, each reported to the tally; compares
// with CountAll after every one (and reads single values in between, so
// that stale order-dependent limits are recounted at varying moments).
void RunRandomChanges(const treaty::Spec& spec, uint64_t seed, int steps) {
  std::mt19937_64 rng(seed);
  Domain d = DomainOf(spec);
  ItemSet items;
  Tally tally(spec);
  // Few identifiers, so that the same ones come and go, and many items
  // of one kind, so that `first` cut-offs (START I: 150) are crossed.
  const int kIds = 400;
  for (int step = 0; step < steps; ++step) {
    std::string where = fmt::format("{} seed {} step {}", spec.id, seed, step);
    std::string id = fmt::format("I{:04}", rng() % kIds);
    Item* existing = items.FindMutableItem(id);
    int op = static_cast<int>(rng() % 10);
    if (existing == nullptr || op < 3) {
      if (existing == nullptr) {
        Item it = RandomItem(rng, d, id);
        if (rng() % 3 == 0 && !d.categories.empty()) {
          // Bias towards what limits count, for denser aggregates.
          it.status = spec.limits.empty()
                          ? it.status
                          : Pick(rng, Pick(rng, spec.limits).terms).statuses[0];
        }
        ASSERT_TRUE(items.AddItem(it).ok());
        tally.Add(*items.FindItem(id));
      }
    } else if (op < 5) {
      tally.Remove(*existing);
      existing->status = Pick(rng, d.statuses);
      tally.Add(*existing);
    } else if (op < 6) {
      tally.Remove(*existing);
      existing->warheads = std::uniform_int_distribution<int64_t>(0, 14)(rng);
      tally.Add(*existing);
    } else if (op < 7) {
      tally.Remove(*existing);
      Item fresh = RandomItem(rng, d, id);
      *existing = fresh;
      tally.Add(*existing);
    } else if (op < 9) {
      // Erase the item (the ItemSet has no single erase: rebuild).
      tally.Remove(*existing);
      ItemSet rest;
      for (const auto& [k, v] : items.items()) {
        if (k != id) {
          ASSERT_TRUE(rest.AddItem(v).ok());
        }
      }
      items = std::move(rest);
    } else if (rng() % 8 == 0) {
      // A full declaration replaces a party's items.
      std::string party = Pick(rng, d.parties);
      tally.RemoveParty(party);
      items.RemovePartyItems(party);
    }
    if (step % 7 == 0 && !spec.limits.empty() && !spec.parties.empty()) {
      size_t l = rng() % spec.limits.size();
      size_t p = rng() % spec.parties.size();
      Result<int64_t> v = tally.Value(l, p, items);
      Result<Aggregate> want =
          Count(spec.limits[l], items, spec.parties[p].code);
      ASSERT_EQ(v.ok(), want.ok()) << where;
      if (v.ok()) {
        ASSERT_EQ(*v, want->value) << where;
      }
    }
    ExpectSame(CountAll(spec, items), tally.All(items), where);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

class TallyBundled : public ::testing::TestWithParam<std::string> {};

TEST_P(TallyBundled, EqualsCountAllAfterRandomChanges) {
  treaty::Spec spec = Load(GetParam());
  ASSERT_FALSE(spec.limits.empty());
  for (uint64_t seed : {1u, 2u, 3u}) {
    RunRandomChanges(spec, seed, 3000);
    if (HasFatalFailure()) return;
  }
}

INSTANTIATE_TEST_SUITE_P(Specs, TallyBundled,
                         ::testing::Values("new-start", "start-1", "sort",
                                           "inf", "follow-on-3p"));

TEST(TallyTest, StartOneUsesFirstAndIsOrderDependent) {
  treaty::Spec spec = Load("start-1");
  Tally tally(spec);
  bool any = false;
  for (size_t l = 0; l < spec.limits.size(); ++l) {
    bool has_first = false;
    for (const auto& t : spec.limits[l].terms) has_first |= t.first.has_value();
    EXPECT_EQ(tally.order_dependent(l), has_first) << spec.limits[l].id;
    any |= has_first;
  }
  EXPECT_TRUE(any) << "start-1.toml is the spec with first/then";
}

TEST(TallyTest, AttributionCutOffMovesWithIdentifierOrder) {
  // 151 US ALCM bombers: the first 150 by identifier count 10, the last
  // counts its capacity. Adding one that sorts first pushes another one
  // beyond the cut-off; the tally must see it.
  treaty::Spec spec = Load("start-1");
  size_t limit = 0;
  for (size_t l = 0; l < spec.limits.size(); ++l) {
    if (spec.limits[l].id == "accountable_warheads") limit = l;
  }
  ItemSet items;
  Tally tally(spec);
  auto bomber = [](std::string id, int capacity) {
    Item b;
    b.id = std::move(id);
    b.party = "US";
    b.category = "heavy_bomber";
    b.status = "deployed";
    b.attributes = {{"armament", "alcm"},
                    {"alcm_capacity", std::to_string(capacity)}};
    return b;
  };
  for (int i = 1; i <= 150; ++i) {
    ASSERT_TRUE(items.AddItem(bomber(fmt::format("B{:03}", i), 20)).ok());
    tally.Add(*items.FindItem(fmt::format("B{:03}", i)));
  }
  const int us = tally.PartyIndex("US");
  ASSERT_GE(us, 0);
  Result<int64_t> v = tally.Value(limit, static_cast<size_t>(us), items);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(*v, 1500);
  ASSERT_TRUE(items.AddItem(bomber("A000", 12)).ok());
  tally.Add(*items.FindItem("A000"));
  v = tally.Value(limit, static_cast<size_t>(us), items);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(*v, 1500 + 20);  // B150 is now the 151st, at its capacity
}

TEST(TallyTest, WithoutSpecReadsFail) {
  Tally t;
  ItemSet items;
  EXPECT_FALSE(t.All(items).ok());
  EXPECT_FALSE(t.Value(0, 0, items).ok());
}

}  // namespace
}  // namespace detente::registry

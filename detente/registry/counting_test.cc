#include "detente/registry/counting.h"

#include <gtest/gtest.h>

#include "detente/registry/item.h"

namespace detente::registry {
namespace {

using treaty::Limit;
using treaty::Spec;
using treaty::Term;
using treaty::Weight;

Date D(const char* s) { return *Date::Parse(s); }

Weight W(Weight::Kind k, int64_t c = 0, std::string attr = "") {
  Weight w;
  w.kind = k;
  w.constant = c;
  w.attribute = std::move(attr);
  return w;
}

Term T(std::string cat, std::vector<std::string> st, Weight w) {
  Term t;
  t.category = std::move(cat);
  t.statuses = std::move(st);
  t.weight = std::move(w);
  return t;
}

// New START's three central limits, built by hand (the loader has its own
// tests; this one tests counting alone).
Spec MiniNewStart() {
  Spec s;
  s.id = "mini";
  s.dates.entry_into_force = D("2011-02-05");
  s.dates.expiry = D("2026-02-05");
  s.parties = {{"US", "United States"}, {"RU", "Russia"}};
  s.statuses = {
      {"deployed", "", ""}, {"non_deployed", "", ""}, {"test", "", ""}};
  treaty::Category icbm;
  icbm.id = "icbm";
  icbm.carries_warheads = true;
  treaty::Category bomber;
  bomber.id = "heavy_bomber";
  bomber.attributes = {
      {"armament", treaty::ValueType::kString, false, ""},
      {"alcm_capacity", treaty::ValueType::kInteger, false, ""}};
  treaty::Category launcher;
  launcher.id = "icbm_launcher";
  s.categories = {icbm, bomber, launcher};

  Limit dv;
  dv.id = "deployed_delivery_vehicles";
  dv.max = 700;
  dv.effective = D("2018-02-05");
  dv.terms = {T("icbm", {"deployed"}, W(Weight::Kind::kOne)),
              T("heavy_bomber", {"deployed"}, W(Weight::Kind::kOne))};
  Limit wh;
  wh.id = "deployed_warheads";
  wh.max = 1550;
  wh.effective = D("2018-02-05");
  wh.terms = {T("icbm", {"deployed"}, W(Weight::Kind::kWarheads)),
              T("heavy_bomber", {"deployed"}, W(Weight::Kind::kConstant, 1))};
  Limit ln;
  ln.id = "deployed_and_nondeployed_launchers";
  ln.max = 800;
  ln.effective = D("2018-02-05");
  ln.terms = {
      T("icbm_launcher", {"deployed", "non_deployed"}, W(Weight::Kind::kOne)),
      T("heavy_bomber", {"deployed", "non_deployed"}, W(Weight::Kind::kOne))};
  s.limits = {dv, wh, ln};
  return s;
}

Item I(std::string id, std::string party, std::string cat, std::string status,
       int64_t warheads = 0) {
  Item it;
  it.id = std::move(id);
  it.party = std::move(party);
  it.category = std::move(cat);
  it.status = std::move(status);
  it.warheads = warheads;
  return it;
}

ItemSet Forces() {
  ItemSet set;
  EXPECT_TRUE(set.AddItem(I("US-M1", "US", "icbm", "deployed", 1)).ok());
  EXPECT_TRUE(set.AddItem(I("US-M2", "US", "icbm", "deployed", 3)).ok());
  EXPECT_TRUE(set.AddItem(I("US-M3", "US", "icbm", "non_deployed", 0)).ok());
  EXPECT_TRUE(set.AddItem(I("US-L1", "US", "icbm_launcher", "deployed")).ok());
  EXPECT_TRUE(set.AddItem(I("US-L2", "US", "icbm_launcher", "deployed")).ok());
  EXPECT_TRUE(
      set.AddItem(I("US-L3", "US", "icbm_launcher", "non_deployed")).ok());
  EXPECT_TRUE(set.AddItem(I("US-L4", "US", "icbm_launcher", "test")).ok());
  EXPECT_TRUE(set.AddItem(I("US-B1", "US", "heavy_bomber", "deployed")).ok());
  EXPECT_TRUE(
      set.AddItem(I("US-B2", "US", "heavy_bomber", "non_deployed")).ok());
  EXPECT_TRUE(set.AddItem(I("RU-M1", "RU", "icbm", "deployed", 4)).ok());
  EXPECT_TRUE(set.AddItem(I("RU-L1", "RU", "icbm_launcher", "deployed")).ok());
  return set;
}

TEST(CountingTest, NewStartTermsPerParty) {
  Spec spec = MiniNewStart();
  ItemSet set = Forces();
  Aggregate dv = *Count(spec.limits[0], set, "US");
  EXPECT_EQ(dv.value, 3);  // 2 deployed ICBMs + 1 deployed bomber
  ASSERT_EQ(dv.terms.size(), 2u);
  EXPECT_EQ(dv.terms[0].items, 2);
  EXPECT_EQ(dv.terms[1].value, 1);
  // Warheads: 1 + 3 emplaced, plus one for the deployed bomber.
  EXPECT_EQ(Count(spec.limits[1], set, "US")->value, 5);
  // Launchers: 3 ICBM launchers (the test launcher is not counted) + 2
  // bombers.
  EXPECT_EQ(Count(spec.limits[2], set, "US")->value, 5);
  EXPECT_EQ(Count(spec.limits[1], set, "RU")->value, 4);
  EXPECT_EQ(Count(spec.limits[0], set, "CN")->value, 0);
}

TEST(CountingTest, LimitsBindOnlyFromEffectiveDateToExpiry) {
  Spec spec = MiniNewStart();
  const Limit& wh = spec.limits[1];
  EXPECT_EQ(Evaluate(spec, wh, 1800, D("2018-02-04")),
            LimitState::kInformational);
  EXPECT_EQ(Evaluate(spec, wh, 1800, D("2018-02-05")), LimitState::kOver);
  EXPECT_EQ(Evaluate(spec, wh, 1550, D("2018-02-05")), LimitState::kWithin);
  EXPECT_EQ(Evaluate(spec, wh, 1551, D("2026-02-04")), LimitState::kOver);
  EXPECT_EQ(Evaluate(spec, wh, 1551, D("2026-02-05")),
            LimitState::kInformational);
  spec.dates.ended = D("2023-02-28");
  EXPECT_EQ(Evaluate(spec, wh, 1551, D("2023-02-28")),
            LimitState::kInformational);
}

TEST(CountingTest, MinimumGivesUnder) {
  Spec spec = MiniNewStart();
  Limit range = spec.limits[1];
  range.min = 1700;
  range.max = 2200;
  EXPECT_EQ(Evaluate(spec, range, 1699, D("2019-01-01")), LimitState::kUnder);
  EXPECT_EQ(Evaluate(spec, range, 1700, D("2019-01-01")), LimitState::kWithin);
  EXPECT_EQ(Evaluate(spec, range, 2201, D("2019-01-01")), LimitState::kOver);
}

TEST(CountingTest, CheckAllReportsHeadroomAndOverage) {
  Spec spec = MiniNewStart();
  spec.limits[1].max = 4;  // make the US overshoot
  ItemSet set = Forces();
  std::vector<LimitCheck> checks = *CheckAll(spec, set, D("2019-01-01"));
  ASSERT_EQ(checks.size(), 6u);  // 3 limits x 2 parties
  EXPECT_EQ(checks[2].aggregate.limit_id, "deployed_warheads");
  EXPECT_EQ(checks[2].aggregate.party, "US");
  EXPECT_EQ(checks[2].state, LimitState::kOver);
  EXPECT_EQ(*checks[2].headroom, -1);
  EXPECT_EQ(checks[3].state, LimitState::kWithin);
  EXPECT_EQ(*checks[3].headroom, 0);
  std::vector<LimitCheck> before = *CheckAll(spec, set, D("2017-01-01"));
  EXPECT_FALSE(before[2].binding);
  EXPECT_EQ(before[2].state, LimitState::kInformational);
}

// START I style attribution: the first N matching bombers (in identifier
// order) count a constant, the rest their actual ALCM capacity.
TEST(CountingTest, AttributionWithFirstAndThen) {
  Spec spec = MiniNewStart();
  Limit lim;
  lim.id = "accountable_warheads";
  lim.max = 6000;
  lim.effective = D("2011-02-05");
  Term alcm = T("heavy_bomber", {"deployed"}, W(Weight::Kind::kConstant, 10));
  alcm.parties = {"US"};
  alcm.where = {{"armament", std::string("alcm"), std::nullopt, std::nullopt}};
  alcm.first = 2;
  alcm.then = W(Weight::Kind::kAttribute, 0, "alcm_capacity");
  Term other = T("heavy_bomber", {"deployed"}, W(Weight::Kind::kOne));
  other.where = {
      {"armament", std::string("gravity"), std::nullopt, std::nullopt}};
  lim.terms = {alcm, other};

  ItemSet set;
  for (const char* id : {"B-03", "B-01", "B-02"}) {
    Item b = I(id, "US", "heavy_bomber", "deployed");
    b.attributes["armament"] = "alcm";
    b.attributes["alcm_capacity"] = "20";
    ASSERT_TRUE(set.AddItem(b).ok());
  }
  Item g = I("B-09", "US", "heavy_bomber", "deployed");
  g.attributes["armament"] = "gravity";
  ASSERT_TRUE(set.AddItem(g).ok());
  Item ru = I("R-01", "RU", "heavy_bomber", "deployed");
  ru.attributes["armament"] = "alcm";
  ASSERT_TRUE(set.AddItem(ru).ok());

  Aggregate us = *Count(lim, set, "US");
  EXPECT_EQ(us.terms[0].items, 3);
  EXPECT_EQ(us.terms[0].value, 10 + 10 + 20);
  EXPECT_EQ(us.terms[1].value, 1);
  EXPECT_EQ(us.value, 41);
  // The US-only term does not count Russian bombers.
  EXPECT_EQ(Count(lim, set, "RU")->value, 0);

  // Without `then`, items beyond the first N add nothing.
  lim.terms[0].then.reset();
  EXPECT_EQ(Count(lim, set, "US")->terms[0].value, 20);

  // An attribute weight on an item lacking the attribute is an error that
  // names the item.
  lim.terms[0].first = 0;
  lim.terms[0].then = W(Weight::Kind::kAttribute, 0, "alcm_capacity");
  ASSERT_TRUE(set.AddItem([] {
                   Item x = I("B-00", "US", "heavy_bomber", "deployed");
                   x.attributes["armament"] = "alcm";
                   return x;
                 }())
                  .ok());
  Result<Aggregate> bad = Count(lim, set, "US");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("B-00"), std::string_view::npos);
}

TEST(CountingTest, RangeBandCondition) {
  Spec spec = MiniNewStart();
  Limit ban;
  ban.id = "banned";
  ban.max = 0;
  ban.effective = D("2011-02-05");
  Term t = T("icbm", {"deployed", "non_deployed"}, W(Weight::Kind::kOne));
  t.where = {{"range_km", std::nullopt, 500, 5500}};
  ban.terms = {t};
  ItemSet set;
  int n = 0;
  for (const char* r : {"499", "500", "5500", "5501", "x"}) {
    Item m = I("M" + std::to_string(n++), "US", "icbm", "deployed");
    m.attributes["range_km"] = r;
    ASSERT_TRUE(set.AddItem(m).ok());
  }
  EXPECT_EQ(Count(ban, set, "US")->value, 2);
  EXPECT_EQ(Evaluate(spec, ban, 2, D("2012-01-01")), LimitState::kOver);
  EXPECT_EQ(Evaluate(spec, ban, 0, D("2012-01-01")), LimitState::kWithin);
}

TEST(ItemSetTest, DuplicateIdentifierRefusedAndOrderedById) {
  ItemSet set;
  ASSERT_TRUE(set.AddItem(I("b", "US", "icbm", "deployed")).ok());
  ASSERT_TRUE(set.AddItem(I("a", "US", "icbm", "deployed")).ok());
  Status dup = set.AddItem(I("a", "RU", "icbm", "deployed"));
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.message().find("'a'"), std::string_view::npos);
  EXPECT_EQ(set.items().begin()->first, "a");
  EXPECT_EQ(set.FindItem("a")->party, "US");
  EXPECT_EQ(set.FindItem("zz"), nullptr);
}

}  // namespace
}  // namespace detente::registry

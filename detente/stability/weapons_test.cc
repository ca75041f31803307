#include "detente/stability/weapons.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace detente::stability {
namespace {

using ::testing::HasSubstr;

const std::string kData = std::string(DETENTE_SOURCE_DIR) + "/data";

// A valid one-system file; tests replace one line to break it.
std::string SystemToml(std::string_view field_line = "",
                       std::string_view replaced = "") {
  std::string text =
      "[[system]]\n"
      "id = \"x_silo\"\n"
      "name = \"Test silo ICBM\"\n"
      "side = \"X\"\n"
      "basing = \"silo\"\n"
      "warheads_per_missile = { value = 1, source = \"s\" }\n"
      "yield_kt = { value = 300, source = \"s\" }\n"
      "cep_m = { value = 120, source = \"s\" }\n"
      "reliability = { value = 0.8, source = \"s\" }\n"
      "hardness_psi = { value = 2000, notional = true }\n"
      "alert_day_to_day = { value = 0, notional = true }\n"
      "alert_generated = { value = 0, notional = true }\n"
      "launchers_per_aim_point = { value = 1, source = \"s\" }\n";
  if (!replaced.empty()) {
    size_t at = text.find(replaced);
    size_t end = text.find('\n', at);
    text.replace(at, end - at, field_line);
  }
  return text;
}

TEST(StabilityWeapons, ValidSystemLoads) {
  auto c = LoadWeaponsString(SystemToml(), "t.toml");
  ASSERT_TRUE(c.ok()) << c.status();
  const WeaponSystem* s = c->Find("x_silo");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->basing, Basing::kSilo);
  EXPECT_EQ(s->yield_kt, 300.0);
  EXPECT_EQ(s->line, 1);
  EXPECT_TRUE(s->provenance.at("hardness_psi").notional);
  EXPECT_EQ(s->provenance.at("cep_m").source, "s");
}

struct BadCase {
  const char* replaced;
  const char* line;
  const char* expect;  // file:line:column: field: message fragment
};

class StabilityWeaponsBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(StabilityWeaponsBad, NamesFileLineAndField) {
  const BadCase& c = GetParam();
  auto r = LoadWeaponsString(SystemToml(c.line, c.replaced), "w.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.expect));
}

INSTANTIATE_TEST_SUITE_P(
    StabilityCases, StabilityWeaponsBad,
    ::testing::Values(
        BadCase{"yield_kt", "yield_kt = { value = -5, source = \"s\" }",
                "w.toml:7:22: system[0].yield_kt: must be > 0 (got -5)"},
        BadCase{"cep_m", "cep_m = { value = 0, source = \"s\" }",
                "w.toml:8:19: system[0].cep_m: must be > 0 (got 0)"},
        BadCase{"cep_m", "cep_m = { value = -1.5, source = \"s\" }",
                "w.toml:8:19: system[0].cep_m: must be > 0"},
        BadCase{"reliability", "reliability = { value = 1.2, source = \"s\" }",
                "w.toml:9:25: system[0].reliability: must be in [0, 1]"},
        BadCase{"reliability", "reliability = { value = -0.1, source = \"s\" }",
                "w.toml:9:25: system[0].reliability: must be in [0, 1]"},
        BadCase{"alert_generated",
                "alert_generated = { value = 2, notional = true }",
                "w.toml:12:29: system[0].alert_generated: must be in [0, 1]"},
        BadCase{"hardness_psi", "hardness_psi = { value = 2000 }",
                "w.toml:10:16: system[0].hardness_psi: has neither a source "
                "nor notional = true"},
        BadCase{"hardness_psi", "hardness_psi = 2000",
                "w.toml:10:16: system[0].hardness_psi: expected a table"},
        BadCase{"hardness_psi",
                "hardness_psi = { value = 1, source = \"s\", notional = true "
                "}",
                "system[0].hardness_psi: a figure is either sourced or "
                "notional"},
        BadCase{"basing", "basing = \"orbital\"",
                "w.toml:5:10: system[0].basing: unknown basing \"orbital\""},
        BadCase{"warheads_per_missile",
                "warheads_per_missile = { value = 2.5, source = \"s\" }",
                "system[0].warheads_per_missile: must be a positive integer"},
        BadCase{"name", "colour = \"red\"",
                "w.toml:3:1: system[0].colour: unknown field"},
        BadCase{"id = ", "id = \"X Silo\"",
                "w.toml:2:6: system[0].id: \"X Silo\" is not a lower-case id"},
        BadCase{"launchers_per_aim_point",
                "launchers_per_aim_point = { value = 4, source = \"s\" }",
                "system[0].launchers_per_aim_point: must be 1 for a "
                "silo-based system"}));

TEST(StabilityWeapons, MissingFieldNamesTheTable) {
  auto r = LoadWeaponsString(SystemToml("", "cep_m"), "w.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("w.toml:1:1: system[0].cep_m: missing"));
}

TEST(StabilityWeapons, EveryErrorInOneRun) {
  std::string text =
      SystemToml("yield_kt = { value = -5, source = \"s\" }", "yield_kt");
  size_t at = text.find("reliability = { value = 0.8");
  text.replace(at, 27, "reliability = { value = 7.0");
  auto r = LoadWeaponsString(text, "w.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("yield_kt"));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("reliability"));
}

TEST(StabilityWeapons, SyntaxErrorHasALine) {
  auto r = LoadWeaponsString("[[system]]\nid = \n", "w.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("w.toml:2:"));
}

TEST(StabilityWeapons, DuplicateIdIsRefused) {
  auto r = LoadWeaponsString(SystemToml() + SystemToml(), "w.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("\"x_silo\" is already defined at w.toml:1"));
}

TEST(StabilityWeapons, MissingFileIsNotFound) {
  auto r = LoadWeaponsFile(kData + "/weapons/nope.toml");
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

// --- postures -------------------------------------------------------------

WeaponCatalog TestCatalog() {
  auto c = LoadWeaponsString(SystemToml(), "t.toml");
  EXPECT_TRUE(c.ok()) << c.status();
  return std::move(c).value();
}

TEST(StabilityPosture, UnknownSystem) {
  auto r = LoadPostureString(
      "name = \"p\"\nside = \"X\"\nalert = \"day_to_day\"\nnotional = true\n"
      "[[force]]\nsystem = \"ss_99\"\n"
      "launchers = { value = 1, notional = true }\n"
      "warheads = { value = 1, notional = true }\n",
      "p.toml", TestCatalog());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("p.toml:6:10: force[0].system: unknown system "
                        "\"ss_99\""));
}

TEST(StabilityPosture, EmptyPostureIsRefused) {
  const char* head =
      "name = \"p\"\nside = \"X\"\nalert = \"day_to_day\"\nnotional = true\n";
  auto none = LoadPostureString(head, "p.toml", TestCatalog());
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(std::string(none.status().message()),
              HasSubstr("p.toml:1:1: force: the posture is empty"));
  auto zero =
      LoadPostureString(std::string(head) +
                            "[[force]]\nsystem = \"x_silo\"\n"
                            "launchers = { value = 0, notional = true }\n"
                            "warheads = { value = 0, notional = true }\n",
                        "p.toml", TestCatalog());
  ASSERT_FALSE(zero.ok());
  EXPECT_THAT(std::string(zero.status().message()),
              HasSubstr("force: the posture is empty: every force has 0 "
                        "launchers"));
}

TEST(StabilityPosture, BadCountsAndAlert) {
  auto r = LoadPostureString(
      "name = \"p\"\nside = \"X\"\nalert = \"high\"\nnotional = true\n"
      "[[force]]\nsystem = \"x_silo\"\n"
      "launchers = { value = -3, notional = true }\n"
      "warheads = { value = 1, notional = true }\n"
      "[[force]]\nsystem = \"x_silo\"\n"
      "launchers = { value = 2, notional = true }\n"
      "warheads = { value = 3, notional = true }\n",
      "p.toml", TestCatalog());
  ASSERT_FALSE(r.ok());
  std::string m(r.status().message());
  EXPECT_THAT(m, HasSubstr("p.toml:3:9: alert: unknown alert level \"high\""));
  EXPECT_THAT(m, HasSubstr("p.toml:7:23: force[0].launchers.value: must be a "
                           "non-negative integer (got -3)"));
  EXPECT_THAT(m, HasSubstr("p.toml:12:22: force[1].warheads: 3 warheads "
                           "exceed 2 launchers x 1 per missile"));
}

TEST(StabilityPosture, CountWithoutProvenance) {
  auto r = LoadPostureString(
      "name = \"p\"\nside = \"X\"\nalert = \"generated\"\n"
      "[[force]]\nsystem = \"x_silo\"\n"
      "launchers = { value = 3 }\n"
      "warheads = { value = 3, notional = true }\n",
      "p.toml", TestCatalog());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("p.toml:6:13: force[0].launchers: has neither a "
                        "source nor notional = true"));
}

// --- bundled data ---------------------------------------------------------

TEST(StabilityBundledData, WeaponsLoadAndEveryFigureHasProvenance) {
  auto c = LoadWeaponsDir(kData + "/weapons");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_GE(c->systems().size(), 9u);
  for (const WeaponSystem& s : c->systems()) {
    EXPECT_EQ(s.provenance.size(), 8u) << s.id;
    for (const auto& [field, p] : s.provenance) {
      EXPECT_TRUE(p.notional != !p.source.empty()) << s.id << "." << field;
    }
    EXPECT_TRUE(ValidateSystem(s, s.file).ok()) << s.id;
  }
  // Sourced figures of reference §5 (spot checks).
  EXPECT_EQ(c->Find("us_trident2_w88")->yield_kt, 455.0);
  EXPECT_EQ(c->Find("us_minuteman3")->cep_m, 120.0);
  EXPECT_EQ(c->Find("ru_icbm_silo")->hardness_psi, 5000.0);
}

TEST(StabilityBundledData, PosturesMatchTheirSources) {
  auto c = LoadWeaponsDir(kData + "/weapons");
  ASSERT_TRUE(c.ok()) << c.status();
  auto us = LoadPostureFile(kData + "/postures/us-new-start-2020.toml", *c);
  ASSERT_TRUE(us.ok()) << us.status();
  EXPECT_EQ(us->id, "us-new-start-2020");
  // New START, 1 Sept 2020: 675 deployed, 1,457 warheads.
  EXPECT_EQ(us->TotalLaunchers(), 675);
  EXPECT_EQ(us->TotalWarheads(), 1457);
  auto ru = LoadPostureFile(kData + "/postures/russia-2024.toml", *c);
  ASSERT_TRUE(ru.ok()) << ru.status();
  // CRS 2024: 326 + 192 + 58 launchers; FAS 2024: 870 + 640 + 200.
  EXPECT_EQ(ru->TotalLaunchers(), 576);
  EXPECT_EQ(ru->TotalWarheads(), 1710);
  EXPECT_TRUE(ru->provenance.notional);
}

// --- postures from aggregates ---------------------------------------------

TEST(StabilityAggregates, UsPostureFromNewStartAggregates) {
  auto c = LoadWeaponsDir(kData + "/weapons");
  ASSERT_TRUE(c.ok()) << c.status();
  auto set = LoadAssumptionsFile(kData + "/assumptions/us-2020.toml", *c);
  ASSERT_TRUE(set.ok()) << set.status();
  std::vector<CategoryAggregate> agg = {{Category::kIcbm, 397, 397},
                                        {Category::kSlbm, 230, 1012},
                                        {Category::kHeavyBomber, 48, 48}};
  auto p =
      PostureFromAggregates("us", "US", agg, *set, *c, AlertLevel::kGenerated);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->alert, AlertLevel::kGenerated);
  ASSERT_EQ(p->forces.size(), 4u);
  EXPECT_EQ(p->forces[2].system.id, "us_b52h_alcm");
  EXPECT_EQ(p->forces[2].launchers, 36);
  EXPECT_EQ(p->forces[3].launchers, 12);
  EXPECT_EQ(p->TotalLaunchers(), 675);
  EXPECT_EQ(p->TotalWarheads(), 1457);
  // The same forces as the hand-written posture of the same date.
  auto file = LoadPostureFile(kData + "/postures/us-new-start-2020.toml", *c);
  ASSERT_TRUE(file.ok());
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(p->forces[i].system.id, file->forces[i].system.id);
    EXPECT_EQ(p->forces[i].launchers, file->forces[i].launchers);
    EXPECT_EQ(p->forces[i].warheads, file->forces[i].warheads);
  }
}

TEST(StabilityAggregates, LargestRemainderKeepsTotals) {
  auto c = LoadWeaponsDir(kData + "/weapons");
  ASSERT_TRUE(c.ok());
  auto set = LoadAssumptionsFile(kData + "/assumptions/russia-2024.toml", *c);
  ASSERT_TRUE(set.ok()) << set.status();
  auto p = PostureFromAggregates("ru", "Russia", {{Category::kIcbm, 327, 871}},
                                 *set, *c, AlertLevel::kDayToDay);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->forces.size(), 2u);
  EXPECT_EQ(p->forces[0].launchers, 164);  // tie to the earlier system
  EXPECT_EQ(p->forces[1].launchers, 163);
  EXPECT_EQ(p->forces[0].warheads + p->forces[1].warheads, 871);
}

TEST(StabilityAggregates, Errors) {
  auto c = LoadWeaponsDir(kData + "/weapons");
  ASSERT_TRUE(c.ok());
  auto set = LoadAssumptionsFile(kData + "/assumptions/us-2020.toml", *c);
  ASSERT_TRUE(set.ok());
  auto neg = PostureFromAggregates("us", "US", {{Category::kIcbm, -1, 0}}, *set,
                                   *c, AlertLevel::kDayToDay);
  EXPECT_THAT(std::string(neg.status().message()),
              HasSubstr("aggregates[0] (icbm): deployed_launchers and "
                        "deployed_warheads must be >= 0"));
  auto heavy = PostureFromAggregates("us", "US", {{Category::kIcbm, 10, 50}},
                                     *set, *c, AlertLevel::kDayToDay);
  EXPECT_THAT(std::string(heavy.status().message()),
              HasSubstr("50 warheads on 10 launchers of us_minuteman3 exceed "
                        "its 1 per missile"));
  auto empty = PostureFromAggregates("us", "US", {{Category::kIcbm, 0, 0}},
                                     *set, *c, AlertLevel::kDayToDay);
  EXPECT_THAT(std::string(empty.status().message()),
              HasSubstr("the posture is empty"));
  AssumptionSet partial = *set;
  partial.categories.erase(Category::kSlbm);
  auto uncovered =
      PostureFromAggregates("us", "US", {{Category::kSlbm, 10, 40}}, partial,
                            *c, AlertLevel::kDayToDay);
  EXPECT_THAT(std::string(uncovered.status().message()),
              HasSubstr("does not cover category slbm"));
}

TEST(StabilityAggregates, AssumptionFileErrors) {
  auto c = LoadWeaponsDir(kData + "/weapons");
  ASSERT_TRUE(c.ok());
  auto r = LoadAssumptionsString(
      "side = \"US\"\ndescription = \"d\"\nnotional = true\n"
      "[[category]]\nname = \"icbm\"\n"
      "systems = [{ system = \"us_minuteman3\", share = 0.6 }, "
      "{ system = \"ss_99\", share = 0.3 }]\n"
      "[[category]]\nname = \"cruise\"\nsystems = [{ system = "
      "\"us_minuteman3\", share = 1.0 }]\n",
      "a.toml", *c);
  ASSERT_FALSE(r.ok());
  std::string m(r.status().message());
  EXPECT_THAT(m, HasSubstr("category[0].systems[1].system: unknown system "
                           "\"ss_99\""));
  EXPECT_THAT(m, HasSubstr("a.toml:6:11: category[0].systems: shares sum to "
                           "0.9, not 1"));
  EXPECT_THAT(m, HasSubstr("a.toml:8:8: category[1].name: unknown category "
                           "\"cruise\""));
}

}  // namespace
}  // namespace detente::stability

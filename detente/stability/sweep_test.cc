#include "detente/stability/sweep.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace detente::stability {
namespace {

using ::testing::HasSubstr;

const std::string kData = std::string(DETENTE_SOURCE_DIR) + "/data";

class StabilitySweepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = LoadWeaponsDir(kData + "/weapons");
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalog_ = *c;
  }
  Result<SweepSpec> Load(const std::string& text) {
    return LoadSweepString(text, "t.toml", catalog_, kData + "/postures");
  }
  WeaponCatalog catalog_;
};

constexpr char kHeader[] = R"([sweep]
a = "us-new-start-2020"
b = "russia-2024"
)";

TEST_F(StabilitySweepTest, GridIsTheProductLastAxisFastest) {
  auto spec = Load(std::string(kHeader) + R"(
[[axis]]
parameter = "cep_m"
values = [100, 200, 300]
[[axis]]
parameter = "warhead_limit"
from = 400
to = 1000
step = 300
)");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->Points(), 9);
  EXPECT_EQ(spec->axes[1].values, (std::vector<double>{400, 700, 1000}));
  EXPECT_EQ(spec->Coordinates(5), (std::vector<size_t>{1, 2}));
  EXPECT_EQ(SweepColumns(*spec)[1], "cep_m");
  EXPECT_EQ(SweepColumns(*spec)[2], "warhead_limit");
}

TEST_F(StabilitySweepTest, WarheadLimitFillsForcesUpToTheirCapacity) {
  auto spec = Load(std::string(kHeader) + R"(
[[axis]]
parameter = "warhead_limit"
values = [400, 2500, 100000]
)");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  int64_t capacity_a = 0;
  for (const Force& f : spec->a.forces)
    capacity_a += f.launchers * f.system.warheads_per_missile;
  for (size_t point = 0; point < 3; ++point) {
    auto p = PointPostures(*spec, static_cast<int64_t>(point));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    int64_t want = std::min<int64_t>(
        static_cast<int64_t>(spec->axes[0].values[point]), capacity_a);
    EXPECT_EQ(p->first.TotalWarheads(), want) << point;
    for (const Force& f : p->first.forces) {
      EXPECT_LE(f.warheads, f.launchers * f.system.warheads_per_missile);
    }
    EXPECT_TRUE(ValidatePosture(p->first).ok());
    EXPECT_TRUE(ValidatePosture(p->second).ok());
  }
  // At 2,500 the MM-III force (one warhead a missile) is full: the excess
  // went to the others.
  auto p = PointPostures(*spec, 1);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->first.forces[0].system.id, "us_minuteman3");
  EXPECT_EQ(p->first.forces[0].warheads, p->first.forces[0].launchers);
}

TEST_F(StabilitySweepTest, AxesChangeTheirSideOnly) {
  auto spec = Load(std::string(kHeader) + R"(
[[axis]]
parameter = "mirv_loading"
side = "b"
system = "ru_icbm_silo"
values = [1, 4]
[[axis]]
parameter = "silo_hardness"
side = "a"
values = [1234]
)");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  auto p = PointPostures(*spec, 0);
  ASSERT_TRUE(p.ok());
  for (const Force& f : p->second.forces) {
    if (f.system.id == "ru_icbm_silo") {
      EXPECT_EQ(f.warheads, f.launchers);
    }
    EXPECT_NE(f.system.hardness_psi, 1234);
  }
  EXPECT_EQ(p->first.forces[0].system.hardness_psi, 1234);
  EXPECT_NE(p->first.forces[1].system.hardness_psi, 1234);  // a submarine
}

TEST_F(StabilitySweepTest, RowsDoNotDependOnThreadsOrPartition) {
  auto spec = LoadSweepFile(kData + "/sweeps/small.toml", catalog_,
                            kData + "/postures");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  SweepRunOptions one;
  auto a = RunSweep(*spec, one);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  SweepRunOptions two;
  two.threads = 2;
  two.points = {7, 3, 5, 1, 6, 2, 4, 0};
  auto b = RunSweep(*spec, two);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(a->size(), 8u);
  for (size_t i = 0; i < b->size(); ++i) {
    EXPECT_EQ((*b)[i], (*a)[static_cast<size_t>(two.points[i])]) << i;
  }
  // The grid really moves the measures: harder Russian silos survive better.
  auto cols = SweepColumns(*spec);
  auto surv = static_cast<size_t>(
      std::find(cols.begin(), cols.end(), "surviving_b") - cols.begin());
  EXPECT_GT((*a)[7][surv], (*a)[3][surv]);
  // And the index is in [0, 1] everywhere.
  auto idx = static_cast<size_t>(std::find(cols.begin(), cols.end(), "index") -
                                 cols.begin());
  for (const auto& row : *a) {
    EXPECT_GE(row[idx], 0.0);
    EXPECT_LE(row[idx], 1.0);
  }
}

TEST_F(StabilitySweepTest, ErrorsNameLineAndField) {
  auto empty = Load(std::string(kHeader) + R"(
[[axis]]
parameter = "cep_m"
values = []
)");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().ToString(),
              HasSubstr("t.toml:7:10: axis[0].values: no values"));
  auto bad = Load(std::string(kHeader) + R"(
[[axis]]
parameter = "reliability"
values = [0.5, 1.5]
[[axis]]
parameter = "yield_kt"
values = [-5]
[[axis]]
parameter = "cep_m"
system = "no_such"
values = [100]
[[axis]]
parameter = "speed"
values = [1]
)");
  ASSERT_FALSE(bad.ok());
  std::string m = bad.status().ToString();
  EXPECT_THAT(m,
              HasSubstr("t.toml:7:16: axis[0].values[1]: must be in [0, 1]"));
  EXPECT_THAT(m, HasSubstr("t.toml:10:11: axis[1].values[0]: must be > 0"));
  EXPECT_THAT(
      m, HasSubstr("t.toml:13:10: axis[2].system: unknown system \"no_such\""));
  EXPECT_THAT(m, HasSubstr("t.toml:16:13: axis[3].parameter: unknown"));
  auto no_posture = Load(R"([sweep]
a = "us-new-start-2020"
b = "nowhere"
[[axis]]
parameter = "cep_m"
values = [100]
)");
  ASSERT_FALSE(no_posture.ok());
  EXPECT_THAT(no_posture.status().ToString(),
              HasSubstr("t.toml:3:5: sweep.b: "));
  EXPECT_THAT(no_posture.status().ToString(), HasSubstr("nowhere.toml"));
}

}  // namespace
}  // namespace detente::stability

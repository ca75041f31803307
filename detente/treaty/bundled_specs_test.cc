// Every spec shipped in data/treaties must load cleanly: the loader is the
// schema, so this is the check that the data and the format agree.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "detente/treaty/catalog.h"
#include "detente/treaty/loader.h"

namespace detente::treaty {
namespace {

const std::string kDataDir = std::string(DETENTE_SOURCE_DIR) + "/data";

TEST(BundledSpecsTest, EveryBundledSpecLoads) {
  Result<std::vector<std::string>> files = ListSpecFiles(kDataDir);
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_FALSE(files->empty()) << "no specs in " << kDataDir << "/treaties";
  for (const std::string& path : *files) {
    std::vector<SpecError> errors;
    Result<Spec> spec = LoadSpecFile(path, &errors);
    EXPECT_TRUE(spec.ok()) << spec.status().message();
    if (spec.ok()) {
      EXPECT_EQ(spec->id, std::filesystem::path(path).stem().string());
    }
  }
}

TEST(BundledSpecsTest, EveryBundledSpecResolvesByName) {
  Result<std::vector<std::string>> files = ListSpecFiles(kDataDir);
  ASSERT_TRUE(files.ok()) << files.status();
  for (const std::string& path : *files) {
    std::string name = std::filesystem::path(path).stem().string();
    Result<std::string> resolved = ResolveSpecPath(name, kDataDir);
    ASSERT_TRUE(resolved.ok()) << resolved.status();
    EXPECT_EQ(*resolved, path);
  }
}

// The central limit of New START as docs/treaty-spec.md shows it.
TEST(BundledSpecsTest, NewStartCentralLimits) {
  Result<Spec> spec = LoadSpecByName("new-start", kDataDir);
  if (!spec.ok() && spec.status().code() == StatusCode::kNotFound) {
    GTEST_SKIP() << "new-start.toml not bundled yet";
  }
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->dates.entry_into_force, *Date::Parse("2011-02-05"));
  const Limit* warheads = spec->FindLimit("deployed_warheads");
  ASSERT_NE(warheads, nullptr);
  EXPECT_EQ(warheads->max, 1550);
  EXPECT_EQ(warheads->effective, *Date::Parse("2018-02-05"));
  EXPECT_NE(spec->FindParty("US"), nullptr);
  EXPECT_NE(spec->FindParty("RU"), nullptr);
}

}  // namespace
}  // namespace detente::treaty

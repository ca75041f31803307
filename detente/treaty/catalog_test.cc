#include "detente/treaty/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace detente::treaty {
namespace {

using ::testing::HasSubstr;

namespace fs = std::filesystem;

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = fs::path(::testing::TempDir()) /
            ("catalog_test_" + std::to_string(::getpid()));
    fs::create_directories(data_ / "treaties");
    for (const char* name :
         {"sort.toml", "inf.toml", "new-start.toml", "notes.txt"}) {
      std::ofstream(data_ / "treaties" / name) << "# empty\n";
    }
    fs::create_directories(data_ / "treaties" / "old.toml");  // a directory
  }
  void TearDown() override { fs::remove_all(data_); }

  std::string Treaty(const char* name) const {
    return (data_ / "treaties" / name).string();
  }

  fs::path data_;
};

TEST_F(CatalogTest, ListsTomlFilesSorted) {
  Result<std::vector<std::string>> files = ListSpecFiles(data_.string());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(*files, (std::vector<std::string>{Treaty("inf.toml"),
                                              Treaty("new-start.toml"),
                                              Treaty("sort.toml")}));
}

TEST_F(CatalogTest, ListingAMissingDirectoryIsNotFound) {
  Result<std::vector<std::string>> files =
      ListSpecFiles((data_ / "nowhere").string());
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogTest, ResolvesNamesAndPaths) {
  EXPECT_EQ(*ResolveSpecPath("new-start", data_.string()),
            Treaty("new-start.toml"));
  EXPECT_EQ(*ResolveSpecPath("new-start.toml", data_.string()),
            Treaty("new-start.toml"));
  // A path that exists is taken as given, wherever it is.
  EXPECT_EQ(*ResolveSpecPath(Treaty("inf.toml"), "/nonexistent"),
            Treaty("inf.toml"));
}

TEST_F(CatalogTest, UnknownNameListsAvailableNames) {
  Result<std::string> r = ResolveSpecPath("start-2", data_.string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(),
            "no treaty spec 'start-2' (available: inf, new-start, sort)");
  // A directory named like a spec is not a spec.
  EXPECT_FALSE(ResolveSpecPath("old", data_.string()).ok());
  // A path that does not exist is not looked up by name.
  Result<std::string> path = ResolveSpecPath("some/dir/sort", data_.string());
  ASSERT_FALSE(path.ok());
  EXPECT_THAT(std::string(path.status().message()),
              HasSubstr("'some/dir/sort'"));
}

TEST_F(CatalogTest, LoadSpecByNameReportsSpecErrors) {
  std::vector<SpecError> errors;
  Result<Spec> s = LoadSpecByName("sort", data_.string(), &errors);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].file, Treaty("sort.toml"));
  EXPECT_EQ(LoadSpecByName("nope", data_.string()).status().code(),
            StatusCode::kNotFound);
}

TEST(DefaultDataDirTest, EnvironmentOverridesTheBuiltInDirectory) {
  const char* saved = std::getenv("DETENTE_DATA_DIR");
  std::string saved_value = saved ? saved : "";
  ::unsetenv("DETENTE_DATA_DIR");
  EXPECT_EQ(DefaultDataDir(), std::string(DETENTE_SOURCE_DIR) + "/data");
  ::setenv("DETENTE_DATA_DIR", "/tmp/elsewhere", 1);
  EXPECT_EQ(DefaultDataDir(), "/tmp/elsewhere");
  ::setenv("DETENTE_DATA_DIR", "", 1);
  EXPECT_EQ(DefaultDataDir(), std::string(DETENTE_SOURCE_DIR) + "/data");
  if (saved != nullptr) {
    ::setenv("DETENTE_DATA_DIR", saved_value.c_str(), 1);
  } else {
    ::unsetenv("DETENTE_DATA_DIR");
  }
}

}  // namespace
}  // namespace detente::treaty

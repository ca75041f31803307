#include "detente/registry/items_io.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"

namespace detente::registry {
namespace {

using ::testing::HasSubstr;

const treaty::Spec& NewStart() { return treaty::testing::NewStartSpec(); }

TEST(ItemsCsvTest, ReadsItemsAndAttributesInIdentifierOrder) {
  treaty::Spec spec = NewStart();
  Result<ItemSet> set = ParseItemsCsv(
      "id,party,category,type,status,facility,warheads\n"
      "B,US,icbm,Minuteman III,deployed,Malmstrom,3\n"
      "A,RU,slbm,RSM-56,non_deployed,,\n",
      "x.csv", spec);
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->size(), 2u);
  EXPECT_EQ(set->items().begin()->first, "A");
  EXPECT_EQ(set->FindItem("B")->warheads, 3);
  EXPECT_EQ(set->FindItem("B")->facility, "Malmstrom");
  EXPECT_EQ(set->FindItem("A")->warheads, 0);
}

TEST(ItemsCsvTest, EveryBadRowReportedWithLineAndField) {
  treaty::Spec spec = NewStart();
  Result<ItemSet> set = ParseItemsCsv(
      "id,party,category,status,warheads\n"
      "A,US,icbms,deployed,1\n"
      "B,US,heavy_bomber,deployed,2\n"
      "C,US,icbm,deployed,-1\n"
      ",US,icbm,deployed,1\n",
      "x.csv", spec);
  ASSERT_FALSE(set.ok());
  std::string m(set.status().message());
  EXPECT_THAT(m, HasSubstr("x.csv:2: category: unknown category 'icbms'"));
  EXPECT_THAT(m, HasSubstr("x.csv:3: warheads: category 'heavy_bomber' does "
                           "not carry warheads"));
  EXPECT_THAT(m, HasSubstr("x.csv:4: warheads: -1 is negative"));
  EXPECT_THAT(m, HasSubstr("x.csv:5: id: empty identifier"));
}

TEST(ItemsCsvTest, MissingColumnsAndUndeclaredAttributes) {
  treaty::Spec spec = NewStart();
  Result<ItemSet> no_status =
      ParseItemsCsv("id,party,category\nA,US,icbm\n", "x.csv", spec);
  EXPECT_THAT(std::string(no_status.status().message()),
              HasSubstr("x.csv:1: missing column 'status'"));
  Result<ItemSet> attr = ParseItemsCsv(
      "id,party,category,status,colour\nA,US,icbm,deployed,green\n", "x.csv",
      spec);
  EXPECT_THAT(std::string(attr.status().message()),
              HasSubstr("x.csv:2: colour: category 'icbm' has no attribute "
                        "'colour'"));
}

TEST(ItemsJsonTest, ObjectWithFacilitiesAndItems) {
  treaty::Spec spec = NewStart();
  Result<ItemSet> set = ParseItemsJson(R"({
    "synthetic": true,
    "facilities": [{"id": "F1", "party": "US", "name": "Base", "kind": "ICBM base"}],
    "items": [
      {"id": "M1", "party": "US", "category": "icbm", "type": "Minuteman III",
       "status": "deployed", "facility": "F1", "warheads": 2}
    ]})",
                                       "x.json", spec);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->FindItem("M1")->warheads, 2);
  EXPECT_EQ(set->FindFacility("F1")->kind, "ICBM base");
}

TEST(ItemsJsonTest, ErrorsNameElementPaths) {
  treaty::Spec spec = NewStart();
  Result<ItemSet> set = ParseItemsJson(R"({
    "facilities": [{"id": "F1", "party": "US"}],
    "items": [
      {"id": "M1", "party": "US", "category": "icbm", "status": "deployed",
       "warheads": "two"},
      {"id": "M2", "party": "US", "category": "icbm", "status": "deployed",
       "facility": "F9"},
      {"id": "M3", "party": "US", "category": "icbm", "status": "deployed",
       "colour": "red"},
      7
    ]})",
                                       "x.json", spec);
  ASSERT_FALSE(set.ok());
  std::string m(set.status().message());
  EXPECT_THAT(m, HasSubstr("x.json: items[0].warheads: expected an integer"));
  EXPECT_THAT(m, HasSubstr("x.json: items[1].facility: unknown facility 'F9'"));
  EXPECT_THAT(m, HasSubstr("x.json: items[2].colour: unknown key"));
  EXPECT_THAT(m, HasSubstr("x.json: items[3]: expected an object"));
  EXPECT_THAT(
      std::string(ParseItemsJson("{", "y.json", spec).status().message()),
      HasSubstr("y.json: not valid JSON"));
  EXPECT_THAT(
      std::string(
          ParseItemsJson("{\"x\": 1}", "z.json", spec).status().message()),
      HasSubstr("z.json: items: missing"));
}

TEST(ItemsFileTest, MissingFileNamesPath) {
  treaty::Spec spec = NewStart();
  Result<ItemSet> set = LoadItemsFile("/nonexistent/items.csv", spec);
  EXPECT_EQ(set.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(std::string(set.status().message()),
              HasSubstr("/nonexistent/items.csv"));
}

}  // namespace
}  // namespace detente::registry

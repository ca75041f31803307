#include "detente/registry/published.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"

namespace detente::registry {
namespace {

using ::testing::HasSubstr;

const treaty::Spec& NewStart() { return treaty::testing::NewStartSpec(); }

// The acceptance check of the history command: with the bundled public
// data, both parties are within all three limits at every published
// exchange from 5 Feb 2018, and earlier exchanges are informational.
TEST(PublishedTest, NewStartHistoryAsItHappened) {
  treaty::Spec spec = NewStart();
  Result<PublishedTable> table = LoadPublished(
      std::string(DETENTE_SOURCE_DIR) + "/data/public/new_start_aggregates.csv",
      spec);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->limit_ids,
            (std::vector<std::string>{"deployed_delivery_vehicles",
                                      "deployed_warheads",
                                      "deployed_and_nondeployed_launchers"}));
  std::vector<HistoryRow> rows = CheckHistory(spec, *table);
  int within = 0, informational = 0, binding_rows = 0;
  for (const HistoryRow& r : rows) {
    bool after = r.as_of >= *Date::Parse("2018-02-05");
    EXPECT_EQ(r.binding, after) << r.as_of.ToString();
    if (after && r.published) ++binding_rows;
    for (const HistoryCell& c : r.cells) {
      if (!c.value) {
        EXPECT_EQ(c.state, LimitState::kNotPublished);
      } else if (after) {
        EXPECT_EQ(c.state, LimitState::kWithin)
            << r.as_of.ToString() << " " << r.party << " " << c.limit_id;
        ++within;
      } else {
        EXPECT_EQ(c.state, LimitState::kInformational);
        ++informational;
      }
    }
  }
  EXPECT_EQ(binding_rows, 19);  // 9 exchanges x 2 parties + US March 2023
  EXPECT_EQ(within, 57);
  EXPECT_GT(informational, 50);
}

TEST(PublishedTest, ExchangesDueButUnpublishedAppear) {
  treaty::Spec spec = NewStart();
  Result<PublishedTable> table = ParsePublished(
      "as_of_date,party,deployed_warheads,source\n"
      "2019-03-01,US,1365,x\n",
      "p.csv", spec);
  ASSERT_TRUE(table.ok()) << table.status();
  std::vector<HistoryRow> rows = CheckHistory(spec, *table);
  // Periods end every 1 March and 1 September from 2011-09-01 to
  // 2025-09-01: 29 dates, two parties each.
  EXPECT_EQ(rows.size(), 29u * 2);
  int published = 0;
  for (const HistoryRow& r : rows) published += r.published ? 1 : 0;
  EXPECT_EQ(published, 1);
  EXPECT_EQ(rows.front().as_of, *Date::Parse("2011-09-01"));
  EXPECT_EQ(rows.back().as_of, *Date::Parse("2025-09-01"));
}

TEST(PublishedTest, OverLimitFigureIsOver) {
  treaty::Spec spec = NewStart();
  PublishedTable table = *ParsePublished(
      "as_of_date,party,deployed_warheads\n2019-03-01,RU,1551\n", "p.csv",
      spec);
  for (const HistoryRow& r : CheckHistory(spec, table)) {
    if (r.published) {
      EXPECT_EQ(r.cells[0].state, LimitState::kOver);
    }
  }
}

TEST(PublishedTest, BadFilesReportEveryProblem) {
  treaty::Spec spec = NewStart();
  Result<PublishedTable> cols =
      ParsePublished("as_of_date,party,warheads\n", "p.csv", spec);
  EXPECT_THAT(std::string(cols.status().message()),
              HasSubstr("p.csv:1: column 'warheads' is not a limit of "
                        "new-start"));
  Result<PublishedTable> rows = ParsePublished(
      "as_of_date,party,deployed_warheads\n"
      "2019-02-30,US,1\n"
      "2019-03-01,CN,1\n"
      "2019-03-01,US,many\n"
      "2019-09-01,US,1\n"
      "2019-09-01,US,2\n",
      "p.csv", spec);
  std::string m(rows.status().message());
  EXPECT_THAT(m, HasSubstr("p.csv:2: as_of_date: 2019-02-30 is not a day"));
  EXPECT_THAT(m, HasSubstr("p.csv:3: party: 'CN' is not a party to new-start"));
  EXPECT_THAT(m, HasSubstr("p.csv:4: deployed_warheads: 'many' is not a "
                           "non-negative integer"));
  EXPECT_THAT(m, HasSubstr("p.csv:6: 2019-09-01 US appears twice"));
  EXPECT_THAT(
      std::string(
          ParsePublished("party\nUS\n", "q.csv", spec).status().message()),
      HasSubstr("missing column 'as_of_date'"));
}

}  // namespace
}  // namespace detente::registry

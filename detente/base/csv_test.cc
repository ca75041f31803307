#include "detente/base/csv.h"

#include <gtest/gtest.h>

namespace detente {
namespace {

TEST(CsvTest, HeaderRecordsAndLines) {
  Result<CsvTable> t = ParseCsv("a,b\n1,2\n\n3,4\n", "t.csv");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->header, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(t->records.size(), 2u);
  EXPECT_EQ(t->records[0].line, 2);
  EXPECT_EQ(t->records[1].line, 4);
  EXPECT_EQ(t->records[1].fields[1], "4");
  EXPECT_EQ(t->Column("b"), 1u);
  EXPECT_FALSE(t->Column("c").has_value());
}

TEST(CsvTest, QuotedFieldsWithCommasQuotesAndNewlines) {
  Result<CsvTable> t = ParseCsv(
      "\xEF\xBB\xBFid,source\r\n1,\"a, \"\"b\"\"\nc\"\r\n2,\"\"\r\n", "q.csv");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->header[0], "id");
  EXPECT_EQ(t->records[0].fields[1], "a, \"b\"\nc");
  EXPECT_EQ(t->records[1].line, 4);
  EXPECT_EQ(t->records[1].fields[1], "");
}

TEST(CsvTest, EmptyTrailingFieldsAreKept) {
  Result<CsvTable> t = ParseCsv("a,b,c\nx,,\n", "e.csv");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->records[0].fields, (std::vector<std::string>{"x", "", ""}));
}

TEST(CsvTest, ErrorsNameFileAndLine) {
  EXPECT_EQ(ParseCsv("a,b\n1,2,3\n", "f.csv").status().message(),
            "f.csv:2: 3 fields, but the header has 2");
  EXPECT_EQ(ParseCsv("a\n\"open\n", "f.csv").status().message(),
            "f.csv:2: quoted field is never closed");
  EXPECT_EQ(ParseCsv("a\n\"x\"y\n", "f.csv").status().message(),
            "f.csv:2: unexpected 'y' after a closing quote");
  EXPECT_EQ(ParseCsv("a\nx\"y\n", "f.csv").status().message(),
            "f.csv:2: stray '\"' inside an unquoted field");
  EXPECT_FALSE(ParseCsv("", "f.csv").ok());
}

TEST(CsvTest, EscapeRoundTrips) {
  std::string line = CsvEscape("plain") + "," + CsvEscape("a,\"b\"");
  Result<CsvTable> t = ParseCsv("x,y\n" + line + "\n", "r.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->records[0].fields[1], "a,\"b\"");
}

TEST(ReadFileTest, MissingFileIsNotFound) {
  Result<std::string> r = ReadFile("/nonexistent/dir/x.csv");
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/dir/x.csv"),
            std::string_view::npos);
}

}  // namespace
}  // namespace detente

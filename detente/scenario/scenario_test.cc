#include "detente/scenario/scenario.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "detente/commission/messages.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/treaty_testing.h"

namespace detente::scenario {
namespace {

using ::testing::HasSubstr;

const treaty::Spec& NewStart() { return treaty::testing::NewStartSpec(); }

// A small valid scenario. Malformed ones below are this text with one
// edit, so each test shows the one mistake.
constexpr std::string_view kMini = R"toml([scenario]
id = "mini"
treaty = "new-start"
title = "A small scenario"
end = 2026-02-05
end_source = "facts §0"

[[events]]
time = 2022-11-08T09:00:00Z
sender = "RU"
type = "NST-BCC-SESSION-PROPOSE"
source = "facts §6"
[events.body]
session = "S1"
start = 2022-11-29
end = 2022-12-06
venue = "Cairo"

[[events]]
time = 2022-11-28T10:00:00Z
sender = "RU"
type = "NST-BCC-POSTPONE"
source = "facts §6"
illustration = false
note = "no reason given"
[events.body]
session = "S1"
new_dates_to_follow = true
)toml";

std::string Edit(std::string_view from, std::string_view to) {
  std::string s(kMini);
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// The errors of loading `text`, each as its ToString().
std::vector<std::string> Errors(const std::string& text) {
  std::vector<ScenarioError> errors;
  Result<Scenario> s =
      LoadScenarioString(text, "mini.toml", NewStart(), &errors);
  EXPECT_FALSE(s.ok());
  std::vector<std::string> out;
  for (const ScenarioError& e : errors) out.push_back(e.ToString());
  if (!s.ok()) {
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  }
  return out;
}

TEST(ScenarioLoaderTest, LoadsTheMiniScenario) {
  Result<Scenario> s = LoadScenarioString(kMini, "mini.toml", NewStart());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->id, "mini");
  EXPECT_EQ(s->end, Date::Parse("2026-02-05").value());
  ASSERT_EQ(s->events.size(), 2u);
  const ScenarioEvent& p = s->events[1];
  EXPECT_EQ(p.line, 19);
  EXPECT_EQ(p.notification.sender, "RU");
  EXPECT_EQ(p.notification.type, "NST-BCC-POSTPONE");
  EXPECT_EQ(p.notification.event_time.ToString(), "2022-11-28T10:00:00Z");
  EXPECT_EQ(p.notification.sent_time, p.notification.event_time);
  EXPECT_EQ(p.note, "no reason given");
  EXPECT_FALSE(p.illustration);
  // Booleans become 0/1 and dates "YYYY-MM-DD", as the record wants them.
  EXPECT_EQ(p.notification.body.Find("new_dates_to_follow")->integer(), 1);
  EXPECT_EQ(s->events[0].notification.body.Find("start")->str(), "2022-11-29");
}

TEST(ScenarioLoaderTest, SyntaxErrorNamesLineAndColumn) {
  std::vector<std::string> e = Errors(Edit("venue = \"Cairo\"", "venue = "));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("mini.toml:17:"));
}

TEST(ScenarioLoaderTest, UnknownKeyNamesThePath) {
  std::vector<std::string> e =
      Errors(Edit("note = \"no reason given\"", "colour = \"red\""));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "mini.toml:25:10: events[1].colour: unknown key");
}

TEST(ScenarioLoaderTest, UnknownTypeAndSender) {
  std::vector<std::string> e =
      Errors(Edit("type = \"NST-BCC-POSTPONE\"", "type = \"NST-BCC-ADJOURN\""));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("mini.toml:22:8: events[1].type: new-start has "
                              "no notification type 'NST-BCC-ADJOURN'"));
  e = Errors(Edit("sender = \"RU\"\ntype = \"NST-BCC-SESSION-PROPOSE\"",
                  "sender = \"CN\"\ntype = \"NST-BCC-SESSION-PROPOSE\""));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("mini.toml:10:10: events[0].sender: 'CN' is not "
                              "a party of new-start"));
}

TEST(ScenarioLoaderTest, BodyRefusedByTheCatalogueNamesTheField) {
  std::vector<std::string> e =
      Errors(Edit("start = 2022-11-29", "start = \"29 Nov 2022\""));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("mini.toml:15:9: events[0].body.start:"));
  // A required field missing: the body table is named.
  e = Errors(Edit("new_dates_to_follow = true\n", ""));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("mini.toml:26:"));
  EXPECT_THAT(e[0], HasSubstr("events[1].body"));
  EXPECT_THAT(e[0], HasSubstr("new_dates_to_follow"));
  // A value TOML has but a record does not.
  e = Errors(Edit("venue = \"Cairo\"", "venue = 1.5"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("events[0].body.venue: expected a string, "
                              "integer, boolean, date or GMT date-time, found "
                              "a float"));
}

TEST(ScenarioLoaderTest, TimesMustBeGmtAndInOrder) {
  std::vector<std::string> e = Errors(
      Edit("time = 2022-11-28T10:00:00Z", "time = 2022-11-28T10:00:00+03:00"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("events[1].time: a time must be GMT"));
  e = Errors(
      Edit("time = 2022-11-28T10:00:00Z", "time = 2022-11-01T10:00:00Z"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("mini.toml:20:8: events[1].time: "
                              "2022-11-01T10:00:00Z is before the previous "
                              "event's time 2022-11-08T09:00:00Z"));
  e = Errors(Edit("time = 2022-11-28T10:00:00Z",
                  "time = 2022-11-28T10:00:00Z\nsent = 2022-11-28T09:00:00Z"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("events[1].sent: sent 2022-11-28T09:00:00Z "
                              "before its event time"));
}

TEST(ScenarioLoaderTest, SourceIsRequiredAndIllustrationIsABoolean) {
  std::vector<std::string> e = Errors(Edit(
      "source = \"facts §6\"\nillustration = false", "illustration = \"yes\""));
  ASSERT_EQ(e.size(), 2u);
  EXPECT_THAT(e[0], HasSubstr("events[1].source: missing (required)"));
  EXPECT_THAT(e[1], HasSubstr("mini.toml:23:16: events[1].illustration: "
                              "expected a boolean, found a string"));
}

TEST(ScenarioLoaderTest, NothingAfterAPartyStopsSending) {
  std::vector<std::string> e =
      Errors(Edit("source = \"facts §6\"\n[events.body]\nsession = \"S1\"\n"
                  "start",
                  "source = \"facts §6\"\nstops_sending = true\n[events.body]\n"
                  "session = \"S1\"\nstart"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("events[1].sender: RU stopped sending at "
                              "2022-11-08T09:00:00Z (stops_sending, line 8)"));
}

TEST(ScenarioLoaderTest, HeaderMustMatchTheSpec) {
  std::vector<std::string> e =
      Errors(Edit("end = 2026-02-05", "end = 2026-02-04"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0],
            "mini.toml:5:7: scenario.end: 2026-02-04 is not the end of "
            "new-start in its spec (2026-02-05)");
  e = Errors(Edit("treaty = \"new-start\"", "treaty = \"inf\""));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0], HasSubstr("scenario.treaty: the scenario is for 'inf'"));
}

TEST(ScenarioLoaderTest, EveryErrorInOneRun) {
  std::string text = Edit("venue = \"Cairo\"", "venue = 1.5");
  text.replace(text.find("sender = \"RU\"\ntype = \"NST-BCC-POSTPONE\""),
               std::string_view("sender = \"RU\"").size(), "sender = \"XX\"");
  std::vector<std::string> e = Errors(text);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_THAT(e[0], HasSubstr("events[0].body.venue"));
  EXPECT_THAT(e[1], HasSubstr("events[1].sender"));
}

TEST(ScenarioLoaderTest, MissingFileIsNotFound) {
  Result<Scenario> s = LoadScenarioFile(
      DETENTE_SOURCE_DIR "/data/scenarios/nope.toml", NewStart());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("nope.toml"));
}

// The bundled scenario: every event cites a source; everything about a
// BCC agenda (confidential) is labelled an illustration; Russia stops
// sending once, with the halt of 29 March 2023.
TEST(ScenarioBundledTest, EveryEventSourcedAndAgendasLabelled) {
  const std::string path =
      DETENTE_SOURCE_DIR "/data/scenarios/new-start-bcc.toml";
  Result<std::string> treaty = ReadScenarioTreaty(path);
  ASSERT_TRUE(treaty.ok()) << treaty.status();
  EXPECT_EQ(*treaty, "new-start");
  Result<Scenario> s = LoadScenarioFile(path, NewStart());
  ASSERT_TRUE(s.ok()) << s.status();
  std::set<std::string> stopped;
  for (const ScenarioEvent& e : s->events) {
    EXPECT_FALSE(e.source.empty()) << "line " << e.line;
    const commission::MessageKind k = commission::KindOf(e.notification.type);
    if (k == commission::MessageKind::kAgendaPropose ||
        k == commission::MessageKind::kAgendaAccept ||
        k == commission::MessageKind::kIssueRaise) {
      EXPECT_TRUE(e.illustration) << "line " << e.line;
    }
    if (e.stops_sending) {
      stopped.insert(e.notification.sender);
      EXPECT_EQ(e.notification.event_time.ToString(), "2023-03-29T10:00:00Z");
    }
  }
  EXPECT_EQ(stopped, std::set<std::string>{"RU"});
}

}  // namespace
}  // namespace detente::scenario

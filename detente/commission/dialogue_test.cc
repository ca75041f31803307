#include "detente/commission/dialogue.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "detente/commission/commission.h"
#include "detente/commission/commission_testing.h"

namespace detente::commission {
namespace {

using ::testing::HasSubstr;
using S = DialogueStatus;

TEST(DialogueTransitionTest, EveryPair) {
  struct Row {
    std::optional<S> from;
    S to;
    bool allowed;
    const char* why;
  };
  const Row rows[] = {
      {std::nullopt, S::kActive, true, ""},
      {std::nullopt, S::kPaused, false, "has not started"},
      {std::nullopt, S::kResumed, false, "has not started"},
      {std::nullopt, S::kTerminated, false, "has not started"},
      {S::kActive, S::kActive, false, "already active"},
      {S::kActive, S::kPaused, true, ""},
      {S::kActive, S::kResumed, false, "only a paused dialogue can be resumed"},
      {S::kActive, S::kTerminated, true, ""},
      {S::kPaused, S::kActive, false, "paused and then resumed"},
      {S::kPaused, S::kPaused, false, "already paused"},
      {S::kPaused, S::kResumed, true, ""},
      {S::kPaused, S::kTerminated, true, ""},
      {S::kResumed, S::kActive, false, "does not become active again"},
      {S::kResumed, S::kPaused, true, ""},
      {S::kResumed, S::kResumed, false, "already resumed"},
      {S::kResumed, S::kTerminated, true, ""},
      {S::kTerminated, S::kActive, false, "terminated, which is final"},
      {S::kTerminated, S::kPaused, false, "terminated, which is final"},
      {S::kTerminated, S::kResumed, false, "terminated, which is final"},
      {S::kTerminated, S::kTerminated, false, "terminated, which is final"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(::testing::Message()
                 << (r.from ? DialogueStatusName(*r.from) : "none") << " -> "
                 << DialogueStatusName(r.to));
    Status s = CheckDialogueTransition(r.from, r.to);
    EXPECT_EQ(s.ok(), r.allowed) << s;
    if (!r.allowed) {
      EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
      EXPECT_THAT(std::string(s.message()), HasSubstr(r.why));
    }
  }
}

TEST(DialogueTransitionTest, NamesRoundTrip) {
  for (S s : {S::kActive, S::kPaused, S::kResumed, S::kTerminated}) {
    EXPECT_EQ(ParseDialogueStatus(DialogueStatusName(s)), s);
  }
  EXPECT_FALSE(ParseDialogueStatus("suspended").has_value());
}

// "Paused, not terminated": the talks pause and may resume; termination is
// final. Any party changes the status with a signed notification.
TEST(DialogueFoldTest, PausedNotTerminated) {
  Commission c(testutil::NewStart());
  testutil::Messages m(testutil::NewStart());
  ASSERT_TRUE(c.Apply(m.Dialogue("US", "2021-07-28T00:00:00Z", "active")).ok());
  ASSERT_TRUE(c.Apply(m.Dialogue("US", "2022-02-24T00:00:00Z", "paused")).ok());
  EXPECT_EQ(c.state().dialogues.at("SSD").status, S::kPaused);
  Status s = c.Apply(m.Dialogue("RU", "2022-03-01T00:00:00Z", "active"));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr("dialogue SSD"));
  ASSERT_TRUE(
      c.Apply(m.Dialogue("RU", "2024-01-01T00:00:00Z", "resumed")).ok());
  ASSERT_TRUE(
      c.Apply(m.Dialogue("RU", "2025-01-01T00:00:00Z", "terminated")).ok());
  s = c.Apply(m.Dialogue("US", "2025-06-01T00:00:00Z", "resumed"));
  EXPECT_FALSE(s.ok());
  const Dialogue& d = c.state().dialogues.at("SSD");
  EXPECT_EQ(d.status, S::kTerminated);
  ASSERT_EQ(d.history.size(), 4u);
  EXPECT_EQ(d.history[1].source.party, "US");
  EXPECT_EQ(d.history[2].source.party, "RU");
  EXPECT_EQ(c.state().refusals.size(), 2u);
}

}  // namespace
}  // namespace detente::commission

#include "detente/commission/commission.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>

#include "detente/commission/agenda.h"
#include "detente/commission/commission_testing.h"

namespace detente::commission {
namespace {

using notification::Value;
using ::testing::HasSubstr;
using testutil::Messages;
using testutil::NewStart;

// The states a session can be in, reached by applying real messages
// (Cairo, 29 Nov - 6 Dec 2022: facts §6).
enum class Start {
  kNone,
  kProposed,
  kScheduled,
  kPostponed,
  kConvened,
  kConcluded,
  kCancelled
};

const char* kS = "S1";

void Reach(Start start, Commission& c, Messages& m) {
  auto ok = [&](const notification::Notification& n) {
    Status s = c.Apply(n);
    ASSERT_TRUE(s.ok()) << s;
  };
  ok(m.Raise("US", "2022-11-01T00:00:00Z", "I1"));
  if (start == Start::kNone) return;
  ok(m.Propose("US", "2022-11-08T00:00:00Z", kS, "2022-11-29", "2022-12-06",
               "Cairo"));
  if (start == Start::kProposed) return;
  if (start == Start::kCancelled) {
    ok(m.Cancel("US", "2022-11-09T00:00:00Z", kS));
    ok(m.Cancel("RU", "2022-11-09T00:00:00Z", kS));
    return;
  }
  ok(m.AcceptDates("RU", "2022-11-09T00:00:00Z", kS, "2022-11-29", "2022-12-06",
                   "Cairo"));
  if (start == Start::kScheduled) return;
  if (start == Start::kPostponed) {
    ok(m.Postpone("RU", "2022-11-28T00:00:00Z", kS));
    return;
  }
  ok(m.Agenda("US", "2022-11-10T00:00:00Z", kS, "I1"));
  ok(m.AcceptAgenda("RU", "2022-11-11T00:00:00Z", kS,
                    AgendaHashHex("new-start", kS, 1, {"I1"})));
  ok(m.Convene("US", "2022-11-29T09:00:00Z", kS));
  if (start == Start::kConvened) return;
  ok(m.Conclude("US", "2022-12-06T17:00:00Z", kS));
}

enum class Msg {
  kPropose,
  kAccept,
  kPostpone,
  kCancel,
  kConvene,
  kConclude,
  kAgenda
};

notification::Notification Make(Msg msg, Messages& m) {
  const std::string t = "2022-11-30T10:00:00Z";
  switch (msg) {
    case Msg::kPropose:
      return m.Propose("RU", t, kS, "2023-01-10", "2023-01-17", "Geneva");
    case Msg::kAccept:
      return m.AcceptDates("RU", t, kS, "2022-11-29", "2022-12-06", "Cairo");
    case Msg::kPostpone:
      return m.Postpone("RU", t, kS);
    case Msg::kCancel:
      return m.Cancel("RU", t, kS);
    case Msg::kConvene:
      return m.Convene("US", t, kS);
    case Msg::kConclude:
      return m.Conclude("US", t, kS);
    case Msg::kAgenda:
      return m.Agenda("RU", t, kS, "I1");
  }
  return {};
}

struct Row {
  Start start;
  Msg msg;
  StatusCode code;  // kOk: allowed
  std::optional<SessionStatus> after;
  const char* text;  // allowed: ""; refused: in the message
};

using SS = SessionStatus;
constexpr StatusCode kOk = StatusCode::kOk;
constexpr StatusCode kFP = StatusCode::kFailedPrecondition;
constexpr StatusCode kNF = StatusCode::kNotFound;

const Row kRows[] = {
    {Start::kNone, Msg::kPropose, kOk, SS::kProposed, ""},
    {Start::kNone, Msg::kAccept, kNF, {}, "session S1 has not been proposed"},
    {Start::kNone, Msg::kPostpone, kNF, {}, "has not been proposed"},
    {Start::kNone, Msg::kCancel, kNF, {}, "has not been proposed"},
    {Start::kNone, Msg::kConvene, kNF, {}, "has not been proposed"},
    {Start::kNone, Msg::kConclude, kNF, {}, "has not been proposed"},
    {Start::kNone, Msg::kAgenda, kNF, {}, "has not been proposed"},

    {Start::kProposed, Msg::kPropose, kOk, SS::kProposed, ""},
    {Start::kProposed, Msg::kAccept, kOk, SS::kScheduled, ""},
    {Start::kProposed, Msg::kPostpone, kOk, SS::kPostponed, ""},
    {Start::kProposed, Msg::kCancel, kOk, SS::kProposed, ""},
    {Start::kProposed, Msg::kConvene, kFP, SS::kProposed,
     "session S1 cannot convene: it is proposed (dates v1 not accepted by "
     "RU)"},
    {Start::kProposed, Msg::kConclude, kFP, SS::kProposed,
     "session S1 is proposed: it cannot conclude"},
    {Start::kProposed, Msg::kAgenda, kOk, SS::kProposed, ""},

    {Start::kScheduled, Msg::kPropose, kFP, SS::kScheduled,
     "session S1 is scheduled for 2022-11-29 to 2022-12-06: postpone it "
     "before proposing new dates"},
    {Start::kScheduled, Msg::kAccept, kFP, SS::kScheduled,
     "session S1 is scheduled: it cannot accept dates"},
    {Start::kScheduled, Msg::kPostpone, kOk, SS::kPostponed, ""},
    {Start::kScheduled, Msg::kCancel, kOk, SS::kScheduled, ""},
    {Start::kScheduled, Msg::kConvene, kFP, SS::kScheduled,
     "session S1 cannot convene: no agenda has been proposed"},
    {Start::kScheduled, Msg::kConclude, kFP, SS::kScheduled,
     "session S1 is scheduled: it cannot conclude"},
    {Start::kScheduled, Msg::kAgenda, kOk, SS::kScheduled, ""},

    {Start::kPostponed, Msg::kPropose, kOk, SS::kProposed, ""},
    {Start::kPostponed, Msg::kAccept, kFP, SS::kPostponed,
     "session S1 is postponed: no new dates have been proposed to accept"},
    {Start::kPostponed, Msg::kPostpone, kFP, SS::kPostponed,
     "session S1 is already postponed (by RU)"},
    {Start::kPostponed, Msg::kCancel, kOk, SS::kPostponed, ""},
    {Start::kPostponed, Msg::kConvene, kFP, SS::kPostponed,
     "session S1 cannot convene: it is postponed (no new dates agreed)"},
    {Start::kPostponed, Msg::kConclude, kFP, SS::kPostponed,
     "session S1 is postponed: it cannot conclude"},
    {Start::kPostponed, Msg::kAgenda, kOk, SS::kPostponed, ""},

    {Start::kConvened, Msg::kPropose, kFP, SS::kConvened,
     "session S1 is convened: it cannot get new dates"},
    {Start::kConvened, Msg::kAccept, kFP, SS::kConvened,
     "session S1 is convened: it cannot accept dates"},
    {Start::kConvened, Msg::kPostpone, kFP, SS::kConvened,
     "session S1 is convened: it cannot be postponed"},
    {Start::kConvened, Msg::kCancel, kFP, SS::kConvened,
     "session S1 is convened: it cannot be cancelled"},
    {Start::kConvened, Msg::kConvene, kFP, SS::kConvened,
     "session S1 cannot convene: it is convened"},
    {Start::kConvened, Msg::kConclude, kOk, SS::kConcluded, ""},
    {Start::kConvened, Msg::kAgenda, kFP, SS::kConvened,
     "session S1 is convened: it cannot take a new agenda"},

    {Start::kConcluded, Msg::kPropose, kFP, SS::kConcluded,
     "session S1 is concluded: it cannot get new dates"},
    {Start::kConcluded, Msg::kAccept, kFP, SS::kConcluded,
     "session S1 is concluded: it cannot accept dates"},
    {Start::kConcluded, Msg::kPostpone, kFP, SS::kConcluded,
     "session S1 is concluded: it cannot be postponed"},
    {Start::kConcluded, Msg::kCancel, kFP, SS::kConcluded,
     "session S1 is concluded: it cannot be cancelled"},
    {Start::kConcluded, Msg::kConvene, kFP, SS::kConcluded,
     "session S1 cannot convene: it is concluded"},
    {Start::kConcluded, Msg::kConclude, kFP, SS::kConcluded,
     "session S1 is concluded: it cannot conclude"},
    {Start::kConcluded, Msg::kAgenda, kFP, SS::kConcluded,
     "session S1 is concluded: it cannot take a new agenda"},

    {Start::kCancelled, Msg::kPropose, kFP, SS::kCancelled,
     "session S1 is cancelled: it cannot get new dates"},
    {Start::kCancelled, Msg::kAccept, kFP, SS::kCancelled,
     "session S1 is cancelled: it cannot accept dates"},
    {Start::kCancelled, Msg::kPostpone, kFP, SS::kCancelled,
     "session S1 is cancelled: it cannot be postponed"},
    {Start::kCancelled, Msg::kCancel, kFP, SS::kCancelled,
     "session S1 is cancelled: it cannot be cancelled"},
    {Start::kCancelled, Msg::kConvene, kFP, SS::kCancelled,
     "session S1 cannot convene: it is cancelled"},
    {Start::kCancelled, Msg::kConclude, kFP, SS::kCancelled,
     "session S1 is cancelled: it cannot conclude"},
    {Start::kCancelled, Msg::kAgenda, kFP, SS::kCancelled,
     "session S1 is cancelled: it cannot take a new agenda"},
};

TEST(SessionTransitionTest, EveryMessageFromEveryState) {
  // Every (state, message) pair is in the table exactly once.
  EXPECT_EQ(std::size(kRows), 7u * 7u);
  for (const Row& row : kRows) {
    SCOPED_TRACE(::testing::Message()
                 << "start " << static_cast<int>(row.start) << ", message "
                 << static_cast<int>(row.msg));
    Commission c(NewStart());
    Messages m(NewStart());
    Reach(row.start, c, m);
    const size_t refusals = c.state().refusals.size();
    const uint64_t applied = c.state().applied;
    Status s = c.Apply(Make(row.msg, m));
    EXPECT_EQ(s.code(), row.code) << s;
    if (row.code == kOk) {
      EXPECT_EQ(c.state().applied, applied + 1);
      EXPECT_EQ(c.state().refusals.size(), refusals);
    } else {
      EXPECT_THAT(std::string(s.message()), HasSubstr(row.text));
      EXPECT_EQ(c.state().applied, applied);
      ASSERT_EQ(c.state().refusals.size(), refusals + 1);
      EXPECT_EQ(c.state().refusals.back().text, s.message());
      EXPECT_EQ(
          c.state().refusals.back().source.party,
          row.msg == Msg::kConvene || row.msg == Msg::kConclude ? "US" : "RU");
    }
    auto it = c.state().sessions.find(kS);
    if (row.after) {
      ASSERT_NE(it, c.state().sessions.end());
      EXPECT_EQ(SessionStatusName(it->second.status),
                SessionStatusName(*row.after));
    } else {
      EXPECT_EQ(it, c.state().sessions.end());
    }
  }
}

TEST(SessionTest, RefusalNamesSenderSequenceAndType) {
  Commission c(NewStart());
  Messages m(NewStart());
  Status s = c.Apply(m.Convene("US", "2022-11-29T09:00:00Z", "S9"));
  EXPECT_EQ(s.message(),
            "US #1 (NST-BCC-SESSION-CONVENE): session S9 has not been "
            "proposed");
}

TEST(SessionTest, CounterProposalResetsAcceptances) {
  Commission c(NewStart());
  Messages m(NewStart());
  ASSERT_TRUE(c.Apply(m.Propose("US", "2022-11-01T00:00:00Z", kS, "2022-11-29",
                                "2022-12-06", "Cairo"))
                  .ok());
  ASSERT_TRUE(c.Apply(m.Propose("RU", "2022-11-02T00:00:00Z", kS, "2022-12-01",
                                "2022-12-08", "Cairo"))
                  .ok());
  const Session& s = c.state().sessions.at(kS);
  EXPECT_EQ(s.dates->version, 2);
  EXPECT_EQ(s.dates->proposer, "RU");
  EXPECT_EQ(s.dates_accepted, std::set<std::string>{"RU"});
  // US accepting its own, superseded dates is refused and names the current.
  Status st = c.Apply(m.AcceptDates("US", "2022-11-03T00:00:00Z", kS,
                                    "2022-11-29", "2022-12-06", "Cairo"));
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("session S1: US accepts 2022-11-29 to 2022-12-06 in "
                        "Cairo, but the dates proposed (v2, by RU) are "
                        "2022-12-01 to 2022-12-08 in Cairo"));
  ASSERT_TRUE(c.Apply(m.AcceptDates("US", "2022-11-03T00:00:00Z", kS,
                                    "2022-12-01", "2022-12-08", "Cairo"))
                  .ok());
  EXPECT_EQ(c.state().sessions.at(kS).status, SessionStatus::kScheduled);
}

TEST(SessionTest, EndBeforeStartIsInvalid) {
  Commission c(NewStart());
  Messages m(NewStart());
  Status s = c.Apply(m.Propose("US", "2022-11-01T00:00:00Z", kS, "2022-12-06",
                               "2022-11-29", "Cairo"));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("end 2022-11-29 is before start 2022-12-06"));
}

TEST(SessionTest, RepeatedAcceptanceAndCancellationAreRefused) {
  Commission c(NewStart());
  Messages m(NewStart());
  Reach(Start::kProposed, c, m);
  Status s = c.Apply(m.AcceptDates("US", "2022-11-09T00:00:00Z", kS,
                                   "2022-11-29", "2022-12-06", "Cairo"));
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("US has already accepted dates v1"));
  ASSERT_TRUE(c.Apply(m.Cancel("US", "2022-11-10T00:00:00Z", kS)).ok());
  s = c.Apply(m.Cancel("US", "2022-11-11T00:00:00Z", kS));
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(c.state().sessions.at(kS).status, SessionStatus::kProposed);
  ASSERT_TRUE(c.Apply(m.Cancel("RU", "2022-11-12T00:00:00Z", kS)).ok());
  EXPECT_EQ(c.state().sessions.at(kS).status, SessionStatus::kCancelled);
}

TEST(SessionTest, ConvenesOnlyWithinItsDates) {
  Commission c(NewStart());
  Messages m(NewStart());
  Reach(Start::kScheduled, c, m);
  ASSERT_TRUE(c.Apply(m.Agenda("US", "2022-11-10T00:00:00Z", kS, "I1")).ok());
  ASSERT_TRUE(c.Apply(m.AcceptAgenda("RU", "2022-11-11T00:00:00Z", kS,
                                     AgendaHashHex("new-start", kS, 1, {"I1"})))
                  .ok());
  Status s = c.Apply(m.Convene("US", "2022-11-28T23:59:59Z", kS));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("session S1 cannot convene on 2022-11-28: it is "
                        "scheduled for 2022-11-29 to 2022-12-06"));
  s = c.Apply(m.Convene("US", "2022-12-07T00:00:00Z", kS));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(c.Apply(m.Convene("US", "2022-12-06T08:00:00Z", kS)).ok());
}

// The issue's example, reproduced: three versions; RU last accepted v2.
TEST(AgendaTest, ConveneRefusalNamesVersionPartiesAndItems) {
  Commission c(NewStart());
  Messages m(NewStart());
  for (const char* id : {"I1", "I2", "I3", "I4"}) {
    ASSERT_TRUE(c.Apply(m.Raise("US", "2022-11-01T00:00:00Z", id)).ok());
  }
  ASSERT_TRUE(c.Apply(m.Propose("US", "2022-11-08T00:00:00Z", kS, "2022-11-29",
                                "2022-12-06", "Cairo"))
                  .ok());
  ASSERT_TRUE(c.Apply(m.AcceptDates("RU", "2022-11-09T00:00:00Z", kS,
                                    "2022-11-29", "2022-12-06", "Cairo"))
                  .ok());
  ASSERT_TRUE(c.Apply(m.Agenda("US", "2022-11-10T00:00:00Z", kS, "I1")).ok());
  const std::string v1 = AgendaHashHex("new-start", kS, 1, {"I1"});
  ASSERT_TRUE(
      c.Apply(m.AcceptAgenda("RU", "2022-11-11T00:00:00Z", kS, v1)).ok());
  ASSERT_TRUE(
      c.Apply(m.Agenda("RU", "2022-11-12T00:00:00Z", kS, "I1, I3")).ok());
  ASSERT_TRUE(
      c.Apply(m.Agenda("US", "2022-11-13T00:00:00Z", kS, "I1,I2,I4")).ok());
  const std::string v3 = AgendaHashHex("new-start", kS, 3, {"I1", "I2", "I4"});
  const Agenda& a = c.state().sessions.at(kS).agenda;
  ASSERT_EQ(a.versions.size(), 3u);
  EXPECT_EQ(a.Current()->hash, v3);
  EXPECT_EQ(a.accepted.at("US"), 3);
  EXPECT_EQ(a.accepted.at("RU"), 2);

  Status s = c.Apply(m.Convene("US", "2022-11-29T09:00:00Z", kS));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "US #8 (NST-BCC-SESSION-CONVENE): session S1 cannot convene: "
            "agenda v3 (hash " +
                v3.substr(0, 16) +
                "…) not accepted by RU; items I2, I4 accepted only by US");

  // RU accepting the superseded v1 is refused and names v3.
  s = c.Apply(m.AcceptAgenda("RU", "2022-11-14T00:00:00Z", kS, v1));
  EXPECT_THAT(
      std::string(s.message()),
      HasSubstr("agenda v1 (hash " + v1.substr(0, 16) +
                "…) is superseded by v3 (hash " + v3.substr(0, 16) + "…)"));
  s = c.Apply(
      m.AcceptAgenda("RU", "2022-11-14T00:00:00Z", kS, std::string(64, '0')));
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  s = c.Apply(m.AcceptAgenda("US", "2022-11-14T00:00:00Z", kS, v3));
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);

  ASSERT_TRUE(
      c.Apply(m.AcceptAgenda("RU", "2022-11-15T00:00:00Z", kS, v3)).ok());
  EXPECT_TRUE(c.state().sessions.at(kS).agenda.AgreedBy({"US", "RU"}));
  EXPECT_TRUE(c.Apply(m.Convene("US", "2022-11-29T09:00:00Z", kS)).ok());
}

TEST(AgendaTest, ItemsNoPartyAcceptedAreNamedSo) {
  Commission c(NewStart());
  Messages m(NewStart());
  Reach(Start::kScheduled, c, m);
  ASSERT_TRUE(c.Apply(m.Raise("RU", "2022-11-02T00:00:00Z", "I2")).ok());
  ASSERT_TRUE(c.Apply(m.Agenda("US", "2022-11-10T00:00:00Z", kS, "I1")).ok());
  ASSERT_TRUE(c.Apply(m.Agenda("RU", "2022-11-11T00:00:00Z", kS, "I2")).ok());
  // RU proposed v2 = {I2}; US last accepted v1 = {I1}.
  Status s = c.Apply(m.Convene("US", "2022-11-29T09:00:00Z", kS));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("not accepted by US; item I2 accepted only by RU"));
}

TEST(AgendaTest, ProposalsMustListOpenRaisedIssues) {
  Commission c(NewStart());
  Messages m(NewStart());
  Reach(Start::kProposed, c, m);
  ASSERT_TRUE(c.Apply(m.Raise("US", "2022-11-02T00:00:00Z", "I2")).ok());
  ASSERT_TRUE(c.Apply(m.Withdraw("US", "2022-11-03T00:00:00Z", "I2")).ok());
  Status s = c.Apply(m.Agenda("RU", "2022-11-04T00:00:00Z", kS, "I1, I2, I9"));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("the agenda lists issues never raised: I9; not open: "
                        "I2 (withdrawn)"));
  s = c.Apply(m.Agenda("RU", "2022-11-04T00:00:00Z", kS, ""));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  s = c.Apply(m.Agenda("RU", "2022-11-04T00:00:00Z", kS, "I1,,I1"));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("entry 2 is empty"));
  s = c.Apply(
      m.AcceptAgenda("RU", "2022-11-05T00:00:00Z", kS, std::string(64, 'a')));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("session S1 has no agenda proposed"));
  EXPECT_TRUE(c.state().sessions.at(kS).agenda.versions.empty());
}

// Issues: open -> withdrawn (raiser only) | resolved (outcome); table.
TEST(IssueTransitionTest, AllowedAndRefused) {
  struct IssueRow {
    const char* name;
    std::function<void(Commission&, Messages&)> setup;
    std::function<notification::Notification(Messages&)> msg;
    StatusCode code;
    const char* text;
    IssueStatus after;
  };
  auto raised = [](Commission& c, Messages& m) {
    ASSERT_TRUE(c.Apply(m.Raise("US", "2022-01-01T00:00:00Z", "I1")).ok());
  };
  auto withdrawn = [&](Commission& c, Messages& m) {
    raised(c, m);
    ASSERT_TRUE(c.Apply(m.Withdraw("US", "2022-01-02T00:00:00Z", "I1")).ok());
  };
  const std::string t = "2022-01-05T00:00:00Z";
  const IssueRow rows[] = {
      {"raise", [](Commission&, Messages&) {},
       [&](Messages& m) { return m.Raise("RU", t, "I1"); }, kOk, "",
       IssueStatus::kOpen},
      {"raise twice", raised,
       [&](Messages& m) { return m.Raise("RU", t, "I1"); },
       StatusCode::kAlreadyExists, "issue I1 was already raised by US (#1)",
       IssueStatus::kOpen},
      {"withdraw by raiser", raised,
       [&](Messages& m) { return m.Withdraw("US", t, "I1"); }, kOk, "",
       IssueStatus::kWithdrawn},
      {"withdraw by another party", raised,
       [&](Messages& m) { return m.Withdraw("RU", t, "I1"); }, kFP,
       "issue I1 was raised by US: only US can withdraw it",
       IssueStatus::kOpen},
      {"withdraw twice", withdrawn,
       [&](Messages& m) { return m.Withdraw("US", t, "I1"); }, kFP,
       "issue I1 is withdrawn: only an open issue can be withdrawn",
       IssueStatus::kWithdrawn},
      {"raise a withdrawn id", withdrawn,
       [&](Messages& m) { return m.Raise("US", t, "I1"); },
       StatusCode::kAlreadyExists, "already raised", IssueStatus::kWithdrawn},
  };
  for (const IssueRow& row : rows) {
    SCOPED_TRACE(row.name);
    Commission c(NewStart());
    Messages m(NewStart());
    row.setup(c, m);
    Status s = c.Apply(row.msg(m));
    EXPECT_EQ(s.code(), row.code) << s;
    if (row.code != kOk) {
      EXPECT_THAT(std::string(s.message()), HasSubstr(row.text));
    }
    ASSERT_TRUE(c.state().issues.contains("I1"));
    EXPECT_EQ(c.state().issues.at("I1").status, row.after);
  }
  Commission c(NewStart());
  Messages m(NewStart());
  Status s = c.Apply(m.Withdraw("US", t, "I7"));
  EXPECT_EQ(s.code(), kNF);
  EXPECT_THAT(std::string(s.message()), HasSubstr("issue I7 was never raised"));
}

TEST(IssueTest, RefersToAFindingAndTakesTheSpecConfidentiality) {
  Commission c(NewStart());
  Messages m(NewStart());
  ASSERT_TRUE(
      c.Apply(m.Make("RU", MessageKind::kIssueRaise, "2021-10-01T00:00:00Z",
                     {{"issue", Value::Str("RU-1")},
                      {"title", Value::Str("B-52H conversions")},
                      {"finding", Value::Str("F-0042")}}))
          .ok());
  ASSERT_TRUE(
      c.Apply(m.Make("US", MessageKind::kIssueRaise, "2021-10-01T00:00:00Z",
                     {{"issue", Value::Str("US-1")},
                      {"title", Value::Str("inspections")},
                      {"confidential", Value::Int(0)}}))
          .ok());
  const Issue& ru = c.state().issues.at("RU-1");
  EXPECT_EQ(ru.finding, "F-0042");
  EXPECT_EQ(ru.raised_by, "RU");
  EXPECT_TRUE(ru.confidential);  // new-start.toml: confidential = true
  EXPECT_FALSE(c.state().issues.at("US-1").confidential);
}

// 28 November 2022: the Cairo session is postponed by Russia, without a
// reason, with new dates to follow — postponed, not cancelled.
TEST(CairoTest, PostponedNotCancelled) {
  Commission c(NewStart());
  Messages m(NewStart());
  ASSERT_TRUE(
      c.Apply(m.Raise("US", "2022-11-08T00:00:00Z", "INSPECTIONS")).ok());
  ASSERT_TRUE(c.Apply(m.Propose("US", "2022-11-08T12:00:00Z", "CAIRO-2022",
                                "2022-11-29", "2022-12-06", "Cairo"))
                  .ok());
  ASSERT_TRUE(c.Apply(m.AcceptDates("RU", "2022-11-09T00:00:00Z", "CAIRO-2022",
                                    "2022-11-29", "2022-12-06", "Cairo"))
                  .ok());
  ASSERT_TRUE(c.Apply(m.Agenda("US", "2022-11-10T00:00:00Z", "CAIRO-2022",
                               "INSPECTIONS"))
                  .ok());
  ASSERT_TRUE(
      c.Apply(m.Make("RU", MessageKind::kPostpone, "2022-11-28T12:00:00Z",
                     {{"session", Value::Str("CAIRO-2022")},
                      {"new_dates_to_follow", Value::Int(1)}}))
          .ok());
  const Session& s = c.state().sessions.at("CAIRO-2022");
  EXPECT_EQ(s.status, SessionStatus::kPostponed);
  ASSERT_EQ(s.postponements.size(), 1u);
  EXPECT_EQ(s.postponements[0].party, "RU");
  EXPECT_EQ(s.postponements[0].reason, "");
  EXPECT_TRUE(s.postponements[0].new_dates_to_follow);
  EXPECT_TRUE(s.dates_accepted.empty());
  Status st = c.Apply(m.Convene("US", "2022-11-29T09:00:00Z", "CAIRO-2022"));
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("session CAIRO-2022 cannot convene: it is postponed"));
  // Not cancelled: new dates can be proposed.
  EXPECT_TRUE(c.Apply(m.Propose("RU", "2023-01-10T00:00:00Z", "CAIRO-2022",
                                "2023-02-01", "2023-02-07", "Cairo"))
                  .ok());
  EXPECT_EQ(c.state().sessions.at("CAIRO-2022").status,
            SessionStatus::kProposed);
}

TEST(CommissionTest, IgnoresOtherMessagesAndRecordsInvalidOnes) {
  Commission c(NewStart());
  Messages m(NewStart());
  notification::Notification launch;
  launch.treaty = "new-start";
  launch.sender = "RU";
  launch.sequence = 1;
  launch.type = "NST-LAUNCH";
  launch.event_time = testutil::T("2022-01-01T00:00:00Z");
  launch.sent_time = launch.event_time;
  launch.body = Value::OfMap({});  // not even valid: it is not ours
  EXPECT_TRUE(c.Apply(launch).ok());
  EXPECT_EQ(c.state().applied, 0u);
  EXPECT_TRUE(c.state().refusals.empty());

  notification::Notification bad = m.Raise("US", "2022-01-01T00:00:00Z", "I1");
  bad.body.mutable_map().erase("title");
  Status s = c.Apply(bad);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("body.title"));
  ASSERT_EQ(c.state().refusals.size(), 1u);
  EXPECT_TRUE(c.state().issues.empty());
}

// The fold's result does not depend on the order the logs are read in.
TEST(FoldCommissionTest, SameStateWhateverTheInputOrder) {
  Messages m(NewStart());
  std::vector<notification::Notification> ns = {
      m.Raise("US", "2022-11-01T00:00:00Z", "I1"),
      m.Propose("US", "2022-11-08T00:00:00Z", kS, "2022-11-29", "2022-12-06",
                "Cairo"),
      m.AcceptDates("RU", "2022-11-09T00:00:00Z", kS, "2022-11-29",
                    "2022-12-06", "Cairo"),
      m.Agenda("US", "2022-11-10T00:00:00Z", kS, "I1"),
      m.AcceptAgenda("RU", "2022-11-11T00:00:00Z", kS,
                     AgendaHashHex("new-start", kS, 1, {"I1"})),
      m.Convene("US", "2022-11-29T09:00:00Z", kS),
      m.Conclude("RU", "2022-12-06T09:00:00Z", kS),
      m.Dialogue("US", "2022-12-07T00:00:00Z", "active"),
      m.Dialogue("RU", "2022-12-08T00:00:00Z", "paused"),
  };
  std::mt19937 rng(5);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(ns.begin(), ns.end(), rng);
    State s =
        FoldCommission(NewStart(), ns, testutil::T("2030-01-01T00:00:00Z"));
    EXPECT_TRUE(s.refusals.empty()) << s.refusals.front().text;
    EXPECT_EQ(s.applied, ns.size());
    EXPECT_EQ(s.sessions.at(kS).status, SessionStatus::kConcluded);
    EXPECT_EQ(s.dialogues.at("SSD").status, DialogueStatus::kPaused);
  }
  // At an earlier instant only what had happened by then.
  State early =
      FoldCommission(NewStart(), ns, testutil::T("2022-11-29T08:59:59Z"));
  EXPECT_EQ(early.sessions.at(kS).status, SessionStatus::kScheduled);
  EXPECT_TRUE(early.dialogues.empty());
}

TEST(CadenceTest, TreatyYearsWithFewerSessionsThanTheSpecRequires) {
  // New START: at least two sessions a year (new-start.toml [commission]).
  Messages m(NewStart());
  std::vector<notification::Notification> ns;
  auto session = [&](const std::string& id, const std::string& day) {
    ns.push_back(m.Propose("US", day + "T00:00:00Z", id, day, day, "Geneva"));
    ns.push_back(
        m.AcceptDates("RU", day + "T00:00:01Z", id, day, day, "Geneva"));
    ns.push_back(m.Agenda("US", day + "T00:00:02Z", id, "I1"));
    ns.push_back(m.AcceptAgenda("RU", day + "T00:00:03Z", id,
                                AgendaHashHex("new-start", id, 1, {"I1"})));
    ns.push_back(m.Convene("US", day + "T09:00:00Z", id));
  };
  ns.push_back(m.Raise("US", "2011-02-05T00:00:00Z", "I1"));
  session("S1", "2011-03-28");
  session("S2", "2011-10-03");
  session("S3", "2012-01-24");  // treaty year 1 still (5 Feb 2011 - 2012)
  session("S4", "2012-09-11");  // treaty year 2: one session only
  State s = FoldCommission(NewStart(), ns, testutil::T("2014-01-01T00:00:00Z"));
  ASSERT_TRUE(s.refusals.empty()) << s.refusals.front().text;
  std::vector<CadenceYear> years =
      Cadence(NewStart(), s, testutil::T("2014-01-01T00:00:00Z"));
  ASSERT_EQ(years.size(), 2u);  // year 3 (Feb 2013 - Feb 2014) not over
  EXPECT_EQ(years[0].year.number, 1);
  EXPECT_EQ(years[0].convened, 3);
  EXPECT_EQ(years[0].required, 2);
  EXPECT_FALSE(years[0].Short());
  EXPECT_EQ(years[1].convened, 1);
  EXPECT_TRUE(years[1].Short());
  // At the treaty's end (5 Feb 2026) every one of the 15 years is over.
  EXPECT_EQ(Cadence(NewStart(), s, testutil::T("2030-01-01T00:00:00Z")).size(),
            15u);
}

TEST(ChannelTest, NotesDemarchesAndSeverance) {
  Commission c(NewStart());
  Messages m(NewStart());
  ASSERT_TRUE(c.Apply(m.Dialogue("US", "2021-07-28T00:00:00Z", "active")).ok());
  ASSERT_TRUE(
      c.Apply(m.Make("US", MessageKind::kDemarche, "2022-11-29T00:00:00Z",
                     {{"to", Value::Str("RU")},
                      {"level", Value::Str("ambassador")},
                      {"subject", Value::Str("BCC postponement")},
                      {"text", Value::Str("...")}}))
          .ok());
  ASSERT_TRUE(c.Apply(m.Make("RU", MessageKind::kNote, "2022-11-30T00:00:00Z",
                             {{"subject", Value::Str("reply")},
                              {"text", Value::Str("...")}}))
                  .ok());
  ASSERT_EQ(c.state().channel.size(), 2u);
  EXPECT_EQ(c.state().channel[0].kind, MessageKind::kDemarche);
  EXPECT_EQ(c.state().channel[0].level, "ambassador");
  EXPECT_EQ(c.state().channel[1].to, "");

  Status s = c.Apply(m.Make("US", MessageKind::kNote, "2022-12-01T00:00:00Z",
                            {{"subject", Value::Str("x")},
                             {"text", Value::Str("x")},
                             {"to", Value::Str("US")}}));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);

  Value::Map sever = {{"to", Value::Str("US")}};
  ASSERT_TRUE(c.Apply(m.Make("RU", MessageKind::kSeverance,
                             "2023-01-01T00:00:00Z", sever))
                  .ok());
  EXPECT_TRUE(c.state().Severed("US", "RU"));
  EXPECT_EQ(c.state().dialogues.at("SSD").status, DialogueStatus::kTerminated);
  // Terminal: nothing passes, nothing restarts, no second severance.
  s = c.Apply(m.Make("US", MessageKind::kDemarche, "2023-01-02T00:00:00Z",
                     {{"to", Value::Str("RU")},
                      {"level", Value::Str("embassy")},
                      {"subject", Value::Str("x")},
                      {"text", Value::Str("x")}}));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("relations between US and RU are severed"));
  s = c.Apply(m.Dialogue("US", "2023-01-03T00:00:00Z", "resumed"));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("dialogue SSD: the dialogue is terminated, which is "
                        "final"));
  s = c.Apply(m.Make("US", MessageKind::kSeverance, "2023-01-04T00:00:00Z",
                     {{"to", Value::Str("RU")}}));
  EXPECT_THAT(std::string(s.message()), HasSubstr("already severed"));
  s = c.Apply(m.Make("US", MessageKind::kSeverance, "2023-01-04T00:00:00Z",
                     {{"to", Value::Str("US")}}));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.state().channel.size(), 2u);
}

}  // namespace
}  // namespace detente::commission

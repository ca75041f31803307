#include "detente/inspection/inspections.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "detente/inspection/inspection_testing.h"
#include "detente/notification/value.h"
#include "fmt/format.h"

namespace detente::inspection {
namespace {

using notification::Notification;
using notification::Value;
using ::testing::HasSubstr;
using testutil::Hex32;
using testutil::Messages;
using testutil::NewStart;
using testutil::T;

// SYNTHETIC: an inspection by the US of a Russian base with four deployed
// missiles; ids and the base are invented for the test.
const char* kId = "US-2019-T1-01";
const char* kSite = "RU-SYN-BASE-1";
const std::vector<std::string> kList = {"SYN-M3", "SYN-M1", "SYN-M4", "SYN-M2"};
const char* kCommittedText = "SYN-M3, SYN-M1, SYN-M4, SYN-M2";

std::string Salt() { return Hex32(0x5a); }
std::string Commitment() {
  return testutil::CommitmentHex(NewStart(), kId, "RU", kSite, kList, Salt());
}

// The states an inspection can be in, reached by applying real messages.
enum class Start {
  kNone,
  kRequested,
  kArrived,
  kCommitted,
  kRandomGiven,
  kRevealed,
  kCompleted
};

void Reach(Start start, Inspections& f, Messages& m) {
  auto ok = [&](const Notification& n) {
    Status s = f.Apply(n);
    ASSERT_TRUE(s.ok()) << s;
  };
  if (start == Start::kNone) return;
  ok(m.Request("US", "2019-03-01T08:00:00Z", kId, "type_one"));
  if (start == Start::kRequested) return;
  ok(m.Arrive("US", "2019-03-01T10:00:00Z", kId, "type_one", kSite));
  if (start == Start::kArrived) return;
  ok(m.Commit("RU", "2019-03-01T12:00:00Z", kId, Commitment()));
  if (start == Start::kCommitted) return;
  ok(m.Random("US", "2019-03-01T13:00:00Z", kId, Hex32(0x77)));
  if (start == Start::kRandomGiven) return;
  ok(m.Reveal("RU", "2019-03-01T14:00:00Z", kId, kCommittedText, Salt()));
  if (start == Start::kRevealed) return;
  ok(m.Complete("US", "2019-03-02T10:00:00Z", kId, "type_one", kSite));
}

enum class Msg { kRequest, kArrive, kCommit, kRandom, kReveal, kComplete };

Notification Make(Msg msg, Messages& m, bool wrong_party = false) {
  const std::string t = "2019-03-03T00:00:00Z";
  const std::string inspecting = wrong_party ? "RU" : "US";
  const std::string inspected = wrong_party ? "US" : "RU";
  switch (msg) {
    case Msg::kRequest:
      return m.Request(inspecting, t, kId, "type_one");
    case Msg::kArrive:
      return m.Arrive(inspecting, t, kId, "type_one", kSite);
    case Msg::kCommit:
      return m.Commit(inspected, t, kId, Commitment());
    case Msg::kRandom:
      return m.Random(inspecting, t, kId, Hex32(0x77));
    case Msg::kReveal:
      return m.Reveal(inspected, t, kId, kCommittedText, Salt());
    case Msg::kComplete:
      return m.Complete(inspecting, t, kId, "type_one", kSite);
  }
  return {};
}

using IS = InspectionStatus;
constexpr StatusCode kOk = StatusCode::kOk;
constexpr StatusCode kFP = StatusCode::kFailedPrecondition;
constexpr StatusCode kNF = StatusCode::kNotFound;
constexpr StatusCode kAE = StatusCode::kAlreadyExists;

struct Row {
  Start start;
  Msg msg;
  StatusCode code;  // kOk: allowed
  std::optional<IS> after;
  const char* text;          // allowed: ""; refused: in the message
  const char* irregularity;  // a rule the step shows, or ""
};

const Row kRows[] = {
    {Start::kNone, Msg::kRequest, kOk, IS::kRequested, "", ""},
    {Start::kNone,
     Msg::kArrive,
     kNF,
     {},
     "inspection US-2019-T1-01 has not been requested: arrival without "
     "request",
     ""},
    {Start::kNone, Msg::kCommit, kNF, {}, "has not been requested", ""},
    {Start::kNone, Msg::kRandom, kNF, {}, "has not been requested", ""},
    {Start::kNone, Msg::kReveal, kNF, {}, "has not been requested", ""},
    {Start::kNone,
     Msg::kComplete,
     kNF,
     {},
     "has not been requested: completion without request",
     ""},

    {Start::kRequested, Msg::kRequest, kAE, IS::kRequested,
     "inspection US-2019-T1-01 was already requested by US (#1)", ""},
    {Start::kRequested, Msg::kArrive, kOk, IS::kArrived, "", ""},
    {Start::kRequested, Msg::kCommit, kFP, IS::kRequested,
     "inspection US-2019-T1-01 has no designated site yet (it is "
     "requested)",
     ""},
    {Start::kRequested, Msg::kRandom, kFP, IS::kRequested,
     "RU has not committed to its list of missiles", ""},
    {Start::kRequested, Msg::kReveal, kFP, IS::kRequested,
     "nothing to reveal: RU has not committed", ""},
    {Start::kRequested, Msg::kComplete, kFP, IS::kRequested,
     "inspection US-2019-T1-01 has not arrived: completion without arrival",
     ""},

    {Start::kArrived, Msg::kRequest, kAE, IS::kArrived, "already requested",
     ""},
    {Start::kArrived, Msg::kArrive, kFP, IS::kArrived,
     "inspection US-2019-T1-01 already arrived at 2019-03-01T10:00:00Z "
     "(RU-SYN-BASE-1)",
     ""},
    {Start::kArrived, Msg::kCommit, kOk, IS::kArrived, "", ""},
    {Start::kArrived, Msg::kRandom, kFP, IS::kArrived, "has not committed", ""},
    {Start::kArrived, Msg::kReveal, kFP, IS::kArrived, "nothing to reveal", ""},
    {Start::kArrived, Msg::kComplete, kOk, IS::kCompleted, "", ""},

    {Start::kCommitted, Msg::kRequest, kAE, IS::kArrived, "already requested",
     ""},
    {Start::kCommitted, Msg::kArrive, kFP, IS::kArrived, "already arrived", ""},
    {Start::kCommitted, Msg::kCommit, kAE, IS::kArrived,
     "inspection US-2019-T1-01: RU already committed (#1, ", ""},
    {Start::kCommitted, Msg::kRandom, kOk, IS::kArrived, "", ""},
    {Start::kCommitted, Msg::kReveal, kFP, IS::kArrived,
     "US has not given its random value", ""},
    {Start::kCommitted, Msg::kComplete, kOk, IS::kCompleted, "", ""},

    {Start::kRandomGiven, Msg::kCommit, kAE, IS::kArrived, "already committed",
     ""},
    {Start::kRandomGiven, Msg::kRandom, kAE, IS::kArrived,
     "US already gave its random value (#3)", ""},
    {Start::kRandomGiven, Msg::kReveal, kOk, IS::kArrived, "", ""},
    {Start::kRandomGiven, Msg::kComplete, kOk, IS::kCompleted, "",
     "rv-not-revealed"},

    {Start::kRevealed, Msg::kArrive, kFP, IS::kArrived, "already arrived", ""},
    {Start::kRevealed, Msg::kCommit, kAE, IS::kArrived, "already committed",
     ""},
    {Start::kRevealed, Msg::kRandom, kAE, IS::kArrived,
     "already gave its random value", ""},
    {Start::kRevealed, Msg::kReveal, kAE, IS::kArrived,
     "the commitment was already revealed (#2)", ""},
    {Start::kRevealed, Msg::kComplete, kOk, IS::kCompleted, "", ""},

    {Start::kCompleted, Msg::kRequest, kAE, IS::kCompleted, "already requested",
     ""},
    {Start::kCompleted, Msg::kArrive, kFP, IS::kCompleted,
     "inspection US-2019-T1-01 was completed at 2019-03-02T10:00:00Z (#4 of "
     "US)",
     ""},
    {Start::kCompleted, Msg::kCommit, kFP, IS::kCompleted, "was completed", ""},
    {Start::kCompleted, Msg::kRandom, kFP, IS::kCompleted, "was completed", ""},
    {Start::kCompleted, Msg::kReveal, kFP, IS::kCompleted, "was completed", ""},
    {Start::kCompleted, Msg::kComplete, kFP, IS::kCompleted, "was completed",
     ""},
};

class InspectionTransitionTest : public ::testing::TestWithParam<Row> {};

TEST_P(InspectionTransitionTest, AllowedOrRefused) {
  const Row& row = GetParam();
  Inspections f(NewStart());
  Messages m(NewStart());
  Reach(row.start, f, m);
  ASSERT_TRUE(f.state().refusals.empty());
  const State before = f.state();
  Notification n = Make(row.msg, m);
  Status s = f.Apply(n);
  EXPECT_EQ(s.code(), row.code) << s;
  if (row.code == kOk) {
    EXPECT_TRUE(f.state().refusals.empty());
    EXPECT_EQ(f.state().applied, before.applied + 1);
  } else {
    EXPECT_THAT(std::string(s.message()), HasSubstr(row.text));
    EXPECT_THAT(std::string(s.message()),
                HasSubstr(n.sender + " #" + std::to_string(n.sequence) + " (" +
                          n.type + "): "));
    ASSERT_EQ(f.state().refusals.size(), 1u);
    EXPECT_EQ(f.state().refusals[0].text, s.message());
    EXPECT_EQ(f.state().applied, before.applied);
  }
  auto it = f.state().inspections.find(kId);
  if (row.after) {
    ASSERT_NE(it, f.state().inspections.end());
    EXPECT_EQ(InspectionStatusName(it->second.status),
              InspectionStatusName(*row.after));
  } else {
    EXPECT_EQ(it, f.state().inspections.end());
  }
  if (*row.irregularity != '\0') {
    ASSERT_EQ(f.state().irregularities.size(), 1u);
    EXPECT_EQ(f.state().irregularities[0].rule, row.irregularity);
    EXPECT_EQ(f.state().irregularities[0].party, "RU");
  } else {
    EXPECT_TRUE(f.state().irregularities.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Table, InspectionTransitionTest,
                         ::testing::ValuesIn(kRows));

// Each step sent by the other party is refused, naming who sends it.
struct WrongRow {
  Start start;
  Msg msg;
  const char* text;
};
const WrongRow kWrong[] = {
    {Start::kRequested, Msg::kArrive,
     "inspection US-2019-T1-01 is US's inspection of RU: only the inspecting "
     "party (US) "
     "sends INSP-ARRIVAL"},
    {Start::kArrived, Msg::kCommit,
     "only the inspected party (RU) sends INSP-RV-COMMIT"},
    {Start::kCommitted, Msg::kRandom,
     "only the inspecting party (US) sends INSP-RV-RANDOM"},
    {Start::kRandomGiven, Msg::kReveal,
     "only the inspected party (RU) sends INSP-RV-REVEAL"},
    {Start::kRevealed, Msg::kComplete,
     "only the inspecting party (US) sends INSP-COMPLETE"},
};

class InspectionWrongPartyTest : public ::testing::TestWithParam<WrongRow> {};

TEST_P(InspectionWrongPartyTest, Refused) {
  const WrongRow& row = GetParam();
  Inspections f(NewStart());
  Messages m(NewStart());
  Reach(row.start, f, m);
  Status s = f.Apply(Make(row.msg, m, /*wrong_party=*/true));
  EXPECT_EQ(s.code(), kFP);
  EXPECT_THAT(std::string(s.message()), HasSubstr(row.text));
}

INSTANTIATE_TEST_SUITE_P(Table, InspectionWrongPartyTest,
                         ::testing::ValuesIn(kWrong));

TEST(InspectionRequestTest, AnInspectedPartyOtherThanTheSenderIsRequired) {
  Inspections f(NewStart());
  Messages m(NewStart());
  Status s = f.Apply(m.Request("US", "2019-03-01T08:00:00Z", kId, "type_one",
                               /*inspected=*/"US"));
  EXPECT_EQ(s.code(), kFP);
  EXPECT_THAT(std::string(s.message()), HasSubstr("US cannot inspect itself"));
  // Absent in a two-party treaty: the other party.
  ASSERT_TRUE(
      f.Apply(m.Request("RU", "2019-03-01T08:00:00Z", "RU-1", "type_two"))
          .ok());
  EXPECT_EQ(f.state().inspections.at("RU-1").inspected, "US");
}

TEST(InspectionRequestTest, NotBeforeTheStartDateNorAfterTheEnd) {
  // Inspections may begin 60 days after entry into force (facts §5):
  // 2011-02-05 + 60 days = 2011-04-06.
  Inspections f(NewStart());
  Messages m(NewStart());
  Status s = f.Apply(m.Request("US", "2011-04-05T23:59:59Z", "A", "type_one"));
  EXPECT_EQ(s.code(), kFP);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("type_one inspections may begin on 2011-04-06 (60 "
                        "days after entry into force, 2011-02-05): planned "
                        "arrival 2011-04-05T23:59:59Z is before the start "
                        "date"));
  EXPECT_TRUE(
      f.Apply(m.Request("US", "2011-04-06T00:00:00Z", "B", "type_one")).ok());
  EXPECT_EQ(f.state().inspections.at("B").period.ToString(),
            "treaty year 2011 (2011-02-05 to 2012-02-04)");

  s = f.Apply(m.Request("RU", "2026-02-05T00:00:00Z", "C", "type_two"));
  EXPECT_EQ(s.code(), kFP);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("the treaty is not in force on 2026-02-05 (it ended "
                        "2026-02-05)"));
}

TEST(InspectionRequestTest, UnknownInspectionType) {
  treaty::Spec spec = NewStart();
  spec.inspections.types.pop_back();  // only type_one
  Inspections f(spec);
  Messages m(spec);
  Status s = f.Apply(m.Request("US", "2019-03-01T08:00:00Z", kId, "type_two"));
  EXPECT_EQ(s.code(), kNF);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("inspection type 'type_two' is not in the spec "
                        "(types: type_one)"));
}

TEST(InspectionRequestTest, ArrivalAndCompletionMustMatchTheRequest) {
  Inspections f(NewStart());
  Messages m(NewStart());
  Reach(Start::kRequested, f, m);
  Status s =
      f.Apply(m.Arrive("US", "2019-03-01T10:00:00Z", kId, "type_two", kSite));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("inspection US-2019-T1-01 was requested as type_one, "
                        "not type_two"));
  ASSERT_TRUE(
      f.Apply(m.Arrive("US", "2019-03-01T10:00:00Z", kId, "type_one", kSite))
          .ok());
  s = f.Apply(m.Complete("US", "2019-03-02T10:00:00Z", kId, "type_one",
                         "RU-SYN-BASE-2"));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("inspection US-2019-T1-01 was at RU-SYN-BASE-1, the "
                        "site designated on arrival, not RU-SYN-BASE-2"));
  s = f.Apply(m.Complete("US", "2019-03-02T10:00:00Z", kId, "type_two", kSite));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("is a type_one inspection, not type_two"));
  EXPECT_EQ(f.state().refusals.size(), 3u);
}

TEST(InspectionRequestTest, DeadlinesComeFromTheCatalogue) {
  Inspections f(NewStart());
  Messages m(NewStart());
  Reach(Start::kCompleted, f, m);
  const Inspection& i = f.state().inspections.at(kId);
  // At least param:inspection_arrival_notice_hours (32, not public) before
  // the planned arrival; designation within param:site_designation_hours
  // (24, not public) after arrival; completion: no deadline.
  ASSERT_TRUE(i.requested.due);
  EXPECT_EQ(i.requested.due->ToString(), "2019-02-28T00:00:00Z");
  ASSERT_TRUE(i.arrived->due);
  EXPECT_EQ(i.arrived->due->ToString(), "2019-03-02T10:00:00Z");
  EXPECT_FALSE(i.completed->due);
}

// One finished Type One or Type Two inspection of `inspected` by `p`.
void Conduct(Inspections& f, Messages& m, const std::string& p,
             const std::string& id, const std::string& type,
             const std::string& day) {
  for (const Notification& n :
       {m.Request(p, day + "T08:00:00Z", id, type),
        m.Arrive(p, day + "T10:00:00Z", id, type, "SYN-SITE"),
        m.Complete(p, day + "T20:00:00Z", id, type, "SYN-SITE")}) {
    Status s = f.Apply(n);
    ASSERT_TRUE(s.ok()) << s;
  }
}

TEST(InspectionQuotaTest, TenTypeOnePerTreatyYearThenRefusedThenReset) {
  Inspections f(NewStart());
  Messages m(NewStart());
  // Treaty year 2019: 2019-02-05 to 2020-02-04.
  for (int k = 0; k < 10; ++k) {
    Conduct(f, m, "US", "US-T1-" + std::to_string(k), "type_one",
            fmt::format("2019-{:02}-10", k + 2));
  }
  EXPECT_EQ(f.state().Used("US", "type_one", 2019), 10);
  Status s =
      f.Apply(m.Request("US", "2020-02-04T08:00:00Z", "US-T1-X", "type_one"));
  EXPECT_EQ(s.code(), kFP);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("type_one quota of US in treaty year 2019 "
                        "(2019-02-05 to 2020-02-04) exhausted: 10 of 10 "
                        "used"));
  // Other quotas are their own: Type Two for the US, Type One for Russia.
  Conduct(f, m, "US", "US-T2-0", "type_two", "2019-12-20");
  Conduct(f, m, "RU", "RU-T1-0", "type_one", "2019-12-21");
  // The next treaty year starts on 5 February.
  Conduct(f, m, "US", "US-T1-X", "type_one", "2020-02-05");
  EXPECT_EQ(f.state().Used("US", "type_one", 2020), 1);

  Result<std::vector<QuotaRow>> rows = QuotaUse(NewStart(), f.state(), 2019);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 4u);  // US, RU x type_one, type_two
  EXPECT_EQ((*rows)[0].party, "US");
  EXPECT_EQ((*rows)[0].type, "type_one");
  EXPECT_EQ((*rows)[0].used, 10);
  EXPECT_EQ((*rows)[0].quota, 10);
  EXPECT_EQ((*rows)[0].Remaining(), 0);
  EXPECT_EQ((*rows)[0].inspections.front(), "US-T1-0");
  EXPECT_EQ((*rows)[1].type, "type_two");
  EXPECT_EQ((*rows)[1].used, 1);
  EXPECT_EQ((*rows)[1].quota, 8);
  EXPECT_EQ((*rows)[2].party, "RU");
  EXPECT_EQ((*rows)[2].used, 1);
  EXPECT_EQ((*rows)[3].used, 0);
  EXPECT_FALSE(QuotaUse(NewStart(), f.state(), 2010).ok());
}

TEST(InspectionQuotaTest, EightTypeTwo) {
  Inspections f(NewStart());
  Messages m(NewStart());
  for (int k = 0; k < 8; ++k) {
    Conduct(f, m, "RU", "RU-T2-" + std::to_string(k), "type_two",
            fmt::format("2012-{:02}-01", k + 3));
  }
  Status s =
      f.Apply(m.Request("RU", "2012-12-01T08:00:00Z", "RU-T2-8", "type_two"));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("type_two quota of RU in treaty year 2012 "
                        "(2012-02-05 to 2013-02-04) exhausted: 8 of 8 used"));
}

TEST(InspectionOneAtATimeTest, OnTheInspectedPartysTerritory) {
  Inspections f(NewStart());
  Messages m(NewStart());
  Reach(Start::kArrived, f, m);
  Status s = f.Apply(
      m.Request("US", "2019-03-01T20:00:00Z", "US-2019-T2-01", "type_two"));
  EXPECT_EQ(s.code(), kFP);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("another inspection is in progress on RU's "
                        "territory: US-2019-T1-01 (type_one by US, arrived) "
                        "since 2019-03-01T08:00:00Z; one inspection at a "
                        "time"));
  // Russia may inspect the United States meanwhile.
  EXPECT_TRUE(f.Apply(m.Request("RU", "2019-03-01T21:00:00Z", "RU-2019-T1-01",
                                "type_one"))
                  .ok());
  ASSERT_TRUE(
      f.Apply(m.Complete("US", "2019-03-02T10:00:00Z", kId, "type_one", kSite))
          .ok());
  EXPECT_TRUE(f.Apply(m.Request("US", "2019-03-03T08:00:00Z", "US-2019-T2-01",
                                "type_two"))
                  .ok());
}

TEST(InspectionOneAtATimeTest, NotWhenTheSpecAllowsSeveral) {
  treaty::Spec spec = NewStart();
  spec.inspections.one_at_a_time = false;
  Inspections f(spec);
  Messages m(spec);
  ASSERT_TRUE(
      f.Apply(m.Request("US", "2019-03-01T08:00:00Z", "A", "type_one")).ok());
  EXPECT_TRUE(
      f.Apply(m.Request("US", "2019-03-01T09:00:00Z", "B", "type_two")).ok());
  EXPECT_EQ(f.state().in_progress.at("RU").size(), 2u);
}

// --- The reentry-vehicle choice -------------------------------------------

// The designated index, recomputed here from the notifications alone, by
// the bytes docs/inspection.md gives: nothing from the fold's state.
size_t RecomputeFromLogs(const std::vector<Notification>& log) {
  const Notification* request = nullptr;
  const Notification* arrival = nullptr;
  const Notification* commit = nullptr;
  const Notification* random = nullptr;
  const Notification* reveal = nullptr;
  for (const Notification& n : log) {
    if (n.type == "NST-INSP-REQUEST") request = &n;
    if (n.type == "NST-INSP-ARRIVAL") arrival = &n;
    if (n.type == "NST-INSP-RV-COMMIT") commit = &n;
    if (n.type == "NST-INSP-RV-RANDOM") random = &n;
    if (n.type == "NST-INSP-RV-REVEAL") reveal = &n;
  }
  EXPECT_TRUE(request && arrival && commit && random && reveal);
  // Opening: the reveal's list and salt; bound to treaty, inspection,
  // inspected party (the other party) and site.
  std::vector<std::string> ids;
  std::string text = reveal->body.Find("missiles")->str();
  for (size_t start = 0;;) {
    size_t comma = text.find(',', start);
    std::string id = text.substr(start, comma - start);
    id.erase(0, id.find_first_not_of(' '));
    ids.push_back(id);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  Value::List list;
  for (const std::string& id : ids) list.push_back(Value::Str(id));
  std::string bytes = std::string(kRvCommitContext) +
                      notification::Encode(Value::OfMap({
                          {"facility", *arrival->body.Find("facility")},
                          {"inspection", *request->body.Find("inspection")},
                          {"missiles", Value::OfList(list)},
                          {"party", Value::Str(reveal->sender)},
                          {"salt", *reveal->body.Find("salt")},
                          {"treaty", Value::Str(request->treaty)},
                      }));
  crypto::Sha256Digest c = crypto::Sha256(bytes);
  EXPECT_EQ(crypto::HexEncode(c), commit->body.Find("commitment")->str());
  std::vector<uint8_t> r =
      *crypto::HexDecode(random->body.Find("random")->str());
  const uint64_t n = ids.size();
  const uint64_t threshold = (~uint64_t{0} % n + 1) % n;  // 2^64 mod n
  for (uint32_t j = 0;; ++j) {
    std::string m(kRvSelectContext);
    m.append(reinterpret_cast<const char*>(c.data()), c.size());
    m.append(reinterpret_cast<const char*>(r.data()), r.size());
    for (int s = 24; s >= 0; s -= 8) m.push_back(static_cast<char>(j >> s));
    crypto::Sha256Digest d = crypto::Sha256(m);
    for (size_t w = 0; w < 4; ++w) {
      uint64_t x = 0;
      for (size_t b = 0; b < 8; ++b) x = (x << 8) | d[w * 8 + b];
      if (x >= threshold) return static_cast<size_t>(x % n);
    }
  }
}

struct RvRun {
  std::vector<Notification> log;
  std::string designated;
};

// A full reentry-vehicle inspection; the log holds every notification.
RvRun RunRv(Inspections& f, Messages& m, const std::string& random) {
  RvRun run;
  auto ok = [&](Notification n) {
    Status s = f.Apply(n);
    EXPECT_TRUE(s.ok()) << s;
    run.log.push_back(std::move(n));
  };
  ok(m.Request("US", "2019-03-01T08:00:00Z", kId, "type_one"));
  ok(m.Arrive("US", "2019-03-01T10:00:00Z", kId, "type_one", kSite));
  ok(m.Commit("RU", "2019-03-01T12:00:00Z", kId, Commitment()));
  ok(m.Random("US", "2019-03-01T13:00:00Z", kId, random));
  ok(m.Reveal("RU", "2019-03-01T14:00:00Z", kId, kCommittedText, Salt()));
  const Inspection& i = f.state().inspections.at(kId);
  run.designated = i.rv->designated;
  return run;
}

MapDeclarations SiteDeclarations() {
  MapDeclarations d;
  // SYNTHETIC declared loads.
  d.Declare("RU", "SYN-M1", kSite, 4);
  d.Declare("RU", "SYN-M2", kSite, 3);
  d.Declare("RU", "SYN-M3", kSite, 4);
  d.Declare("RU", "SYN-M4", kSite, 2);
  d.Declare("RU", "SYN-M9", "RU-SYN-BASE-2", 4);
  return d;
}

TEST(InspectionRvTest, SelectionRecomputedFromTheLogs) {
  for (int fill : {0x00, 0x77, 0xa1, 0xff}) {
    MapDeclarations d = SiteDeclarations();
    Inspections f(NewStart(), &d);
    Messages m(NewStart());
    RvRun run = RunRv(f, m, Hex32(static_cast<uint8_t>(fill)));
    size_t index = RecomputeFromLogs(run.log);
    EXPECT_EQ(run.designated, kList[index]) << fill;
    const Inspection& i = f.state().inspections.at(kId);
    EXPECT_EQ(*i.rv->index, index);
    EXPECT_EQ(i.rv->missiles, kList);
    // The fold over the same notifications in any order agrees.
    std::vector<Notification> shuffled = run.log;
    std::reverse(shuffled.begin(), shuffled.end());
    State again =
        FoldInspections(NewStart(), shuffled, T("2030-01-01T00:00:00Z"), &d);
    EXPECT_EQ(again.inspections.at(kId).rv->designated, run.designated);
    EXPECT_TRUE(again.refusals.empty());
    EXPECT_TRUE(again.irregularities.empty());
  }
}

TEST(InspectionRvTest, CountEqualToTheDeclarationIsNoFinding) {
  MapDeclarations d = SiteDeclarations();
  Inspections f(NewStart(), &d);
  Messages m(NewStart());
  RvRun run = RunRv(f, m, Hex32(0x77));
  int64_t declared = *d.DeclaredWarheads("RU", run.designated);
  ASSERT_TRUE(f.Apply(m.Complete("US", "2019-03-02T10:00:00Z", kId, "type_one",
                                 kSite, run.designated, declared))
                  .ok());
  const Inspection& i = f.state().inspections.at(kId);
  EXPECT_EQ(i.rv_inspected_item, run.designated);
  EXPECT_EQ(i.rv_counted, declared);
  EXPECT_EQ(i.rv_declared, declared);
  EXPECT_TRUE(f.state().irregularities.empty());
}

TEST(InspectionRvTest, CountDifferentFromTheDeclarationIsAnIrregularity) {
  MapDeclarations d = SiteDeclarations();
  Inspections f(NewStart(), &d);
  Messages m(NewStart());
  RvRun run = RunRv(f, m, Hex32(0x77));
  int64_t declared = *d.DeclaredWarheads("RU", run.designated);
  ASSERT_TRUE(f.Apply(m.Complete("US", "2019-03-02T10:00:00Z", kId, "type_one",
                                 kSite, run.designated, declared + 1))
                  .ok());
  ASSERT_EQ(f.state().irregularities.size(), 1u);
  const Irregularity& irr = f.state().irregularities[0];
  EXPECT_EQ(irr.rule, "warheads-count-mismatch");
  EXPECT_EQ(irr.party, "RU");
  EXPECT_EQ(irr.inspection, kId);
  EXPECT_EQ(irr.text,
            fmt::format("inspection US-2019-T1-01: US counted {} warheads on "
                        "RU's missile {} at RU-SYN-BASE-1; {} declared",
                        declared + 1, run.designated, declared));
  // Evidence: commitment, random value, reveal and completion.
  ASSERT_EQ(irr.sources.size(), 4u);
  EXPECT_EQ(irr.sources[0].type, "NST-INSP-RV-COMMIT");
  EXPECT_EQ(irr.sources[3].type, "NST-INSP-COMPLETE");
}

TEST(InspectionRvTest, DesignatedMissileNoLongerDeclared) {
  MapDeclarations d = SiteDeclarations();
  Inspections f(NewStart(), &d);
  Messages m(NewStart());
  RvRun run = RunRv(f, m, Hex32(0x77));
  d.Remove("RU", run.designated);
  ASSERT_TRUE(f.Apply(m.Complete("US", "2019-03-02T10:00:00Z", kId, "type_one",
                                 kSite, run.designated, 1))
                  .ok());
  ASSERT_EQ(f.state().irregularities.size(), 1u);
  EXPECT_EQ(f.state().irregularities[0].rule, "rv-item-undeclared");
}

TEST(InspectionRvTest, CompletionMustNameTheDesignatedMissile) {
  MapDeclarations d = SiteDeclarations();
  Inspections f(NewStart(), &d);
  Messages m(NewStart());
  RvRun run = RunRv(f, m, Hex32(0x77));
  const Inspection& i = f.state().inspections.at(kId);
  std::string other = kList[(*i.rv->index + 1) % kList.size()];
  Status s = f.Apply(m.Complete("US", "2019-03-02T10:00:00Z", kId, "type_one",
                                kSite, other, 4));
  EXPECT_EQ(s.code(), kFP);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr(fmt::format(
                  "{} is in the committed list but not designated; the "
                  "designated missile is {} (index {} of 4)",
                  other, run.designated, *i.rv->index)));
  s = f.Apply(m.Complete("US", "2019-03-02T10:00:00Z", kId, "type_one", kSite,
                         "SYN-M9", 4));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("SYN-M9 is not in the committed list; the designated "
                        "missile is"));
  Value::Map body;
  s = f.Apply(m.Make("US", MessageKind::kComplete, "2019-03-02T10:00:00Z",
                     {{"inspection", Value::Str(kId)},
                      {"inspection_type", Value::Str("type_one")},
                      {"facility", Value::Str(kSite)},
                      {"rv_counted", Value::Int(4)}}));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("body.rv_counted needs body.rv_inspected_item"));
  EXPECT_TRUE(f.state().irregularities.empty());
  EXPECT_EQ(f.state().inspections.at(kId).status, IS::kArrived);
}

TEST(InspectionRvTest, NoCountWithoutADesignation) {
  Inspections f(NewStart());
  Messages m(NewStart());
  Reach(Start::kRandomGiven, f, m);
  Status s = f.Apply(m.Complete("US", "2019-03-02T10:00:00Z", kId, "type_one",
                                kSite, "SYN-M1", 4));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("no missile has been designated (the commitment was "
                        "not revealed), so SYN-M1 was not randomly "
                        "selected"));
}

TEST(InspectionRvTest, RevealThatDoesNotOpenTheCommitment) {
  struct Case {
    const char* missiles;
    std::string salt;
  };
  const Case cases[] = {
      {"SYN-M1, SYN-M2, SYN-M3, SYN-M4", Salt()},  // another order
      {kCommittedText, Hex32(0x5b)},               // another salt
      {"SYN-M3, SYN-M1, SYN-M4", Salt()},          // a missile left out
  };
  for (const Case& c : cases) {
    Inspections f(NewStart());
    Messages m(NewStart());
    Reach(Start::kRandomGiven, f, m);
    Status s = f.Apply(
        m.Reveal("RU", "2019-03-01T14:00:00Z", kId, c.missiles, c.salt));
    EXPECT_EQ(s.code(), kFP);
    EXPECT_THAT(std::string(s.message()),
                HasSubstr("the list and salt revealed by RU do not open its "
                          "commitment: they hash to "));
    EXPECT_FALSE(f.state().inspections.at(kId).rv->revealed);
    ASSERT_EQ(f.state().irregularities.size(), 1u);
    EXPECT_EQ(f.state().irregularities[0].rule, "rv-reveal-mismatch");
    EXPECT_EQ(f.state().irregularities[0].party, "RU");
    // The true opening is still accepted afterwards.
    EXPECT_TRUE(f.Apply(m.Reveal("RU", "2019-03-01T15:00:00Z", kId,
                                 kCommittedText, Salt()))
                    .ok());
  }
}

TEST(InspectionRvTest, MalformedValuesAreRefused) {
  Inspections f(NewStart());
  Messages m(NewStart());
  Reach(Start::kArrived, f, m);
  Status s = f.Apply(m.Commit("RU", "2019-03-01T12:00:00Z", kId, "abc"));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("body.commitment: 3 char"));
  ASSERT_TRUE(
      f.Apply(m.Commit("RU", "2019-03-01T12:00:00Z", kId, Commitment())).ok());
  s = f.Apply(
      m.Random("US", "2019-03-01T13:00:00Z", kId, std::string(64, 'F')));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("body.random: character 1 ('F') is not a lower-case"));
  ASSERT_TRUE(
      f.Apply(m.Random("US", "2019-03-01T13:00:00Z", kId, Hex32(1))).ok());
  s = f.Apply(
      m.Reveal("RU", "2019-03-01T14:00:00Z", kId, "SYN-M1,,SYN-M2", Salt()));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("body.missiles: entry 2 is empty"));
}

TEST(InspectionRvTest, EmptyCommittedListDesignatesNothing) {
  Inspections f(NewStart());
  Messages m(NewStart());
  Reach(Start::kArrived, f, m);
  std::string c =
      testutil::CommitmentHex(NewStart(), kId, "RU", kSite, {}, Salt());
  ASSERT_TRUE(f.Apply(m.Commit("RU", "2019-03-01T12:00:00Z", kId, c)).ok());
  ASSERT_TRUE(
      f.Apply(m.Random("US", "2019-03-01T13:00:00Z", kId, Hex32(1))).ok());
  Status s = f.Apply(m.Reveal("RU", "2019-03-01T14:00:00Z", kId, "", Salt()));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("the committed list is empty: no missile can be "
                        "designated"));
}

TEST(InspectionRvTest, CommittedListMustBeTheDeclaredOne) {
  MapDeclarations d = SiteDeclarations();
  d.Declare("RU", "SYN-M5", kSite, 1);  // declared at the site, left out
  d.Remove("RU", "SYN-M4");             // committed, not declared there
  Inspections f(NewStart(), &d);
  Messages m(NewStart());
  RunRv(f, m, Hex32(0x77));
  ASSERT_EQ(f.state().irregularities.size(), 1u);
  const Irregularity& irr = f.state().irregularities[0];
  EXPECT_EQ(irr.rule, "rv-list-mismatch");
  EXPECT_EQ(irr.text,
            "inspection US-2019-T1-01: RU's committed list at RU-SYN-BASE-1 "
            "is not its declared deployed missiles there (4 declared, 4 "
            "committed); left out: SYN-M5; not declared there: SYN-M4");
}

TEST(InspectionRvTest, TypeTwoCountsNoReentryVehicles) {
  Inspections f(NewStart());
  Messages m(NewStart());
  ASSERT_TRUE(
      f.Apply(m.Request("US", "2019-03-01T08:00:00Z", kId, "type_two")).ok());
  ASSERT_TRUE(
      f.Apply(m.Arrive("US", "2019-03-01T10:00:00Z", kId, "type_two", kSite))
          .ok());
  Status s = f.Apply(m.Commit("RU", "2019-03-01T12:00:00Z", kId, Commitment()));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("is a type_two inspection, which does not count "
                        "reentry vehicles"));
}

// Neither party alone chooses: with the other's input fixed, each party's
// input moves the designation over every missile.
TEST(InspectionRvTest, BothInputsMatter) {
  const size_t n = kList.size();
  std::vector<int> by_random(n), by_salt(n);
  for (int k = 0; k < 400; ++k) {
    // Only the inspecting party's value changes.
    crypto::Sha256Digest r{};
    r[0] = static_cast<uint8_t>(k);
    r[1] = static_cast<uint8_t>(k >> 8);
    crypto::Sha256Digest c = *ParseHex32(Commitment(), "c");
    ++by_random[*SelectIndex(c, r, n)];
    // Only the inspected party's salt (hence its commitment) changes.
    std::vector<uint8_t> salt(32);
    salt[0] = static_cast<uint8_t>(k);
    salt[1] = static_cast<uint8_t>(k >> 8);
    crypto::Sha256Digest c2 = RvCommitment(RvOpening{
        "new-start", kId, "RU", kSite, kList, crypto::HexEncode(salt)});
    ++by_salt[*SelectIndex(c2, *ParseHex32(Hex32(0x77), "r"), n)];
  }
  for (size_t i = 0; i < n; ++i) {
    EXPECT_GT(by_random[i], 60) << i;
    EXPECT_LT(by_random[i], 140) << i;
    EXPECT_GT(by_salt[i], 60) << i;
    EXPECT_LT(by_salt[i], 140) << i;
  }
  // And through the fold: two random values, two different designations.
  std::set<std::string> seen;
  for (uint8_t fill = 0; fill < 16; ++fill) {
    Inspections f(NewStart());
    Messages m(NewStart());
    seen.insert(RunRv(f, m, Hex32(fill)).designated);
  }
  EXPECT_GT(seen.size(), 1u);
}

TEST(InspectionFoldTest, OrderAndCutOff) {
  Messages m(NewStart());
  std::vector<Notification> log = {
      m.Request("US", "2019-03-01T08:00:00Z", kId, "type_one"),
      m.Arrive("US", "2019-03-01T10:00:00Z", kId, "type_one", kSite),
      m.Complete("US", "2019-03-02T10:00:00Z", kId, "type_one", kSite),
  };
  std::vector<Notification> shuffled = log;
  std::mt19937 rng(7);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  State all = FoldInspections(NewStart(), shuffled, T("2019-12-31T00:00:00Z"));
  EXPECT_EQ(all.inspections.at(kId).status, IS::kCompleted);
  EXPECT_EQ(all.applied, 3u);
  State mid = FoldInspections(NewStart(), shuffled, T("2019-03-01T12:00:00Z"));
  EXPECT_EQ(mid.inspections.at(kId).status, IS::kArrived);
  EXPECT_EQ(mid.in_progress.at("RU").size(), 1u);
}

TEST(InspectionFoldTest, OtherMessagesAreIgnoredAndInvalidOnesRefused) {
  Inspections f(NewStart());
  Notification other;
  other.treaty = "new-start";
  other.sender = "US";
  other.sequence = 1;
  other.type = "NST-INSP-FLIGHT-PLAN";
  other.event_time = T("2019-03-01T00:00:00Z");
  other.sent_time = other.event_time;
  other.body = Value::OfMap({});  // invalid, but not read: ignored
  EXPECT_TRUE(f.Apply(other).ok());
  EXPECT_EQ(f.state().applied, 0u);
  other.type = "NST-INSP-REQUEST";  // read, and invalid
  Status s = f.Apply(other);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("US #1 (NST-INSP-REQUEST): body."));
  EXPECT_EQ(f.state().refusals.size(), 1u);
}

}  // namespace
}  // namespace detente::inspection

// A three-party treaty (data/treaties/follow-on-3p.toml): one party
// withholds acceptance, and nothing that needs all three happens.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "detente/commission/agenda.h"
#include "detente/commission/commission.h"
#include "detente/commission/commission_testing.h"

namespace detente::commission {
namespace {

using ::testing::HasSubstr;
using testutil::CommissionerKey;
using testutil::FollowOn3p;
using testutil::Messages;

class ThreePartyTest : public ::testing::Test {
 protected:
  void Ok(const notification::Notification& n) {
    Status s = c_.Apply(n);
    ASSERT_TRUE(s.ok()) << s;
  }
  Commission c_{FollowOn3p()};
  Messages m_{FollowOn3p()};
};

TEST_F(ThreePartyTest, OneWithholdingPartyBlocksEveryAgreement) {
  ASSERT_EQ(PartyCodes(FollowOn3p()),
            (std::vector<std::string>{"US", "RU", "CN"}));
  Ok(m_.Raise("US", "2031-01-01T00:00:00Z", "T1"));
  Ok(m_.Raise("CN", "2031-01-01T00:00:00Z", "T2"));
  Ok(m_.Propose("US", "2031-02-01T00:00:00Z", "TCC-1", "2031-03-10",
                "2031-03-14", "Vienna"));
  Ok(m_.AcceptDates("RU", "2031-02-02T00:00:00Z", "TCC-1", "2031-03-10",
                    "2031-03-14", "Vienna"));
  // Two of three is not enough.
  EXPECT_EQ(c_.state().sessions.at("TCC-1").status, SessionStatus::kProposed);
  Status s = c_.Apply(m_.Convene("US", "2031-03-10T09:00:00Z", "TCC-1"));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("session TCC-1 cannot convene: it is proposed (dates "
                        "v1 not accepted by CN)"));
  Ok(m_.AcceptDates("CN", "2031-02-03T00:00:00Z", "TCC-1", "2031-03-10",
                    "2031-03-14", "Vienna"));
  EXPECT_EQ(c_.state().sessions.at("TCC-1").status, SessionStatus::kScheduled);

  // CN withholds acceptance of the agenda.
  Ok(m_.Agenda("US", "2031-02-10T00:00:00Z", "TCC-1", "T1, T2"));
  const std::string v1 =
      AgendaHashHex("follow-on-3p", "TCC-1", 1, {"T1", "T2"});
  Ok(m_.AcceptAgenda("RU", "2031-02-11T00:00:00Z", "TCC-1", v1));
  EXPECT_FALSE(c_.state().sessions.at("TCC-1").agenda.AgreedBy(
      PartyCodes(FollowOn3p())));
  s = c_.Apply(m_.Convene("US", "2031-03-10T09:00:00Z", "TCC-1"));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("session TCC-1 cannot convene: agenda v1 (hash " +
                        v1.substr(0, 16) +
                        "…) not accepted by CN; items T1, T2 accepted only "
                        "by US and RU"));

  // CN counter-proposes: US and RU's acceptances are superseded.
  Ok(m_.Agenda("CN", "2031-02-12T00:00:00Z", "TCC-1", "T2"));
  s = c_.Apply(m_.Convene("US", "2031-03-10T09:00:00Z", "TCC-1"));
  EXPECT_THAT(
      std::string(s.message()),
      HasSubstr(
          "agenda v2 (hash " +
          AgendaHashHex("follow-on-3p", "TCC-1", 2, {"T2"}).substr(0, 16) +
          "…) not accepted by US and RU"));
  // Every item of v2 (T2) is in each party's latest acceptance: no item
  // clause.
  EXPECT_THAT(std::string(s.message()), ::testing::Not(HasSubstr("item")));

  // Cancellation also needs all three.
  Ok(m_.Cancel("US", "2031-02-20T00:00:00Z", "TCC-1"));
  Ok(m_.Cancel("RU", "2031-02-20T00:00:00Z", "TCC-1"));
  EXPECT_EQ(c_.state().sessions.at("TCC-1").status, SessionStatus::kScheduled);
  EXPECT_EQ(c_.state().sessions.at("TCC-1").cancel_requests.size(), 2u);

  // Any single party can postpone.
  Ok(m_.Postpone("CN", "2031-03-01T00:00:00Z", "TCC-1"));
  EXPECT_EQ(c_.state().sessions.at("TCC-1").status, SessionStatus::kPostponed);
}

TEST_F(ThreePartyTest, OutcomeNeedsAllThreeCommissioners) {
  crypto::SignerKey us = CommissionerKey("US"), ru = CommissionerKey("RU"),
                    cn = CommissionerKey("CN");
  Ok(m_.Appoint("US", "2031-01-01T00:00:00Z", us.verifier()));
  Ok(m_.Appoint("RU", "2031-01-01T00:00:00Z", ru.verifier()));
  Ok(m_.Appoint("CN", "2031-01-01T00:00:00Z", cn.verifier()));
  Ok(m_.Raise("US", "2031-01-01T00:00:00Z", "T1"));
  Ok(m_.Propose("US", "2031-02-01T00:00:00Z", "TCC-1", "2031-03-10",
                "2031-03-14", "Vienna"));
  Ok(m_.AcceptDates("RU", "2031-02-02T00:00:00Z", "TCC-1", "2031-03-10",
                    "2031-03-14", "Vienna"));
  Ok(m_.AcceptDates("CN", "2031-02-02T00:00:00Z", "TCC-1", "2031-03-10",
                    "2031-03-14", "Vienna"));
  Ok(m_.Agenda("RU", "2031-02-10T00:00:00Z", "TCC-1", "T1"));
  const std::string v1 = AgendaHashHex("follow-on-3p", "TCC-1", 1, {"T1"});
  Ok(m_.AcceptAgenda("US", "2031-02-11T00:00:00Z", "TCC-1", v1));
  Ok(m_.AcceptAgenda("CN", "2031-02-11T00:00:00Z", "TCC-1", v1));
  Ok(m_.Convene("CN", "2031-03-10T09:00:00Z", "TCC-1"));

  OutcomeRecord r;
  r.treaty = "follow-on-3p";
  r.session = "TCC-1";
  r.kind = "agreement";
  r.number = 1;
  r.title = "t";
  r.signed_on = *Date::Parse("2031-03-14");
  r.text = "x";
  r.confidential = true;
  auto outcome = [&](const std::vector<OutcomeSignature>& sigs) {
    return m_.Make("RU", MessageKind::kOutcome, "2031-03-14T12:00:00Z",
                   OutcomeBody(r, sigs));
  };
  Status s =
      c_.Apply(outcome({SignOutcome(r, "US", us), SignOutcome(r, "RU", ru)}));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("agreement 1 (session TCC-1): no signature by CN's "
                        "commissioner"));
  Ok(outcome({SignOutcome(r, "CN", cn), SignOutcome(r, "US", us),
              SignOutcome(r, "RU", ru)}));
  ASSERT_EQ(c_.state().outcomes.size(), 1u);
  EXPECT_TRUE(c_.state().outcomes[0].record.confidential);
  Ok(m_.Conclude("US", "2031-03-14T17:00:00Z", "TCC-1"));
}

}  // namespace
}  // namespace detente::commission

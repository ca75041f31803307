#include "detente/commission/messages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "detente/commission/commission_testing.h"

namespace detente::commission {
namespace {

using ::testing::HasSubstr;

TEST(MessagesTest, KindsBySuffix) {
  EXPECT_EQ(KindOf("NST-BCC-AGENDA-PROPOSE"), MessageKind::kAgendaPropose);
  EXPECT_EQ(KindOf("TRI-TCC-AGENDA-ACCEPT"), MessageKind::kAgendaAccept);
  EXPECT_EQ(KindOf("NST-BCC-SESSION-ACCEPT"), MessageKind::kSessionAccept);
  EXPECT_EQ(KindOf("NST-BCC-POSTPONE"), MessageKind::kPostpone);
  EXPECT_EQ(KindOf("NST-DIP-NOTE"), MessageKind::kNote);
  EXPECT_EQ(KindOf("NST-ITEM-MOVE"), MessageKind::kNone);
  EXPECT_EQ(KindOf("-OUTCOME"), MessageKind::kNone);  // a suffix alone
  for (MessageKind k : AllMessageKinds()) {
    EXPECT_EQ(KindOf("X" + std::string(SuffixOf(k))), k);
  }
}

// Both bundled specs with a commission carry every message, with the
// fields the fold reads.
TEST(MessagesTest, BundledCataloguesFit) {
  for (const char* stem : {"new-start", "follow-on-3p"}) {
    SCOPED_TRACE(stem);
    const treaty::Spec& spec = testutil::Bundled(stem);
    EXPECT_TRUE(CheckCatalogue(spec).ok()) << CheckCatalogue(spec);
    for (MessageKind k : AllMessageKinds()) {
      EXPECT_NE(testutil::CodeFor(spec, k), "") << SuffixOf(k);
    }
  }
}

TEST(MessagesTest, CatalogueThatDoesNotFitIsNamed) {
  treaty::Spec spec = testutil::NewStart();
  auto type = [&](const char* code) -> treaty::NotificationType& {
    for (auto& t : spec.notifications) {
      if (t.code == code) return t;
    }
    ADD_FAILURE() << code;
    return spec.notifications.front();
  };
  treaty::Spec original = spec;
  std::erase_if(type("NST-BCC-OUTCOME").fields,
                [](const treaty::Field& f) { return f.name == "signatures"; });
  Status s = CheckCatalogue(spec);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("NST-BCC-OUTCOME: -OUTCOME message has no field "
                        "'signatures' (text)"));

  spec = original;
  for (auto& f : type("NST-BCC-AGENDA-PROPOSE").fields) {
    if (f.name == "issues") f.type = treaty::ValueType::kString;
  }
  EXPECT_THAT(std::string(CheckCatalogue(spec).message()),
              HasSubstr("field 'issues' is string, the commission fold reads "
                        "it as text"));

  spec = original;
  for (auto& f : type("NST-BCC-SESSION-CONVENE").fields) f.required = false;
  EXPECT_THAT(std::string(CheckCatalogue(spec).message()),
              HasSubstr("field 'session' must be required"));

  spec = original;
  for (auto& f : type("NST-DIALOGUE-STATUS").fields) {
    if (f.name == "status") f.values = {"active", "paused", "terminated"};
  }
  EXPECT_THAT(std::string(CheckCatalogue(spec).message()),
              HasSubstr("lacks the value 'resumed'"));
}

}  // namespace
}  // namespace detente::commission

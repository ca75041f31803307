#include "detente/registry/item.h"

#include <gtest/gtest.h>

#include <string>

#include "fmt/format.h"

namespace detente::registry {
namespace {

Item MakeItem(const std::string& id, const std::string& party) {
  Item i;
  i.id = id;
  i.party = party;
  i.category = "icbm";
  i.status = "deployed";
  return i;
}

// Find* go through the hash index beside the ordered map: every item is
// found by its identifier, and only by it, as the set grows, after a
// party's items are removed, in copies and after moves.
TEST(ItemSetTest, IndexFindsExactlyTheItemsOfTheSet) {
  ItemSet set;
  // Long shared prefixes, a prefix of another identifier, and one longer
  // than most.
  for (int k = 0; k < 3000; ++k) {
    const std::string party = k % 2 ? "US" : "RU";
    ASSERT_TRUE(
        set.AddItem(MakeItem(fmt::format("{}-SYN-ICBM-{:07}", party, k), party))
            .ok());
  }
  ASSERT_TRUE(set.AddItem(MakeItem("US-SYN-ICBM", "US")).ok());
  const std::string long_id(200, 'x');
  ASSERT_TRUE(set.AddItem(MakeItem(long_id, "RU")).ok());
  EXPECT_EQ(set.size(), 3002u);
  EXPECT_FALSE(set.AddItem(MakeItem("US-SYN-ICBM-0000001", "RU")).ok());
  EXPECT_FALSE(set.AddItem(MakeItem("", "RU")).ok());

  for (int k = 0; k < 3000; ++k) {
    const std::string id =
        fmt::format("{}-SYN-ICBM-{:07}", k % 2 ? "US" : "RU", k);
    const Item* i = set.FindItem(id);
    ASSERT_NE(i, nullptr) << id;
    EXPECT_EQ(i->id, id);
    EXPECT_EQ(set.FindMutableItem(id), i);
  }
  EXPECT_NE(set.FindItem("US-SYN-ICBM"), nullptr);
  EXPECT_NE(set.FindItem(long_id), nullptr);
  EXPECT_EQ(set.FindItem("US-SYN-ICBM-000000"), nullptr);
  EXPECT_EQ(set.FindItem("RU-SYN-ICBM-0000001"), nullptr);  // US's number
  EXPECT_EQ(set.FindItem(""), nullptr);
  EXPECT_EQ(set.FindItem(std::string(199, 'x')), nullptr);

  // A copy has its own index over its own items.
  ItemSet copy = set;
  Item* mine = copy.FindMutableItem("US-SYN-ICBM-0000001");
  ASSERT_NE(mine, nullptr);
  EXPECT_NE(mine, set.FindItem("US-SYN-ICBM-0000001"));
  mine->status = "non_deployed";
  EXPECT_EQ(set.FindItem("US-SYN-ICBM-0000001")->status, "deployed");
  ItemSet assigned;
  assigned = copy;
  EXPECT_EQ(assigned.FindItem("US-SYN-ICBM-0000001")->status, "non_deployed");
  EXPECT_NE(assigned.FindItem("US-SYN-ICBM-0000001"),
            copy.FindItem("US-SYN-ICBM-0000001"));

  // Removing a party's items drops them from the index.
  set.RemovePartyItems("US");
  EXPECT_EQ(set.size(), 1501u);
  EXPECT_EQ(set.FindItem("US-SYN-ICBM-0000001"), nullptr);
  EXPECT_EQ(set.FindItem("US-SYN-ICBM"), nullptr);
  EXPECT_NE(set.FindItem("RU-SYN-ICBM-0000000"), nullptr);
  EXPECT_NE(set.FindItem(long_id), nullptr);
  ASSERT_TRUE(set.AddItem(MakeItem("US-SYN-ICBM-0000001", "US")).ok());
  EXPECT_NE(set.FindItem("US-SYN-ICBM-0000001"), nullptr);

  // A move keeps the items where they are, and the index with them.
  const Item* before = copy.FindItem("RU-SYN-ICBM-0000002");
  ItemSet moved = std::move(copy);
  EXPECT_EQ(moved.FindItem("RU-SYN-ICBM-0000002"), before);
  EXPECT_EQ(moved.size(), 3002u);
}

}  // namespace
}  // namespace detente::registry

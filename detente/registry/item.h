// Item, Facility and ItemSet: the treaty database as a set of declared items
// (each ICBM, SLBM, launcher, heavy bomber, ... with its unique identifier)
// and the facilities where they are located.
//
// An ItemSet is a snapshot: the database of all parties at one moment. It
// owns its items, keeps them ordered by identifier (the order counting terms
// with `first` rely on) and refuses a duplicate identifier. Beside the
// ordered map it keeps a hash index by identifier, so that Find* (the regime
// fold looks an item up at almost every step) costs one hash of the
// identifier instead of a walk down a tree of long common-prefix strings.
// Pointers returned by Find* borrow from the set; they stay valid until the
// item is removed (RemovePartyItems) or the set is destroyed or assigned.
// Not thread-safe for mutation; const methods may be called concurrently.
#ifndef DETENTE_REGISTRY_ITEM_H_
#define DETENTE_REGISTRY_ITEM_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/status.h"

namespace detente::registry {

struct Facility {
  std::string id;
  std::string party;
  std::string name;
  std::string kind;  // e.g. "ICBM base", "submarine base", "storage facility"
};

struct Item {
  std::string id;        // unique identifier, unique across all parties
  std::string party;     // party code from the spec
  std::string category;  // category id from the spec
  std::string type;      // e.g. "Minuteman III"; free text
  std::string status;    // status id from the spec
  std::string facility;  // facility id, may be empty
  int64_t warheads = 0;  // reentry vehicles emplaced (categories that
                         // carry warheads only)
  // Category attributes as written; typed by the spec's declarations.
  std::map<std::string, std::string, std::less<>> attributes;
};

class ItemSet {
 public:
  ItemSet() = default;
  // Copies rebuild the index over the copy's own items; moves keep it (the
  // map's nodes move with it).
  ItemSet(const ItemSet& other);
  ItemSet& operator=(const ItemSet& other);
  ItemSet(ItemSet&&) = default;
  ItemSet& operator=(ItemSet&&) = default;

  // AlreadyExists when the identifier is taken.
  Status AddItem(Item item);
  Status AddFacility(Facility facility);

  // Ordered by identifier.
  using ItemMap = std::map<std::string, Item, std::less<>>;
  using FacilityMap = std::map<std::string, Facility, std::less<>>;
  const ItemMap& items() const { return items_; }
  const FacilityMap& facilities() const { return facilities_; }
  size_t size() const { return items_.size(); }

  const Item* FindItem(std::string_view id) const;
  // For the regime fold, which changes items in place (never their `id`,
  // which the set is keyed and indexed by).
  Item* FindMutableItem(std::string_view id);
  // Removes every item of `party` (a full declaration replaces them).
  void RemovePartyItems(std::string_view party);
  const Facility* FindFacility(std::string_view id) const;

  // Hints for a caller that knows which identifiers it will look up a few
  // steps ahead (the regime fold, whose lookups otherwise wait on three
  // cache misses in a row: the index slot, the item, its identifier's
  // bytes): no effect on the set or on what Find* returns. HashId(id)
  // once; PrefetchSlot(hash) some steps before the lookup; PrefetchItem
  // (hash) a few steps later, when the slot is in cache (it reads the
  // index to find the item).
  static uint64_t HashId(std::string_view id) { return Hash(id); }
  void PrefetchSlot(uint64_t hash) const { index_.PrefetchSlot(hash); }
  void PrefetchItem(uint64_t hash) const { index_.PrefetchItem(hash); }

 private:
  // Identifier -> item in items_ (whose nodes never move): open addressing,
  // linear probing, a power-of-two number of slots at most half full. Items
  // are only ever added one by one or removed a party at a time, so a
  // removal rebuilds it instead of leaving tombstones.
  class Index {
   public:
    void Insert(uint64_t hash, Item* item);
    Item* Find(uint64_t hash, std::string_view id) const;
    void Rebuild(ItemMap& items);
    void PrefetchSlot(uint64_t hash) const;
    void PrefetchItem(uint64_t hash) const;

   private:
    // The identifier's bytes are pointed to from the slot (they do not
    // move while the item is in the set: its `id` never changes), so that
    // a lookup compares them without reading the item.
    struct Slot {
      uint64_t hash = 0;
      Item* item = nullptr;      // nullptr: empty
      const char* id = nullptr;  // item->id.data()
      size_t id_size = 0;
    };
    void Grow();
    std::vector<Slot> slots_;
    size_t size_ = 0;
  };
  static uint64_t Hash(std::string_view id);

  ItemMap items_;
  FacilityMap facilities_;
  Index index_;
};

}  // namespace detente::registry

#endif  // DETENTE_REGISTRY_ITEM_H_

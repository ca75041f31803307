// Item, Facility and ItemSet: the treaty database as a set of declared items
// (each ICBM, SLBM, launcher, heavy bomber, ... with its unique identifier)
// and the facilities where they are located.
//
// An ItemSet is a snapshot: the database of all parties at one moment. It
// owns its items, keeps them ordered by identifier (the order counting terms
// with `first` rely on) and refuses a duplicate identifier. Pointers returned
// by Find* borrow from the set and are invalidated by Add*. Not thread-safe
// for mutation; const methods may be called concurrently.
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
  // For the regime fold, which changes items in place. Invalidated by Add*.
  Item* FindMutableItem(std::string_view id);
  // Removes every item of `party` (a full declaration replaces them).
  void RemovePartyItems(std::string_view party);
  const Facility* FindFacility(std::string_view id) const;

 private:
  ItemMap items_;
  FacilityMap facilities_;
};

}  // namespace detente::registry

#endif  // DETENTE_REGISTRY_ITEM_H_

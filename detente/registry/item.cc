#include "detente/registry/item.h"

#include "fmt/format.h"

namespace detente::registry {

Status ItemSet::AddItem(Item item) {
  if (item.id.empty())
    return Status::InvalidArgument("item without identifier");
  auto it = items_.find(item.id);
  if (it != items_.end()) {
    return Status::AlreadyExists(
        fmt::format("duplicate identifier '{}' (already declared for party {})",
                    item.id, it->second.party));
  }
  std::string key = item.id;
  items_.emplace(std::move(key), std::move(item));
  return Status::Ok();
}

Status ItemSet::AddFacility(Facility facility) {
  if (facility.id.empty()) {
    return Status::InvalidArgument("facility without identifier");
  }
  if (facilities_.count(facility.id) != 0) {
    return Status::AlreadyExists(
        fmt::format("duplicate facility '{}'", facility.id));
  }
  std::string key = facility.id;
  facilities_.emplace(std::move(key), std::move(facility));
  return Status::Ok();
}

const Item* ItemSet::FindItem(std::string_view id) const {
  auto it = items_.find(id);
  return it == items_.end() ? nullptr : &it->second;
}

Item* ItemSet::FindMutableItem(std::string_view id) {
  auto it = items_.find(id);
  return it == items_.end() ? nullptr : &it->second;
}

void ItemSet::RemovePartyItems(std::string_view party) {
  std::erase_if(items_,
                [&](const auto& kv) { return kv.second.party == party; });
}

const Facility* ItemSet::FindFacility(std::string_view id) const {
  auto it = facilities_.find(id);
  return it == facilities_.end() ? nullptr : &it->second;
}

}  // namespace detente::registry

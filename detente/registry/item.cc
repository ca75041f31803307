#include "detente/registry/item.h"

#include <functional>

#include "detente/base/bytes.h"
#include "fmt/format.h"

namespace detente::registry {

uint64_t ItemSet::Hash(std::string_view id) {
  return std::hash<std::string_view>{}(id);
}

void ItemSet::Index::Insert(uint64_t hash, Item* item) {
  if (2 * (size_ + 1) > slots_.size()) Grow();
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(hash) & mask;
  while (slots_[i].item != nullptr) i = (i + 1) & mask;
  slots_[i] = {hash, item, item->id.data(), item->id.size()};
  ++size_;
}

Item* ItemSet::Index::Find(uint64_t hash, std::string_view id) const {
  if (slots_.empty()) return nullptr;
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.item == nullptr) return nullptr;
    if (s.hash == hash && SameBytes(std::string_view(s.id, s.id_size), id)) {
      return s.item;
    }
  }
}

void ItemSet::Index::PrefetchSlot(uint64_t hash) const {
  if (slots_.empty()) return;
  __builtin_prefetch(&slots_[static_cast<size_t>(hash) & (slots_.size() - 1)]);
}

void ItemSet::Index::PrefetchItem(uint64_t hash) const {
  if (slots_.empty()) return;
  const size_t mask = slots_.size() - 1;
  // The first slot of the right hash (another identifier with the same 64
  // bits only costs a useless prefetch); a few probes at most, at most half
  // full.
  for (size_t i = static_cast<size_t>(hash) & mask, n = 0; n < 8;
       i = (i + 1) & mask, ++n) {
    const Slot& s = slots_[i];
    if (s.item == nullptr) return;
    if (s.hash != hash) continue;
    // The item's lines (a step reads its identifier, party, category,
    // type, status, facility and warheads).
    const char* p = reinterpret_cast<const char*>(s.item);
    for (size_t b = 0; b < sizeof(Item); b += 64) {
      __builtin_prefetch(p + b);
    }
    __builtin_prefetch(s.id);  // compared by the lookup
    return;
  }
}

void ItemSet::Index::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 16 : 2 * old.size(), Slot{});
  size_ = 0;
  for (const Slot& s : old) {
    if (s.item != nullptr) Insert(s.hash, s.item);
  }
}

void ItemSet::Index::Rebuild(ItemMap& items) {
  size_t n = 16;
  while (n < 2 * items.size()) n *= 2;
  slots_.assign(n, Slot{});
  size_ = 0;
  for (auto& [id, item] : items) Insert(Hash(id), &item);
}

ItemSet::ItemSet(const ItemSet& other)
    : items_(other.items_), facilities_(other.facilities_) {
  index_.Rebuild(items_);
}

ItemSet& ItemSet::operator=(const ItemSet& other) {
  if (this != &other) {
    items_ = other.items_;
    facilities_ = other.facilities_;
    index_.Rebuild(items_);
  }
  return *this;
}

Status ItemSet::AddItem(Item item) {
  if (item.id.empty())
    return Status::InvalidArgument("item without identifier");
  const uint64_t hash = Hash(item.id);
  if (const Item* taken = index_.Find(hash, item.id); taken != nullptr) {
    return Status::AlreadyExists(
        fmt::format("duplicate identifier '{}' (already declared for party {})",
                    item.id, taken->party));
  }
  std::string key = item.id;
  auto [it, inserted] = items_.emplace(std::move(key), std::move(item));
  index_.Insert(hash, &it->second);
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
  return index_.Find(Hash(id), id);
}

Item* ItemSet::FindMutableItem(std::string_view id) {
  return index_.Find(Hash(id), id);
}

void ItemSet::RemovePartyItems(std::string_view party) {
  if (std::erase_if(items_, [&](const auto& kv) {
        return kv.second.party == party;
      }) != 0) {
    index_.Rebuild(items_);
  }
}

const Facility* ItemSet::FindFacility(std::string_view id) const {
  auto it = facilities_.find(id);
  return it == facilities_.end() ? nullptr : &it->second;
}

}  // namespace detente::registry

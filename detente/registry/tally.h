// Tally: every limit's aggregate for every party, kept up to date as items
// come, change and go, so that a fold can read an aggregate after each
// notification without recounting the whole database.
//
// The caller tells the tally about every change to the counted ItemSet:
// Add(item) once an item is in the set, Remove(item) while it still holds
// its old values (before changing or erasing it), RemoveParty(p) when all of
// a party's items are dropped. A change is "remove the old contribution, add
// the new one": O(terms of the item's category).
//
// Terms with a `first` cut-off are order dependent (the Nth item by
// identifier counts differently from the N+1th), so a limit with such a term
// is not maintained incrementally: a change that touches one of its terms
// marks it stale for that party, and the next read recounts it from the set
// (registry::Count). Reads therefore take the ItemSet they describe.
//
// Invariant (tested against CountAll after random changes): after every
// change has been reported, All(items) == CountAll(spec, items), value for
// value and term for term, and fails exactly when CountAll fails.
//
// Borrows the Spec, which must outlive the tally. Copyable (a State that
// holds one is a value). Not thread-safe, not even for concurrent reads:
// a read may recount a stale limit and store the result.
#ifndef DETENTE_REGISTRY_TALLY_H_
#define DETENTE_REGISTRY_TALLY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/registry/counting.h"
#include "detente/registry/item.h"
#include "detente/treaty/spec.h"

namespace detente::registry {

class Tally {
 public:
  // A tally of nothing: every read fails. For default-constructed states.
  Tally() = default;
  explicit Tally(const treaty::Spec& spec);

  // `item` joined the set (after ItemSet::AddItem or after changing it).
  void Add(const Item& item) { Offer(item, +1); }
  // `item` is about to leave the set or change; REQUIRES: it was Add()ed
  // with these values.
  void Remove(const Item& item) { Offer(item, -1); }
  // Every item of `party` left the set (ItemSet::RemovePartyItems).
  void RemoveParty(std::string_view party);
  // Every item left the set.
  void Clear();

  // The index of `party` in the spec's parties, or -1.
  int PartyIndex(std::string_view party) const;

  // The aggregate of spec.limits[limit] for spec.parties[party], as
  // Count(limit, items, party) would give it. REQUIRES: `items` is the set
  // this tally has been told about; indices in range.
  // Const, but may recount a stale order-dependent limit and remember it.
  Result<int64_t> Value(size_t limit, size_t party,
                        const ItemSet& items) const {
    // Inline for the fold, which reads the aggregates after every step: a
    // maintained limit (or a fresh order-dependent one) whose items all
    // weigh is the sum of its slots.
    if (spec_ != nullptr && party < spec_->parties.size() &&
        limit < limits_.size()) {
      const LimitInfo& info = limits_[limit];
      if (!(info.order_dependent && info.stale[party])) {
        bool weighable = true;
        int64_t v = 0;
        for (const Slot& s : info.slots[party]) {
          weighable = weighable && s.unweighable == 0;
          v += s.value;
        }
        if (weighable) return v;
      }
    }
    return SlowValue(limit, party, items);
  }
  Result<Aggregate> Get(size_t limit, size_t party, const ItemSet& items) const;
  // Every aggregate, in CountAll's order and with its contents.
  Result<std::vector<Aggregate>> All(const ItemSet& items) const;

  // Whether the limit has a term with `first` (recounted on read).
  bool order_dependent(size_t limit) const {
    return limits_[limit].order_dependent;
  }

 private:
  struct Slot {
    int64_t items = 0;
    int64_t value = 0;
    // Matching items whose weight cannot be computed: while any remain,
    // reads recount so as to fail as CountAll does, naming the item.
    int64_t unweighable = 0;
  };
  struct LimitInfo {
    bool order_dependent = false;
    // [party][term]
    std::vector<std::vector<Slot>> slots;
    std::vector<bool> stale;  // [party], order-dependent limits only
  };
  struct TermRef {
    size_t limit;
    size_t term;
  };
  struct CategoryTerms {
    std::string category;
    std::vector<TermRef> terms;
  };

  void Offer(const Item& item, int sign);
  Result<int64_t> SlowValue(size_t limit, size_t party,
                            const ItemSet& items) const;
  Status CheckParty(size_t party) const;

  const treaty::Spec* spec_ = nullptr;
  // Mutable: reads refresh stale order-dependent limits.
  mutable std::vector<LimitInfo> limits_;
  std::vector<CategoryTerms> by_category_;
};

}  // namespace detente::registry

#endif  // DETENTE_REGISTRY_TALLY_H_

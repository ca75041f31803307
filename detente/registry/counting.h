// The counting engine: computes each limit's aggregate for a party from an
// item set according to a spec's declarative terms, and checks the
// aggregate against the limit at a date.
//
// Pure functions over borrowed inputs (the Spec and ItemSet must outlive the
// call; results copy what they need). Thread-safe.
#ifndef DETENTE_REGISTRY_COUNTING_H_
#define DETENTE_REGISTRY_COUNTING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/registry/item.h"
#include "detente/treaty/spec.h"

namespace detente::registry {

// What one term added to an aggregate.
struct TermCount {
  size_t term_index = 0;  // into Limit::terms
  int64_t items = 0;      // matching items
  int64_t value = 0;      // their weighted contribution
};

struct Aggregate {
  std::string limit_id;
  std::string party;
  int64_t value = 0;
  std::vector<TermCount> terms;
};

// Where a figure stands against its limit.
// Persistent (appears in JSON and CSV output): do not rename entries.
enum class LimitState {
  kInformational,  // the limit does not bind on that date
  kWithin,
  kOver,          // above max
  kUnder,         // below min
  kNotPublished,  // no figure to check (published data only)
};
std::string_view LimitStateName(
    LimitState s);  // "informational", "within", ...

// The state of `value` against `limit` on `at`: informational when the limit
// does not bind then.
LimitState Evaluate(const treaty::Spec& spec, const treaty::Limit& limit,
                    int64_t value, Date at);

// True when `item` is counted by `term` (category, status, party, type and
// attribute conditions; not the `first` cut-off).
bool Matches(const treaty::Term& term, const Item& item);

// What one matching `item` adds under weight `w`. Fails when the weight
// names an attribute the item lacks or that is not an integer.
Result<int64_t> WeightOf(const treaty::Weight& w, const Item& item);

// The aggregate of `limit` over the items of `party`. Fails when an item
// lacks an integer attribute a weight needs (the message names the item).
// With `first` = N, matching items beyond the Nth (in identifier order)
// count at `then`, or not at all when the term has no `then`.
Result<Aggregate> Count(const treaty::Limit& limit, const ItemSet& items,
                        std::string_view party);

// Every limit's aggregate for every party it applies to, in spec order
// (limits outer, parties inner), in one pass over the items.
Result<std::vector<Aggregate>> CountAll(const treaty::Spec& spec,
                                        const ItemSet& items);

struct LimitCheck {
  Aggregate aggregate;
  LimitState state = LimitState::kInformational;
  bool binding = false;
  // max - value when a max is set (negative when over).
  std::optional<int64_t> headroom;
};

// Every limit applicable to every party, at `at`, in spec order (limits
// outer, parties inner).
Result<std::vector<LimitCheck>> CheckAll(const treaty::Spec& spec,
                                         const ItemSet& items, Date at);

}  // namespace detente::registry

#endif  // DETENTE_REGISTRY_COUNTING_H_

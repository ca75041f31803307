#include "detente/registry/counting.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "detente/base/bytes.h"
#include "fmt/format.h"

namespace detente::registry {
namespace {

using treaty::AttributeCondition;
using treaty::Weight;

bool Contains(const std::vector<std::string>& v, std::string_view x) {
  for (const std::string& s : v) {
    if (SameBytes(s, x)) return true;
  }
  return false;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return v;
}

bool ConditionHolds(const AttributeCondition& c, const Item& item) {
  auto it = item.attributes.find(c.attribute);
  if (it == item.attributes.end()) return false;
  if (c.equals) return it->second == *c.equals;
  std::optional<int64_t> v = ParseInt(it->second);
  if (!v) return false;
  if (c.min && *v < *c.min) return false;
  if (c.max && *v > *c.max) return false;
  return true;
}

}  // namespace

std::string_view LimitStateName(LimitState s) {
  switch (s) {
    case LimitState::kInformational:
      return "informational";
    case LimitState::kWithin:
      return "within";
    case LimitState::kOver:
      return "over";
    case LimitState::kUnder:
      return "under";
    case LimitState::kNotPublished:
      return "not published";
  }
  return "unknown";
}

LimitState Evaluate(const treaty::Spec& spec, const treaty::Limit& limit,
                    int64_t value, Date at) {
  if (!spec.Binds(limit, at)) return LimitState::kInformational;
  if (limit.max && value > *limit.max) return LimitState::kOver;
  if (limit.min && value < *limit.min) return LimitState::kUnder;
  return LimitState::kWithin;
}

bool Matches(const treaty::Term& term, const Item& item) {
  if (!SameBytes(item.category, term.category)) return false;
  if (!Contains(term.statuses, item.status)) return false;
  if (!term.parties.empty() && !Contains(term.parties, item.party)) {
    return false;
  }
  if (!term.types.empty() && !Contains(term.types, item.type)) return false;
  for (const AttributeCondition& c : term.where) {
    if (!ConditionHolds(c, item)) return false;
  }
  return true;
}

Result<int64_t> WeightOf(const Weight& w, const Item& item) {
  switch (w.kind) {
    case Weight::Kind::kOne:
      return int64_t{1};
    case Weight::Kind::kWarheads:
      return item.warheads;
    case Weight::Kind::kConstant:
      return w.constant;
    case Weight::Kind::kAttribute: {
      auto it = item.attributes.find(w.attribute);
      if (it == item.attributes.end() || it->second.empty()) {
        return Status::InvalidArgument(
            fmt::format("item '{}' has no '{}', which its weight needs",
                        item.id, w.attribute));
      }
      std::optional<int64_t> v = ParseInt(it->second);
      if (!v) {
        return Status::InvalidArgument(
            fmt::format("item '{}': '{}' = '{}' is not an integer", item.id,
                        w.attribute, it->second));
      }
      return *v;
    }
  }
  return Status::Internal("unknown weight kind");
}

namespace {

// Adds `item` to `tc` under `term`, honouring `first`/`then`.
Status Accumulate(const treaty::Term& term, const Item& item, TermCount& tc) {
  bool beyond_first = term.first && tc.items >= *term.first;
  ++tc.items;
  // Beyond the first N with no `then`, an item adds nothing.
  const Weight* w =
      beyond_first ? (term.then ? &*term.then : nullptr) : &term.weight;
  if (w == nullptr) return Status::Ok();
  DETENTE_ASSIGN_OR_RETURN(int64_t v, WeightOf(*w, item));
  tc.value += v;
  return Status::Ok();
}

}  // namespace

Result<Aggregate> Count(const treaty::Limit& limit, const ItemSet& items,
                        std::string_view party) {
  Aggregate agg;
  agg.limit_id = limit.id;
  agg.party = std::string(party);
  agg.terms.resize(limit.terms.size());
  for (size_t t = 0; t < limit.terms.size(); ++t) agg.terms[t].term_index = t;
  // items() iterates in identifier order, which `first` relies on.
  for (const auto& [id, item] : items.items()) {
    if (item.party != party) continue;
    for (size_t t = 0; t < limit.terms.size(); ++t) {
      if (!Matches(limit.terms[t], item)) continue;
      DETENTE_RETURN_IF_ERROR(Accumulate(limit.terms[t], item, agg.terms[t]));
    }
  }
  for (const TermCount& tc : agg.terms) agg.value += tc.value;
  return agg;
}

Result<std::vector<Aggregate>> CountAll(const treaty::Spec& spec,
                                        const ItemSet& items) {
  // One pass over the items: each item is offered only to the terms of its
  // category, and accumulated per (limit, party, term).
  struct Slot {
    size_t limit;
    size_t term;
  };
  std::map<std::string, std::vector<Slot>, std::less<>> by_category;
  for (size_t l = 0; l < spec.limits.size(); ++l) {
    for (size_t t = 0; t < spec.limits[l].terms.size(); ++t) {
      by_category[spec.limits[l].terms[t].category].push_back({l, t});
    }
  }
  std::map<std::string, size_t, std::less<>> party_index;
  for (size_t p = 0; p < spec.parties.size(); ++p) {
    party_index[spec.parties[p].code] = p;
  }
  // acc[limit][party] is the aggregate of that limit for that party.
  std::vector<std::vector<Aggregate>> acc(spec.limits.size());
  for (size_t l = 0; l < spec.limits.size(); ++l) {
    for (const treaty::Party& party : spec.parties) {
      Aggregate a;
      a.limit_id = spec.limits[l].id;
      a.party = party.code;
      a.terms.resize(spec.limits[l].terms.size());
      for (size_t t = 0; t < a.terms.size(); ++t) a.terms[t].term_index = t;
      acc[l].push_back(std::move(a));
    }
  }
  for (const auto& [id, item] : items.items()) {
    auto slots = by_category.find(item.category);
    auto p = party_index.find(item.party);
    if (slots == by_category.end() || p == party_index.end()) continue;
    for (const Slot& slot : slots->second) {
      const treaty::Term& term = spec.limits[slot.limit].terms[slot.term];
      if (!Matches(term, item)) continue;
      DETENTE_RETURN_IF_ERROR(
          Accumulate(term, item, acc[slot.limit][p->second].terms[slot.term]));
    }
  }
  std::vector<Aggregate> out;
  for (size_t l = 0; l < spec.limits.size(); ++l) {
    for (size_t p = 0; p < spec.parties.size(); ++p) {
      if (!spec.limits[l].AppliesTo(spec.parties[p].code)) continue;
      Aggregate& a = acc[l][p];
      for (const TermCount& tc : a.terms) a.value += tc.value;
      out.push_back(std::move(a));
    }
  }
  return out;
}

Result<std::vector<LimitCheck>> CheckAll(const treaty::Spec& spec,
                                         const ItemSet& items, Date at) {
  DETENTE_ASSIGN_OR_RETURN(std::vector<Aggregate> aggs, CountAll(spec, items));
  std::vector<LimitCheck> out;
  for (Aggregate& agg : aggs) {
    const treaty::Limit& limit = *spec.FindLimit(agg.limit_id);
    LimitCheck c;
    c.state = Evaluate(spec, limit, agg.value, at);
    c.binding = spec.Binds(limit, at);
    if (limit.max) c.headroom = *limit.max - agg.value;
    c.aggregate = std::move(agg);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace detente::registry

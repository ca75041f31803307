#include "detente/registry/counting.h"

#include <algorithm>
#include <charconv>

#include "fmt/format.h"

namespace detente::registry {
namespace {

using treaty::AttributeCondition;
using treaty::Weight;

bool Contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
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
  if (item.category != term.category) return false;
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

Result<Aggregate> Count(const treaty::Limit& limit, const ItemSet& items,
                        std::string_view party) {
  Aggregate agg;
  agg.limit_id = limit.id;
  agg.party = std::string(party);
  for (size_t t = 0; t < limit.terms.size(); ++t) {
    const treaty::Term& term = limit.terms[t];
    TermCount tc;
    tc.term_index = t;
    // items() iterates in identifier order, which `first` relies on.
    for (const auto& [id, item] : items.items()) {
      if (item.party != party || !Matches(term, item)) continue;
      bool beyond_first = term.first && tc.items >= *term.first;
      ++tc.items;
      // Beyond the first N with no `then`, an item adds nothing.
      const Weight* w =
          beyond_first ? (term.then ? &*term.then : nullptr) : &term.weight;
      if (w == nullptr) continue;
      DETENTE_ASSIGN_OR_RETURN(int64_t v, WeightOf(*w, item));
      tc.value += v;
    }
    agg.value += tc.value;
    agg.terms.push_back(tc);
  }
  return agg;
}

Result<std::vector<LimitCheck>> CheckAll(const treaty::Spec& spec,
                                         const ItemSet& items, Date at) {
  std::vector<LimitCheck> out;
  for (const treaty::Limit& limit : spec.limits) {
    for (const treaty::Party& party : spec.parties) {
      if (!limit.AppliesTo(party.code)) continue;
      DETENTE_ASSIGN_OR_RETURN(Aggregate agg, Count(limit, items, party.code));
      LimitCheck c;
      c.state = Evaluate(spec, limit, agg.value, at);
      c.binding = spec.Binds(limit, at);
      if (limit.max) c.headroom = *limit.max - agg.value;
      c.aggregate = std::move(agg);
      out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace detente::registry

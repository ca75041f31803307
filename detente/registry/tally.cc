#include "detente/registry/tally.h"

#include <algorithm>

#include "detente/base/bytes.h"
#include "fmt/format.h"

namespace detente::registry {

Tally::Tally(const treaty::Spec& spec) : spec_(&spec) {
  limits_.resize(spec.limits.size());
  for (size_t l = 0; l < spec.limits.size(); ++l) {
    const treaty::Limit& limit = spec.limits[l];
    LimitInfo& info = limits_[l];
    for (const treaty::Term& t : limit.terms) {
      info.order_dependent = info.order_dependent || t.first.has_value();
    }
    info.slots.assign(spec.parties.size(),
                      std::vector<Slot>(limit.terms.size()));
    info.stale.assign(spec.parties.size(), false);
    for (size_t t = 0; t < limit.terms.size(); ++t) {
      const std::string& cat = limit.terms[t].category;
      auto it = std::find_if(
          by_category_.begin(), by_category_.end(),
          [&](const CategoryTerms& c) { return c.category == cat; });
      if (it == by_category_.end()) {
        by_category_.push_back({cat, {}});
        it = by_category_.end() - 1;
      }
      it->terms.push_back({l, t});
    }
  }
}

int Tally::PartyIndex(std::string_view party) const {
  if (spec_ == nullptr) return -1;
  for (size_t p = 0; p < spec_->parties.size(); ++p) {
    if (SameBytes(spec_->parties[p].code, party)) {
      return static_cast<int>(p);
    }
  }
  return -1;
}

void Tally::Offer(const Item& item, int sign) {
  if (spec_ == nullptr) return;
  auto cat = std::find_if(by_category_.begin(), by_category_.end(),
                          [&](const CategoryTerms& c) {
                            return SameBytes(c.category, item.category);
                          });
  if (cat == by_category_.end()) return;
  const int p = PartyIndex(item.party);
  if (p < 0) return;
  const size_t party = static_cast<size_t>(p);
  for (const TermRef& ref : cat->terms) {
    const treaty::Term& term = spec_->limits[ref.limit].terms[ref.term];
    if (!Matches(term, item)) continue;
    LimitInfo& info = limits_[ref.limit];
    if (info.order_dependent) {
      info.stale[party] = true;
      continue;
    }
    Slot& slot = info.slots[party][ref.term];
    slot.items += sign;
    Result<int64_t> w = WeightOf(term.weight, item);
    if (w.ok()) {
      slot.value += sign * *w;
    } else {
      slot.unweighable += sign;
    }
  }
}

void Tally::RemoveParty(std::string_view party) {
  const int p = PartyIndex(party);
  if (p < 0) return;
  for (LimitInfo& info : limits_) {
    for (Slot& s : info.slots[static_cast<size_t>(p)]) s = Slot{};
    info.stale[static_cast<size_t>(p)] = info.order_dependent;
  }
}

void Tally::Clear() {
  for (LimitInfo& info : limits_) {
    for (size_t p = 0; p < info.slots.size(); ++p) {
      for (Slot& s : info.slots[p]) s = Slot{};
      info.stale[p] = info.order_dependent;
    }
  }
}

Status Tally::CheckParty(size_t party) const {
  if (spec_ == nullptr) {
    return Status::FailedPrecondition("a tally without a spec counts nothing");
  }
  if (party >= spec_->parties.size()) {
    return Status::OutOfRange(fmt::format("no party {}", party));
  }
  return Status::Ok();
}

Result<Aggregate> Tally::Get(size_t limit, size_t party,
                             const ItemSet& items) const {
  DETENTE_RETURN_IF_ERROR(CheckParty(party));
  const treaty::Limit& l = spec_->limits.at(limit);
  LimitInfo& info = limits_[limit];
  const std::string& code = spec_->parties[party].code;
  bool recount = info.order_dependent && info.stale[party];
  for (const Slot& s : info.slots[party]) {
    recount = recount || s.unweighable != 0;
  }
  if (recount) {
    // Order dependent, or an item whose weight fails: the engine's own
    // count, which also gives its error message.
    DETENTE_ASSIGN_OR_RETURN(Aggregate a, Count(l, items, code));
    if (info.order_dependent) {
      for (size_t t = 0; t < a.terms.size(); ++t) {
        info.slots[party][t].items = a.terms[t].items;
        info.slots[party][t].value = a.terms[t].value;
      }
      info.stale[party] = false;
    }
    return a;
  }
  Aggregate a;
  a.limit_id = l.id;
  a.party = code;
  a.terms.resize(l.terms.size());
  for (size_t t = 0; t < l.terms.size(); ++t) {
    a.terms[t].term_index = t;
    a.terms[t].items = info.slots[party][t].items;
    a.terms[t].value = info.slots[party][t].value;
    a.value += a.terms[t].value;
  }
  return a;
}

Result<int64_t> Tally::SlowValue(size_t limit, size_t party,
                                 const ItemSet& items) const {
  DETENTE_RETURN_IF_ERROR(CheckParty(party));
  const LimitInfo& info = limits_.at(limit);
  bool fast = !(info.order_dependent && info.stale[party]);
  int64_t v = 0;
  for (const Slot& s : info.slots[party]) {
    fast = fast && s.unweighable == 0;
    v += s.value;
  }
  if (fast) return v;
  DETENTE_ASSIGN_OR_RETURN(Aggregate a, Get(limit, party, items));
  return a.value;
}

Result<std::vector<Aggregate>> Tally::All(const ItemSet& items) const {
  if (spec_ == nullptr) {
    return Status::FailedPrecondition("a tally without a spec counts nothing");
  }
  std::vector<Aggregate> out;
  for (size_t l = 0; l < spec_->limits.size(); ++l) {
    for (size_t p = 0; p < spec_->parties.size(); ++p) {
      // CountAll counts (and can fail on) every party's items under every
      // limit, and then reports only the limits that apply.
      DETENTE_ASSIGN_OR_RETURN(Aggregate a, Get(l, p, items));
      if (spec_->limits[l].AppliesTo(spec_->parties[p].code)) {
        out.push_back(std::move(a));
      }
    }
  }
  return out;
}

}  // namespace detente::registry

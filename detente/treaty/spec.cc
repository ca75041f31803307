#include "detente/treaty/spec.h"

#include <algorithm>
#include <array>
#include <utility>

#include "fmt/format.h"

namespace detente::treaty {
namespace {

// Spelling in spec files, in ValueType order.
constexpr std::array<std::pair<ValueType, std::string_view>, 14> kValueTypes = {
    {
        {ValueType::kInteger, "integer"},
        {ValueType::kString, "string"},
        {ValueType::kBoolean, "boolean"},
        {ValueType::kDate, "date"},
        {ValueType::kInstant, "instant"},
        {ValueType::kIdentifier, "identifier"},
        {ValueType::kParty, "party"},
        {ValueType::kCategory, "category"},
        {ValueType::kStatus, "status"},
        {ValueType::kFacility, "facility"},
        {ValueType::kEnum, "enum"},
        {ValueType::kItemList, "item_list"},
        {ValueType::kTotals, "totals"},
        {ValueType::kText, "text"},
    }};

// The element of `v` whose `member` equals `key`, or null.
template <typename T, typename M>
const T* FindBy(const std::vector<T>& v, M T::*member, std::string_view key) {
  auto it = std::find_if(v.begin(), v.end(),
                         [&](const T& x) { return x.*member == key; });
  return it == v.end() ? nullptr : &*it;
}

std::string JoinList(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

}  // namespace

std::string_view ValueTypeName(ValueType t) {
  for (const auto& [type, name] : kValueTypes) {
    if (type == t) return name;
  }
  return "unknown";
}

std::optional<ValueType> ParseValueType(std::string_view name) {
  for (const auto& [type, spelling] : kValueTypes) {
    if (spelling == name) return type;
  }
  return std::nullopt;
}

const Attribute* Category::FindAttribute(std::string_view attr_name) const {
  return FindBy(attributes, &Attribute::name, attr_name);
}

std::string Weight::ToString() const {
  switch (kind) {
    case Kind::kOne:
      return "one";
    case Kind::kWarheads:
      return "warheads";
    case Kind::kConstant:
      return std::to_string(constant);
    case Kind::kAttribute:
      return "attribute:" + attribute;
  }
  return "?";
}

std::string AttributeCondition::ToString() const {
  if (equals.has_value()) return fmt::format("{} = \"{}\"", attribute, *equals);
  if (min.has_value() && max.has_value()) {
    if (*min == *max) return fmt::format("{} = {}", attribute, *min);
    return fmt::format("{} in [{}, {}]", attribute, *min, *max);
  }
  if (min.has_value()) return fmt::format("{} >= {}", attribute, *min);
  if (max.has_value()) return fmt::format("{} <= {}", attribute, *max);
  return attribute + " (any)";
}

std::string Term::ToString() const {
  std::string out = fmt::format("{} [{}]", category, JoinList(statuses));
  if (!parties.empty()) out += fmt::format(" parties [{}]", JoinList(parties));
  if (!types.empty()) out += fmt::format(" types [{}]", JoinList(types));
  for (size_t i = 0; i < where.size(); ++i) {
    out += i == 0 ? " where " : " and ";
    out += where[i].ToString();
  }
  out += " x " + weight.ToString();
  if (first.has_value()) {
    out += fmt::format(" for the first {}", *first);
    if (then.has_value()) out += ", then " + then->ToString();
  }
  return out;
}

bool Limit::AppliesTo(std::string_view party) const {
  return parties.empty() ||
         std::find(parties.begin(), parties.end(), party) != parties.end();
}

const Field* NotificationType::FindField(std::string_view field_name) const {
  return FindBy(fields, &Field::name, field_name);
}

const InspectionType* InspectionRules::Find(std::string_view type_id) const {
  return FindBy(types, &InspectionType::id, type_id);
}

const Party* Spec::FindParty(std::string_view code) const {
  return FindBy(parties, &Party::code, code);
}
const Category* Spec::FindCategory(std::string_view category_id) const {
  return FindBy(categories, &Category::id, category_id);
}
const ItemStatus* Spec::FindStatus(std::string_view status_id) const {
  return FindBy(statuses, &ItemStatus::id, status_id);
}
const Limit* Spec::FindLimit(std::string_view limit_id) const {
  return FindBy(limits, &Limit::id, limit_id);
}
const NotificationType* Spec::FindNotification(std::string_view code) const {
  return FindBy(notifications, &NotificationType::code, code);
}
const Parameter* Spec::FindParameter(std::string_view param_name) const {
  return FindBy(parameters, &Parameter::name, param_name);
}

std::optional<Date> Spec::End() const {
  if (dates.ended.has_value() && dates.expiry.has_value()) {
    return std::min(*dates.ended, *dates.expiry);
  }
  return dates.ended.has_value() ? dates.ended : dates.expiry;
}

bool Spec::InForce(Date d) const {
  if (d < dates.entry_into_force) return false;
  std::optional<Date> end = End();
  return !end.has_value() || d < *end;
}

bool Spec::Binds(const Limit& limit, Date d) const {
  if (d < limit.effective) return false;
  if (limit.until.has_value() && d >= *limit.until) return false;
  std::optional<Date> end = End();
  return !end.has_value() || d < *end;
}

}  // namespace detente::treaty

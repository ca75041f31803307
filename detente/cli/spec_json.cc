#include "detente/cli/spec_json.h"

#include <nlohmann/json.hpp>

namespace detente::cli {
namespace {

using nlohmann::json;

json OptDate(const std::optional<Date>& d) {
  return d ? json(d->ToString()) : json(nullptr);
}

template <typename T>
json OptInt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json TermToJson(const treaty::Term& t) {
  json j = {{"category", t.category},
            {"status", t.statuses},
            {"weight", t.weight.ToString()}};
  if (!t.parties.empty()) j["parties"] = t.parties;
  if (!t.types.empty()) j["types"] = t.types;
  if (!t.where.empty()) {
    json w = json::object();
    for (const auto& c : t.where) {
      if (c.equals) {
        w[c.attribute] = *c.equals;
      } else {
        w[c.attribute] = {OptInt(c.min), OptInt(c.max)};
      }
    }
    j["where"] = w;
  }
  if (t.first) j["first"] = *t.first;
  if (t.then) j["then"] = t.then->ToString();
  j["text"] = t.ToString();
  return j;
}

}  // namespace

json LimitToJson(const treaty::Limit& l) {
  json terms = json::array();
  for (const auto& t : l.terms) terms.push_back(TermToJson(t));
  json j = {{"id", l.id},
            {"name", l.name},
            {"article", l.article},
            {"max", OptInt(l.max)},
            {"min", OptInt(l.min)},
            {"effective", l.effective.ToString()},
            {"until", OptDate(l.until)},
            {"parties", l.parties},
            {"terms", terms}};
  if (!l.source.empty()) j["source"] = l.source;
  if (!l.note.empty()) j["note"] = l.note;
  return j;
}

json SpecToJson(const treaty::Spec& s) {
  json parties = json::array();
  for (const auto& p : s.parties) {
    parties.push_back({{"code", p.code}, {"name", p.name}});
  }
  json statuses = json::array();
  for (const auto& st : s.statuses) {
    statuses.push_back({{"id", st.id}, {"name", st.name}});
  }
  json categories = json::array();
  for (const auto& c : s.categories) {
    json attrs = json::array();
    for (const auto& a : c.attributes) {
      attrs.push_back({{"name", a.name},
                       {"type", treaty::ValueTypeName(a.type)},
                       {"required", a.required}});
    }
    categories.push_back({{"id", c.id},
                          {"name", c.name},
                          {"carries_warheads", c.carries_warheads},
                          {"unique_identifier", c.unique_identifier},
                          {"attributes", attrs}});
  }
  json limits = json::array();
  for (const auto& l : s.limits) limits.push_back(LimitToJson(l));
  json notifications = json::array();
  for (const auto& n : s.notifications) {
    json fields = json::array();
    for (const auto& f : n.fields) {
      json fj = {{"name", f.name},
                 {"type", treaty::ValueTypeName(f.type)},
                 {"required", f.required}};
      if (!f.values.empty()) fj["values"] = f.values;
      fields.push_back(fj);
    }
    notifications.push_back(
        {{"code", n.code},
         {"name", n.name},
         {"reference", n.reference},
         {"deadline",
          n.deadline ? json(n.deadline->ToString()) : json(nullptr)},
         {"fields", fields}});
  }
  json inspection_types = json::array();
  for (const auto& t : s.inspections.types) {
    inspection_types.push_back(
        {{"id", t.id},
         {"name", t.name},
         {"annual_quota", t.annual_quota},
         {"quota_year", t.quota_year == treaty::QuotaYear::kTreatyYear
                            ? "treaty_year"
                            : "calendar_year"},
         {"not_before_days_after_entry_into_force",
          t.not_before_days_after_entry_into_force},
         {"reentry_vehicle_count", t.reentry_vehicle_count}});
  }
  json commission = nullptr;
  if (s.commission) {
    commission = {
        {"name", s.commission->name},
        {"min_sessions_per_year", s.commission->min_sessions_per_year},
        {"agreed_agenda_required", s.commission->agreed_agenda_required},
        {"confidential", s.commission->confidential},
        {"outcome_kinds", s.commission->outcome_kinds}};
  }
  json params = json::array();
  for (const auto& p : s.parameters) {
    params.push_back({{"name", p.name},
                      {"value", p.value},
                      {"unit", p.unit},
                      {"public", p.is_public},
                      {"source", p.source},
                      {"note", p.note}});
  }
  json data_exchange = nullptr;
  if (s.data_exchange) {
    data_exchange = {
        {"first_period_start", s.data_exchange->first_period_start.ToString()},
        {"period_months", s.data_exchange->period_months}};
  }
  return {{"id", s.id},
          {"name", s.name},
          {"short_name", s.short_name},
          {"description", s.description},
          {"hypothetical", s.hypothetical},
          {"verification", s.verification},
          {"dates",
           {{"signature", s.dates.signature.ToString()},
            {"entry_into_force", s.dates.entry_into_force.ToString()},
            {"expiry", OptDate(s.dates.expiry)},
            {"original_expiry", OptDate(s.dates.original_expiry)},
            {"ended", OptDate(s.dates.ended)},
            {"ended_reason", s.dates.ended_reason},
            {"withdrawal_notice_months",
             OptInt(s.dates.withdrawal_notice_months)}}},
          {"parties", parties},
          {"statuses", statuses},
          {"categories", categories},
          {"limits", limits},
          {"notifications", notifications},
          {"data_exchange", data_exchange},
          {"inspections",
           {{"one_at_a_time", s.inspections.one_at_a_time},
            {"types", inspection_types}}},
          {"commission", commission},
          {"parameters", params}};
}

}  // namespace detente::cli

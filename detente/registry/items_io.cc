#include "detente/registry/items_io.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <vector>

#include "detente/base/csv.h"
#include "fmt/format.h"

namespace detente::registry {
namespace {

using treaty::ValueType;

// At most this many problems are listed; the rest are counted.
constexpr size_t kMaxReported = 50;

std::string Declared(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

template <typename T, typename F>
std::vector<std::string> Names(const std::vector<T>& v, F f) {
  std::vector<std::string> out;
  for (const T& x : v) out.push_back(f(x));
  return out;
}

bool IsInteger(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

Status CheckValue(const treaty::Spec& spec, const treaty::Attribute& a,
                  std::string_view v) {
  bool ok = true;
  switch (a.type) {
    case ValueType::kInteger:
      ok = IsInteger(v);
      break;
    case ValueType::kBoolean:
      ok = v == "true" || v == "false";
      break;
    case ValueType::kDate:
      return Date::Parse(v).status();
    case ValueType::kInstant:
      return Instant::Parse(v).status();
    case ValueType::kParty:
      ok = spec.FindParty(v) != nullptr;
      break;
    default:
      break;
  }
  if (!ok) {
    return Status::InvalidArgument(fmt::format("'{}' is not a valid {}", v,
                                               treaty::ValueTypeName(a.type)));
  }
  return Status::Ok();
}

class Problems {
 public:
  void Add(std::string msg) {
    if (list_.size() < kMaxReported) list_.push_back(std::move(msg));
    ++count_;
  }
  bool empty() const { return count_ == 0; }
  Status ToStatus() const {
    std::string msg = fmt::format("{}", fmt::join(list_, "\n"));
    if (count_ > list_.size()) {
      msg += fmt::format("\n... and {} more", count_ - list_.size());
    }
    return Status::InvalidArgument(msg);
  }

 private:
  std::vector<std::string> list_;
  size_t count_ = 0;
};

}  // namespace

Status ValidateItem(const treaty::Spec& spec, const Item& item) {
  if (item.id.empty()) return Status::InvalidArgument("id: empty identifier");
  if (spec.FindParty(item.party) == nullptr) {
    return Status::InvalidArgument(fmt::format(
        "party: unknown party '{}' (declared: {})", item.party,
        Declared(Names(spec.parties, [](const auto& p) { return p.code; }))));
  }
  const treaty::Category* cat = spec.FindCategory(item.category);
  if (cat == nullptr) {
    return Status::InvalidArgument(fmt::format(
        "category: unknown category '{}' (declared: {})", item.category,
        Declared(Names(spec.categories, [](const auto& c) { return c.id; }))));
  }
  if (spec.FindStatus(item.status) == nullptr) {
    return Status::InvalidArgument(fmt::format(
        "status: unknown status '{}' (declared: {})", item.status,
        Declared(Names(spec.statuses, [](const auto& s) { return s.id; }))));
  }
  if (item.warheads < 0) {
    return Status::InvalidArgument(
        fmt::format("warheads: {} is negative", item.warheads));
  }
  if (item.warheads > 0 && !cat->carries_warheads) {
    return Status::InvalidArgument(fmt::format(
        "warheads: category '{}' does not carry warheads, but {} are declared",
        cat->id, item.warheads));
  }
  for (const auto& [name, value] : item.attributes) {
    const treaty::Attribute* a = cat->FindAttribute(name);
    if (a == nullptr) {
      return Status::InvalidArgument(fmt::format(
          "{}: category '{}' has no attribute '{}'", name, cat->id, name));
    }
    Status s = CheckValue(spec, *a, value);
    if (!s.ok()) return s.WithContext(name);
  }
  for (const treaty::Attribute& a : cat->attributes) {
    if (a.required && item.attributes.find(a.name) == item.attributes.end()) {
      return Status::InvalidArgument(fmt::format(
          "{}: required by category '{}' but missing", a.name, cat->id));
    }
  }
  return Status::Ok();
}

Result<ItemSet> ParseItemsCsv(std::string_view text, std::string_view file,
                              const treaty::Spec& spec) {
  DETENTE_ASSIGN_OR_RETURN(CsvTable table, ParseCsv(text, file));
  Problems problems;
  for (const char* required : {"id", "party", "category", "status"}) {
    if (!table.Column(required)) {
      problems.Add(fmt::format("{}:1: missing column '{}' (columns: {})", file,
                               required, Declared(table.header)));
    }
  }
  if (!problems.empty()) return problems.ToStatus();
  ItemSet set;
  for (const CsvRecord& rec : table.records) {
    Item item;
    bool row_ok = true;
    for (size_t c = 0; c < table.header.size(); ++c) {
      const std::string& col = table.header[c];
      const std::string& v = rec.fields[c];
      if (col == "id") {
        item.id = v;
      } else if (col == "party") {
        item.party = v;
      } else if (col == "category") {
        item.category = v;
      } else if (col == "type") {
        item.type = v;
      } else if (col == "status") {
        item.status = v;
      } else if (col == "facility") {
        item.facility = v;
      } else if (col == "warheads") {
        if (v.empty()) continue;
        int64_t w = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), w);
        if (ec != std::errc() || p != v.data() + v.size()) {
          problems.Add(fmt::format("{}:{}: warheads: '{}' is not an integer",
                                   file, rec.line, v));
          row_ok = false;
        }
        item.warheads = w;
      } else if (!v.empty()) {
        item.attributes[col] = v;
      }
    }
    if (!row_ok) continue;
    Status s = ValidateItem(spec, item);
    if (s.ok()) s = set.AddItem(std::move(item));
    if (!s.ok()) {
      problems.Add(fmt::format("{}:{}: {}", file, rec.line, s.message()));
    }
  }
  if (!problems.empty()) return problems.ToStatus();
  return set;
}

Result<ItemSet> ParseItemsJson(std::string_view text, std::string_view file,
                               const treaty::Spec& spec) {
  using nlohmann::json;
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return Status::InvalidArgument(
        fmt::format("{}: not valid JSON: {}", file, e.what()));
  }
  Problems problems;
  ItemSet set;
  const json* items = &doc;
  std::string prefix = "";
  if (doc.is_object()) {
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      if (it.key() != "items" && it.key() != "facilities" &&
          it.key() != "comment" && it.key() != "synthetic") {
        problems.Add(
            fmt::format("{}: {}: unknown key (expected items, facilities)",
                        file, it.key()));
      }
    }
    if (!doc.contains("items")) {
      return Status::InvalidArgument(
          fmt::format("{}: items: missing (expected an array of items)", file));
    }
    items = &doc["items"];
    prefix = "items";
    if (doc.contains("facilities")) {
      const json& facs = doc["facilities"];
      if (!facs.is_array()) {
        problems.Add(fmt::format("{}: facilities: expected an array", file));
      } else {
        for (size_t i = 0; i < facs.size(); ++i) {
          const json& f = facs[i];
          std::string where = fmt::format("{}: facilities[{}]", file, i);
          if (!f.is_object() || !f.contains("id") || !f["id"].is_string()) {
            problems.Add(where + ".id: missing or not a string");
            continue;
          }
          Facility fac;
          fac.id = f["id"].get<std::string>();
          fac.party = f.value("party", "");
          fac.name = f.value("name", "");
          fac.kind = f.value("kind", "");
          if (!fac.party.empty() && spec.FindParty(fac.party) == nullptr) {
            problems.Add(
                fmt::format("{}.party: unknown party '{}'", where, fac.party));
            continue;
          }
          Status s = set.AddFacility(std::move(fac));
          if (!s.ok()) problems.Add(fmt::format("{}: {}", where, s.message()));
        }
      }
    }
  }
  if (!items->is_array()) {
    return Status::InvalidArgument(
        fmt::format("{}: {}: expected an array of items", file,
                    prefix.empty() ? "top level" : prefix));
  }
  for (size_t i = 0; i < items->size(); ++i) {
    const json& j = (*items)[i];
    std::string where =
        fmt::format("{}: {}[{}]", file, prefix.empty() ? "" : prefix, i);
    if (!j.is_object()) {
      problems.Add(where + ": expected an object");
      continue;
    }
    Item item;
    bool ok = true;
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& k = it.key();
      const json& v = it.value();
      if (k == "warheads") {
        if (!v.is_number_integer()) {
          problems.Add(fmt::format("{}.warheads: expected an integer, got {}",
                                   where, v.dump()));
          ok = false;
        } else {
          item.warheads = v.get<int64_t>();
        }
      } else if (k == "attributes") {
        if (!v.is_object()) {
          problems.Add(where + ".attributes: expected an object");
          ok = false;
          continue;
        }
        for (auto a = v.begin(); a != v.end(); ++a) {
          if (a.value().is_string()) {
            item.attributes[a.key()] = a.value().get<std::string>();
          } else if (a.value().is_number_integer() || a.value().is_boolean()) {
            item.attributes[a.key()] = a.value().dump();
          } else {
            problems.Add(fmt::format(
                "{}.attributes.{}: expected a string, integer or boolean",
                where, a.key()));
            ok = false;
          }
        }
      } else if (k == "id" || k == "party" || k == "category" || k == "type" ||
                 k == "status" || k == "facility") {
        if (!v.is_string()) {
          problems.Add(fmt::format("{}.{}: expected a string, got {}", where, k,
                                   v.dump()));
          ok = false;
          continue;
        }
        std::string s = v.get<std::string>();
        if (k == "id") item.id = s;
        if (k == "party") item.party = s;
        if (k == "category") item.category = s;
        if (k == "type") item.type = s;
        if (k == "status") item.status = s;
        if (k == "facility") item.facility = s;
      } else {
        problems.Add(fmt::format(
            "{}.{}: unknown key (expected id, party, category, type, status, "
            "facility, warheads, attributes)",
            where, k));
        ok = false;
      }
    }
    if (!ok) continue;
    Status s = ValidateItem(spec, item);
    if (s.ok() && !item.facility.empty() && !set.facilities().empty() &&
        set.FindFacility(item.facility) == nullptr) {
      s = Status::InvalidArgument(
          fmt::format("facility: unknown facility '{}'", item.facility));
    }
    if (s.ok()) s = set.AddItem(std::move(item));
    if (!s.ok()) problems.Add(fmt::format("{}.{}", where, s.message()));
  }
  if (!problems.empty()) return problems.ToStatus();
  return set;
}

Result<ItemSet> LoadItemsFile(const std::string& path,
                              const treaty::Spec& spec) {
  DETENTE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) ==
               0;
  };
  bool json_file = ends_with(".json");
  if (!json_file && !ends_with(".csv")) {
    size_t p = text.find_first_not_of(" \t\r\n");
    json_file = p != std::string::npos && (text[p] == '{' || text[p] == '[');
  }
  return json_file ? ParseItemsJson(text, path, spec)
                   : ParseItemsCsv(text, path, spec);
}

}  // namespace detente::registry

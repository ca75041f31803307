#include "detente/treaty/loader.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "toml++/toml.h"

namespace detente::treaty {

std::string SpecError::ToString() const {
  if (key.empty())
    return fmt::format("{}:{}:{}: {}", file, line, column, message);
  return fmt::format("{}:{}:{}: {}: {}", file, line, column, key, message);
}

namespace {

// ---------------------------------------------------------------------------
// Small helpers.

std::string Sub(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return fmt::format("{}.{}", path, key);
}

std::string At(std::string_view path, size_t index) {
  return fmt::format("{}[{}]", path, index);
}

// "a string", "an integer", ... for "expected X, found Y".
std::string_view Describe(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// [a-z][a-z0-9_]*: ids of statuses, categories, limits, parameters, ...
bool IsLowerId(std::string_view s) {
  if (s.empty() || !IsLower(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return IsLower(c) || IsDigit(c) || c == '_';
  });
}

// [A-Z][A-Z0-9]*: party codes.
bool IsPartyCode(std::string_view s) {
  if (s.empty() || !IsUpper(s[0])) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsUpper(c) || IsDigit(c); });
}

// [A-Z0-9][A-Z0-9-]*: notification codes.
bool IsNotificationCode(std::string_view s) {
  if (s.empty() || !(IsUpper(s[0]) || IsDigit(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return IsUpper(c) || IsDigit(c) || c == '-';
  });
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

// "(declared: a, b)" or "(none declared)", for unknown-reference messages.
std::string DeclaredList(const std::vector<std::string>& names) {
  if (names.empty()) return "(none declared)";
  return fmt::format("(declared: {})", Join(names));
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Value types a string-equality `where` condition may compare.
bool IsStringLike(ValueType t) {
  switch (t) {
    case ValueType::kString:
    case ValueType::kIdentifier:
    case ValueType::kParty:
    case ValueType::kCategory:
    case ValueType::kStatus:
    case ValueType::kFacility:
    case ValueType::kEnum:
    case ValueType::kText:
      return true;
    default:
      return false;
  }
}

std::string AllValueTypeNames() {
  std::vector<std::string> names;
  for (int i = 0; i <= static_cast<int>(ValueType::kText); ++i) {
    names.emplace_back(ValueTypeName(static_cast<ValueType>(i)));
  }
  return Join(names);
}

// The entries of `table` in file order: toml++ keeps keys sorted, but
// parameters and conditions are kept in the order the author wrote them.
std::vector<std::pair<const toml::key*, const toml::node*>> InFileOrder(
    const toml::table& table) {
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (auto&& [key, value] : table) entries.emplace_back(&key, &value);
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) {
                     return a.first->source().begin < b.first->source().begin;
                   });
  return entries;
}

// A string value with where it came from, for checks made after collection.
struct StringAt {
  std::string value;
  const toml::node* node = nullptr;
  std::string path;
};

class Loader;

// One TOML table being read. On construction reports every key not in
// `allowed`; the getters report missing required keys (at the table) and
// wrong types (at the value) and return nullopt for them, so a caller can
// carry on with the next field.
class TableReader {
 public:
  TableReader(Loader* loader, const toml::table& table, std::string path,
              std::initializer_list<std::string_view> allowed);

  const toml::table& table() const { return table_; }
  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const { return Sub(path_, key); }
  const toml::node* Find(std::string_view key) const { return table_.get(key); }

  // The node at `key`; reports it missing when `required`.
  const toml::node* Get(std::string_view key, bool required);

  std::optional<std::string> String(std::string_view key, bool required);
  std::optional<bool> Bool(std::string_view key, bool required);
  std::optional<Date> GetDate(std::string_view key, bool required);
  // An integer or "param:NAME", at least `min` and at most `max`.
  std::optional<int64_t> Integer(
      std::string_view key, bool required, int64_t min,
      int64_t max = std::numeric_limits<int64_t>::max());
  // An id string matching [a-z][a-z0-9_]* (reported otherwise, but still
  // returned so that references to it do not cascade into more errors).
  std::optional<std::string> LowerId(std::string_view key, bool required);
  // An array of strings, each with its location.
  std::optional<std::vector<StringAt>> Strings(std::string_view key,
                                               bool required, bool non_empty);
  const toml::table* Table(std::string_view key, bool required);
  // An array whose elements are tables; elements of another type are
  // reported and skipped. Each table comes with its path.
  std::vector<std::pair<const toml::table*, std::string>> Tables(
      std::string_view key, bool required);

 private:
  Loader* loader_;
  const toml::table& table_;
  std::string path_;
};

class Loader {
 public:
  Loader(std::string file, std::string stem)
      : file_(std::move(file)), stem_(std::move(stem)) {
    spec_.source_file = file_;
  }

  void Load(const toml::table& root);

  Spec TakeSpec() { return std::move(spec_); }
  std::vector<SpecError> TakeErrors() {
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const SpecError& a, const SpecError& b) {
                       return std::pair(a.line, a.column) <
                              std::pair(b.line, b.column);
                     });
    return std::move(errors_);
  }

  void Error(const toml::source_region& where, std::string key,
             std::string message) {
    errors_.push_back(SpecError{file_, static_cast<int>(where.begin.line),
                                static_cast<int>(where.begin.column),
                                std::move(key), std::move(message)});
  }
  void Error(const toml::node& node, std::string key, std::string message) {
    Error(node.source(), std::move(key), std::move(message));
  }

  SourceLocation LocationOf(const toml::node& node) const {
    return SourceLocation{file_, static_cast<int>(node.source().begin.line),
                          static_cast<int>(node.source().begin.column)};
  }

  // The value of parameter `name`, or an error naming it and the declared
  // ones.
  Result<int64_t> ResolveParameter(std::string_view name) const {
    if (const Parameter* p = spec_.FindParameter(name)) return p->value;
    std::vector<std::string> names;
    for (const Parameter& p : spec_.parameters) names.push_back(p.name);
    return Status::NotFound(
        fmt::format("unknown parameter '{}' {}", name, DeclaredList(names)));
  }

  // An integer value, or "param:NAME" resolved; reports anything else and
  // values outside [min, max].
  std::optional<int64_t> IntegerValue(const toml::node& node,
                                      const std::string& path, int64_t min,
                                      int64_t max);
  std::optional<Date> DateValue(const toml::node& node,
                                const std::string& path);

 private:
  void LoadParameters(const toml::table& table);
  void LoadTreaty(const toml::table& table);
  void LoadDates(const toml::table& table);
  void LoadParties(TableReader& root);
  void LoadStatuses(TableReader& root);
  void LoadCategories(TableReader& root);
  void LoadAttribute(const toml::table& table, const std::string& path,
                     Category* category, std::set<std::string>* seen);
  void LoadDataExchange(const toml::table& table);
  void LoadLimits(TableReader& root);
  void LoadLimit(const toml::table& table, const std::string& path,
                 std::set<std::string>* seen_ids);
  void LoadTerm(const toml::table& table, const std::string& path, Term* term);
  std::optional<Weight> WeightValue(const toml::node& node,
                                    const std::string& path,
                                    const Category* category);
  void LoadWhere(const toml::table& table, const std::string& path,
                 const Category* category,
                 std::vector<AttributeCondition>* out);
  void LoadNotifications(TableReader& root);
  void LoadField(const toml::table& table, const std::string& path,
                 NotificationType* n, std::set<std::string>* seen);
  void LoadInspections(const toml::table& table);
  void LoadCommission(const toml::table& table);

  // Reports `ref` unless it is among `declared`; `what` names the kind.
  bool CheckDeclared(const StringAt& ref, std::string_view what,
                     const std::vector<std::string>& declared);
  std::vector<std::string> PartyCodes() const;
  std::vector<std::string> StatusIds() const;
  std::vector<std::string> CategoryIds() const;

  std::string file_;
  std::string stem_;
  Spec spec_;
  std::vector<SpecError> errors_;
  // Whether the date fields later checks compare against were read.
  bool have_entry_into_force_ = false;
  // Whether the file has a [data_exchange] table at all, valid or not, so a
  // broken one does not also produce "no [data_exchange]" errors.
  bool have_data_exchange_table_ = false;
};

// ---------------------------------------------------------------------------
// TableReader.

TableReader::TableReader(Loader* loader, const toml::table& table,
                         std::string path,
                         std::initializer_list<std::string_view> allowed)
    : loader_(loader), table_(table), path_(std::move(path)) {
  for (auto&& [key, value] : table_) {
    std::string_view k = key.str();
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string_view closest;
    size_t best = 3;  // only suggest near misses
    for (std::string_view a : allowed) {
      size_t d = EditDistance(k, a);
      if (d < best) {
        best = d;
        closest = a;
      }
    }
    std::vector<std::string> names(allowed.begin(), allowed.end());
    std::string message =
        closest.empty()
            ? fmt::format("unknown key '{}' (allowed: {})", k, Join(names))
            : fmt::format("unknown key '{}' (did you mean '{}'? allowed: {})",
                          k, closest, Join(names));
    loader_->Error(key.source(), Sub(path_, k), std::move(message));
  }
}

const toml::node* TableReader::Get(std::string_view key, bool required) {
  const toml::node* node = table_.get(key);
  if (node == nullptr && required) {
    loader_->Error(table_, PathOf(key),
                   fmt::format("required key '{}' is missing", key));
  }
  return node;
}

std::optional<std::string> TableReader::String(std::string_view key,
                                               bool required) {
  const toml::node* node = Get(key, required);
  if (node == nullptr) return std::nullopt;
  if (!node->is_string()) {
    loader_->Error(*node, PathOf(key),
                   fmt::format("expected a string, found {}", Describe(*node)));
    return std::nullopt;
  }
  std::string value = node->as_string()->get();
  if (required && value.empty()) {
    loader_->Error(*node, PathOf(key), "must not be empty");
    return std::nullopt;
  }
  return value;
}

std::optional<bool> TableReader::Bool(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (node == nullptr) return std::nullopt;
  if (!node->is_boolean()) {
    loader_->Error(*node, PathOf(key),
                   fmt::format("expected a boolean (true or false), found {}",
                               Describe(*node)));
    return std::nullopt;
  }
  return node->as_boolean()->get();
}

std::optional<Date> TableReader::GetDate(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (node == nullptr) return std::nullopt;
  return loader_->DateValue(*node, PathOf(key));
}

std::optional<int64_t> TableReader::Integer(std::string_view key, bool required,
                                            int64_t min, int64_t max) {
  const toml::node* node = Get(key, required);
  if (node == nullptr) return std::nullopt;
  return loader_->IntegerValue(*node, PathOf(key), min, max);
}

std::optional<std::string> TableReader::LowerId(std::string_view key,
                                                bool required) {
  std::optional<std::string> id = String(key, required);
  if (id.has_value() && !IsLowerId(*id)) {
    loader_->Error(*table_.get(key), PathOf(key),
                   fmt::format("'{}' is not a valid id (expected lower-case "
                               "letters, digits and '_', starting with a "
                               "letter: [a-z][a-z0-9_]*)",
                               *id));
  }
  return id;
}

std::optional<std::vector<StringAt>> TableReader::Strings(std::string_view key,
                                                          bool required,
                                                          bool non_empty) {
  const toml::node* node = Get(key, required);
  if (node == nullptr) return std::nullopt;
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    loader_->Error(
        *node, PathOf(key),
        fmt::format("expected an array of strings, found {}", Describe(*node)));
    return std::nullopt;
  }
  if (non_empty && array->empty()) {
    loader_->Error(*node, PathOf(key), "must not be empty");
    return std::nullopt;
  }
  std::vector<StringAt> out;
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    std::string element_path = At(PathOf(key), i);
    if (!element.is_string()) {
      loader_->Error(
          element, element_path,
          fmt::format("expected a string, found {}", Describe(element)));
      continue;
    }
    out.push_back(StringAt{element.as_string()->get(), &element,
                           std::move(element_path)});
  }
  return out;
}

const toml::table* TableReader::Table(std::string_view key, bool required) {
  const toml::node* node = Get(key, required);
  if (node == nullptr) return nullptr;
  if (!node->is_table()) {
    loader_->Error(*node, PathOf(key),
                   fmt::format("expected a table, found {}", Describe(*node)));
    return nullptr;
  }
  return node->as_table();
}

std::vector<std::pair<const toml::table*, std::string>> TableReader::Tables(
    std::string_view key, bool required) {
  std::vector<std::pair<const toml::table*, std::string>> out;
  const toml::node* node = Get(key, required);
  if (node == nullptr) return out;
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    loader_->Error(
        *node, PathOf(key),
        fmt::format("expected an array of tables, found {}", Describe(*node)));
    return out;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    std::string element_path = At(PathOf(key), i);
    if (!element.is_table()) {
      loader_->Error(
          element, element_path,
          fmt::format("expected a table, found {}", Describe(element)));
      continue;
    }
    out.emplace_back(element.as_table(), std::move(element_path));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Loader: values.

std::optional<int64_t> Loader::IntegerValue(const toml::node& node,
                                            const std::string& path,
                                            int64_t min, int64_t max) {
  int64_t value = 0;
  std::string described;  // how the value was written, for range errors
  if (node.is_integer()) {
    value = node.as_integer()->get();
    described = std::to_string(value);
  } else if (node.is_string() &&
             std::string_view(node.as_string()->get()).starts_with("param:")) {
    std::string name = node.as_string()->get().substr(6);
    Result<int64_t> resolved = ResolveParameter(name);
    if (!resolved.ok()) {
      Error(node, path, std::string(resolved.status().message()));
      return std::nullopt;
    }
    value = *resolved;
    described = fmt::format("param:{} = {}", name, value);
  } else {
    std::string found(Describe(node));
    if (node.is_string())
      found += fmt::format(" '{}'", node.as_string()->get());
    Error(node, path,
          fmt::format("expected an integer or 'param:NAME', found {}", found));
    return std::nullopt;
  }
  if (value < min) {
    Error(node, path,
          min == 0
              ? fmt::format("must not be negative (got {})", described)
              : fmt::format("must be at least {} (got {})", min, described));
    return std::nullopt;
  }
  if (value > max) {
    Error(node, path,
          fmt::format("must be at most {} (got {})", max, described));
    return std::nullopt;
  }
  return value;
}

std::optional<Date> Loader::DateValue(const toml::node& node,
                                      const std::string& path) {
  if (node.is_date()) {
    const toml::date& d = node.as_date()->get();
    Result<Date> date = Date::FromYmd(d.year, d.month, d.day);
    if (!date.ok()) {
      Error(node, path, std::string(date.status().message()));
      return std::nullopt;
    }
    return *date;
  }
  if (node.is_string()) {
    Result<Date> date = Date::Parse(node.as_string()->get());
    if (!date.ok()) {
      Error(node, path, std::string(date.status().message()));
      return std::nullopt;
    }
    return *date;
  }
  Error(node, path,
        fmt::format("expected a date (YYYY-MM-DD), found {}", Describe(node)));
  return std::nullopt;
}

bool Loader::CheckDeclared(const StringAt& ref, std::string_view what,
                           const std::vector<std::string>& declared) {
  if (std::find(declared.begin(), declared.end(), ref.value) !=
      declared.end()) {
    return true;
  }
  Error(*ref.node, ref.path,
        fmt::format("unknown {} '{}' {}", what, ref.value,
                    DeclaredList(declared)));
  return false;
}

std::vector<std::string> Loader::PartyCodes() const {
  std::vector<std::string> out;
  for (const Party& p : spec_.parties) out.push_back(p.code);
  return out;
}
std::vector<std::string> Loader::StatusIds() const {
  std::vector<std::string> out;
  for (const ItemStatus& s : spec_.statuses) out.push_back(s.id);
  return out;
}
std::vector<std::string> Loader::CategoryIds() const {
  std::vector<std::string> out;
  for (const Category& c : spec_.categories) out.push_back(c.id);
  return out;
}

// ---------------------------------------------------------------------------
// Loader: sections. Declarations (parameters, parties, statuses, categories,
// data exchange) are read before the sections that refer to them; errors
// are sorted into file order at the end.

void Loader::Load(const toml::table& root_table) {
  TableReader root(this, root_table, "",
                   {"treaty", "dates", "parties", "statuses", "categories",
                    "limits", "notifications", "data_exchange", "inspections",
                    "commission", "parameters"});
  if (const toml::table* t = root.Table("parameters", false))
    LoadParameters(*t);
  if (const toml::table* t = root.Table("treaty", true)) LoadTreaty(*t);
  if (const toml::table* t = root.Table("dates", true)) LoadDates(*t);
  LoadParties(root);
  LoadStatuses(root);
  LoadCategories(root);
  if (const toml::table* t = root.Table("data_exchange", false)) {
    have_data_exchange_table_ = true;
    LoadDataExchange(*t);
  }
  LoadLimits(root);
  LoadNotifications(root);
  if (const toml::table* t = root.Table("inspections", false)) {
    LoadInspections(*t);
  }
  if (const toml::table* t = root.Table("commission", false)) {
    LoadCommission(*t);
  }
}

void Loader::LoadParameters(const toml::table& table) {
  for (auto [key_ptr, value_ptr] : InFileOrder(table)) {
    const toml::key& key = *key_ptr;
    const toml::node& value = *value_ptr;
    std::string name(key.str());
    std::string path = Sub("parameters", name);
    if (!IsLowerId(name)) {
      Error(key.source(), path,
            fmt::format("'{}' is not a valid parameter name (expected "
                        "[a-z][a-z0-9_]*)",
                        name));
    }
    if (!value.is_table()) {
      Error(value, path,
            fmt::format("expected a table {{ value = ..., public = ... }}, "
                        "found {}",
                        Describe(value)));
      continue;
    }
    TableReader r(this, *value.as_table(), path,
                  {"value", "unit", "public", "source", "note"});
    Parameter p;
    p.name = name;
    if (const toml::node* v = r.Get("value", true)) {
      if (v->is_integer()) {
        p.value = v->as_integer()->get();
      } else {
        Error(*v, r.PathOf("value"),
              fmt::format("expected an integer, found {}", Describe(*v)));
      }
    }
    p.unit = r.String("unit", false).value_or("");
    p.is_public = r.Bool("public", true).value_or(false);
    p.source = r.String("source", false).value_or("");
    p.note = r.String("note", false).value_or("");
    spec_.parameters.push_back(std::move(p));
  }
}

void Loader::LoadTreaty(const toml::table& table) {
  TableReader r(this, table, "treaty",
                {"id", "name", "short_name", "description", "hypothetical",
                 "verification"});
  if (std::optional<std::string> id = r.String("id", true)) {
    spec_.id = *id;
    if (!stem_.empty() && *id != stem_) {
      Error(*table.get("id"), "treaty.id",
            fmt::format("id '{}' does not match the file name (expected "
                        "'{}')",
                        *id, stem_));
    }
  }
  spec_.name = r.String("name", true).value_or("");
  spec_.short_name = r.String("short_name", true).value_or("");
  spec_.description = r.String("description", false).value_or("");
  spec_.hypothetical = r.Bool("hypothetical", false).value_or(false);
  spec_.verification = r.Bool("verification", false).value_or(true);
}

void Loader::LoadDates(const toml::table& table) {
  TableReader r(this, table, "dates",
                {"signature", "entry_into_force", "expiry", "original_expiry",
                 "ended", "ended_reason", "withdrawal_notice_months"});
  TreatyDates& d = spec_.dates;
  std::optional<Date> signature = r.GetDate("signature", true);
  std::optional<Date> eif = r.GetDate("entry_into_force", true);
  if (signature) d.signature = *signature;
  if (eif) {
    d.entry_into_force = *eif;
    have_entry_into_force_ = true;
  }
  if (signature && eif && *eif < *signature) {
    Error(*table.get("entry_into_force"), "dates.entry_into_force",
          fmt::format("entry into force {} is before signature ({})",
                      eif->ToString(), signature->ToString()));
  }
  d.expiry = r.GetDate("expiry", false);
  d.original_expiry = r.GetDate("original_expiry", false);
  d.ended = r.GetDate("ended", false);
  if (eif) {
    for (auto [key, date] :
         {std::pair<std::string_view, std::optional<Date>>{"expiry", d.expiry},
          {"original_expiry", d.original_expiry}}) {
      if (date && *date <= *eif) {
        Error(*table.get(key), r.PathOf(key),
              fmt::format("{} {} is not after entry into force ({})", key,
                          date->ToString(), eif->ToString()));
      }
    }
    if (d.ended && *d.ended < *eif) {
      Error(*table.get("ended"), "dates.ended",
            fmt::format("ended {} is before entry into force ({})",
                        d.ended->ToString(), eif->ToString()));
    }
  }
  if (d.ended && d.expiry && *d.ended > *d.expiry) {
    Error(*table.get("ended"), "dates.ended",
          fmt::format("ended {} is after expiry ({}); 'ended' is for an end "
                      "earlier than the scheduled one",
                      d.ended->ToString(), d.expiry->ToString()));
  }
  if (std::optional<std::string> reason = r.String("ended_reason", false)) {
    d.ended_reason = *reason;
    if (table.get("ended") == nullptr) {
      Error(*table.get("ended_reason"), "dates.ended_reason",
            "'ended_reason' is given without 'ended'");
    }
  } else if (table.get("ended") != nullptr &&
             table.get("ended_reason") == nullptr) {
    Error(table, "dates.ended_reason",
          "required key 'ended_reason' is missing (needed with 'ended')");
  }
  if (table.get("withdrawal_notice_months") != nullptr) {
    d.withdrawal_notice_months =
        r.Integer("withdrawal_notice_months", false, 0);
  }
}

void Loader::LoadParties(TableReader& root) {
  const toml::node* node = root.Get("parties", true);
  if (node == nullptr) return;
  std::set<std::string> seen;
  for (auto& [table, path] : root.Tables("parties", true)) {
    TableReader r(this, *table, path, {"code", "name"});
    Party p;
    if (std::optional<std::string> code = r.String("code", true)) {
      const toml::node& code_node = *table->get("code");
      if (!IsPartyCode(*code)) {
        Error(code_node, r.PathOf("code"),
              fmt::format("'{}' is not a valid party code (expected "
                          "upper-case letters and digits: [A-Z][A-Z0-9]*)",
                          *code));
      }
      if (!seen.insert(*code).second) {
        Error(code_node, r.PathOf("code"),
              fmt::format("party '{}' listed twice", *code));
        continue;
      }
      p.code = *code;
    }
    p.name = r.String("name", true).value_or("");
    if (!p.code.empty()) spec_.parties.push_back(std::move(p));
  }
  // Counts entries rather than valid codes, so that a broken entry is
  // reported once, not also as a missing party.
  if (node->is_array() && node->as_array()->size() < 2) {
    Error(*node, "parties",
          fmt::format("a treaty needs at least two parties, found {}",
                      node->as_array()->size()));
  }
}

void Loader::LoadStatuses(TableReader& root) {
  std::set<std::string> seen;
  for (auto& [table, path] : root.Tables("statuses", false)) {
    TableReader r(this, *table, path, {"id", "name", "description"});
    ItemStatus s;
    if (std::optional<std::string> id = r.LowerId("id", true)) {
      if (!seen.insert(*id).second) {
        Error(*table->get("id"), r.PathOf("id"),
              fmt::format("status '{}' listed twice", *id));
        continue;
      }
      s.id = *id;
    }
    s.name = r.String("name", true).value_or("");
    s.description = r.String("description", false).value_or("");
    if (!s.id.empty()) spec_.statuses.push_back(std::move(s));
  }
}

void Loader::LoadCategories(TableReader& root) {
  std::set<std::string> seen;
  for (auto& [table, path] : root.Tables("categories", false)) {
    TableReader r(this, *table, path,
                  {"id", "name", "carries_warheads", "unique_identifier",
                   "attributes", "source"});
    Category c;
    if (std::optional<std::string> id = r.LowerId("id", true)) {
      if (!seen.insert(*id).second) {
        Error(*table->get("id"), r.PathOf("id"),
              fmt::format("category '{}' listed twice", *id));
        continue;
      }
      c.id = *id;
    }
    c.name = r.String("name", true).value_or("");
    c.carries_warheads = r.Bool("carries_warheads", false).value_or(false);
    c.unique_identifier = r.Bool("unique_identifier", false).value_or(false);
    c.source = r.String("source", false).value_or("");
    std::set<std::string> attribute_names;
    for (auto& [attr_table, attr_path] : r.Tables("attributes", false)) {
      LoadAttribute(*attr_table, attr_path, &c, &attribute_names);
    }
    if (!c.id.empty()) spec_.categories.push_back(std::move(c));
  }
}

void Loader::LoadAttribute(const toml::table& table, const std::string& path,
                           Category* category, std::set<std::string>* seen) {
  TableReader r(this, table, path, {"name", "type", "required", "description"});
  Attribute a;
  std::optional<std::string> name = r.String("name", true);
  if (name && !seen->insert(*name).second) {
    Error(*table.get("name"), r.PathOf("name"),
          fmt::format("attribute '{}' listed twice", *name));
    return;
  }
  if (std::optional<std::string> type = r.String("type", true)) {
    std::optional<ValueType> t = ParseValueType(*type);
    if (!t) {
      Error(*table.get("type"), r.PathOf("type"),
            fmt::format("unknown value type '{}' (expected {})", *type,
                        AllValueTypeNames()));
    } else {
      a.type = *t;
    }
  }
  a.required = r.Bool("required", false).value_or(false);
  a.description = r.String("description", false).value_or("");
  if (name) {
    a.name = *name;
    category->attributes.push_back(std::move(a));
  }
}

void Loader::LoadDataExchange(const toml::table& table) {
  TableReader r(this, table, "data_exchange",
                {"first_period_start", "period_months", "source"});
  std::optional<Date> start = r.GetDate("first_period_start", true);
  std::optional<int64_t> months = r.Integer("period_months", true, 1, 12);
  std::string source = r.String("source", false).value_or("");
  if (start && months) {
    spec_.data_exchange =
        DataExchange{*start, static_cast<int>(*months), std::move(source)};
  }
}

void Loader::LoadLimits(TableReader& root) {
  std::set<std::string> seen_ids;
  for (auto& [table, path] : root.Tables("limits", false)) {
    LoadLimit(*table, path, &seen_ids);
  }
}

void Loader::LoadLimit(const toml::table& table, const std::string& path,
                       std::set<std::string>* seen_ids) {
  TableReader r(this, table, path,
                {"id", "name", "article", "max", "min", "effective", "until",
                 "parties", "terms", "source", "note"});
  Limit limit;
  limit.location = LocationOf(table);
  bool duplicate = false;
  if (std::optional<std::string> id = r.LowerId("id", true)) {
    if (!seen_ids->insert(*id).second) {
      Error(*table.get("id"), r.PathOf("id"),
            fmt::format("limit '{}' listed twice", *id));
      duplicate = true;
    }
    limit.id = *id;
  }
  limit.name = r.String("name", true).value_or("");
  limit.article = r.String("article", false).value_or("");
  limit.max = r.Integer("max", false, 0);
  limit.min = r.Integer("min", false, 0);
  if (table.get("max") == nullptr && table.get("min") == nullptr) {
    Error(table, r.path(),
          "a limit needs 'max', 'min' or both (a ban is max = 0)");
  }
  if (limit.min && limit.max && *limit.min > *limit.max) {
    Error(*table.get("min"), r.PathOf("min"),
          fmt::format("min {} is greater than max {}", *limit.min, *limit.max));
  }
  std::optional<Date> effective = r.GetDate("effective", true);
  if (effective) {
    limit.effective = *effective;
    if (have_entry_into_force_ && *effective < spec_.dates.entry_into_force) {
      Error(*table.get("effective"), r.PathOf("effective"),
            fmt::format("effective date {} is before entry into force ({})",
                        effective->ToString(),
                        spec_.dates.entry_into_force.ToString()));
    }
  }
  limit.until = r.GetDate("until", false);
  if (limit.until && effective && *limit.until <= *effective) {
    Error(*table.get("until"), r.PathOf("until"),
          fmt::format("until {} is not after the effective date ({})",
                      limit.until->ToString(), limit.effective.ToString()));
  }
  std::vector<std::string> party_codes = PartyCodes();
  if (std::optional<std::vector<StringAt>> parties =
          r.Strings("parties", false, true)) {
    for (const StringAt& p : *parties) {
      if (CheckDeclared(p, "party", party_codes))
        limit.parties.push_back(p.value);
    }
  }
  if (const toml::node* terms = r.Get("terms", true)) {
    if (terms->is_array() && terms->as_array()->empty()) {
      Error(*terms, r.PathOf("terms"), "a limit needs at least one term");
    }
    for (auto& [term_table, term_path] : r.Tables("terms", true)) {
      Term term;
      LoadTerm(*term_table, term_path, &term);
      limit.terms.push_back(std::move(term));
    }
  }
  limit.source = r.String("source", false).value_or("");
  limit.note = r.String("note", false).value_or("");
  if (!duplicate) spec_.limits.push_back(std::move(limit));
}

void Loader::LoadTerm(const toml::table& table, const std::string& path,
                      Term* term) {
  TableReader r(this, table, path,
                {"category", "status", "parties", "types", "where", "weight",
                 "first", "then"});
  term->location = LocationOf(table);
  const Category* category = nullptr;
  if (std::optional<std::string> id = r.String("category", true)) {
    term->category = *id;
    category = spec_.FindCategory(*id);
    if (category == nullptr) {
      Error(*table.get("category"), r.PathOf("category"),
            fmt::format("unknown category '{}' {}", *id,
                        DeclaredList(CategoryIds())));
    }
  }
  std::vector<std::string> status_ids = StatusIds();
  if (std::optional<std::vector<StringAt>> statuses =
          r.Strings("status", true, true)) {
    for (const StringAt& s : *statuses) {
      if (CheckDeclared(s, "status", status_ids)) {
        term->statuses.push_back(s.value);
      }
    }
  }
  std::vector<std::string> party_codes = PartyCodes();
  if (std::optional<std::vector<StringAt>> parties =
          r.Strings("parties", false, true)) {
    for (const StringAt& p : *parties) {
      if (CheckDeclared(p, "party", party_codes))
        term->parties.push_back(p.value);
    }
  }
  if (std::optional<std::vector<StringAt>> types =
          r.Strings("types", false, true)) {
    for (const StringAt& t : *types) term->types.push_back(t.value);
  }
  if (const toml::table* where = r.Table("where", false)) {
    LoadWhere(*where, r.PathOf("where"), category, &term->where);
  }
  if (const toml::node* weight = r.Get("weight", true)) {
    if (std::optional<Weight> w =
            WeightValue(*weight, r.PathOf("weight"), category)) {
      term->weight = *w;
    }
  }
  term->first = r.Integer("first", false, 0);
  if (const toml::node* then = r.Get("then", false)) {
    if (table.get("first") == nullptr) {
      Error(*then, r.PathOf("then"),
            "'then' is only allowed with 'first' (it weighs the items beyond "
            "the first N)");
    } else {
      term->then = WeightValue(*then, r.PathOf("then"), category);
    }
  }
}

std::optional<Weight> Loader::WeightValue(const toml::node& node,
                                          const std::string& path,
                                          const Category* category) {
  constexpr std::string_view kExpected =
      "expected one, warheads, an integer, param:NAME or attribute:NAME";
  Weight w;
  if (node.is_integer()) {
    int64_t value = node.as_integer()->get();
    if (value < 0) {
      Error(node, path,
            fmt::format("weight must not be negative (got {})", value));
      return std::nullopt;
    }
    w.kind = Weight::Kind::kConstant;
    w.constant = value;
    return w;
  }
  if (!node.is_string()) {
    Error(node, path, fmt::format("{}, found {}", kExpected, Describe(node)));
    return std::nullopt;
  }
  const std::string& text = node.as_string()->get();
  if (text == "one") {
    w.kind = Weight::Kind::kOne;
  } else if (text == "warheads") {
    w.kind = Weight::Kind::kWarheads;
    if (category != nullptr && !category->carries_warheads) {
      Error(node, path,
            fmt::format("weight 'warheads' needs a category that carries "
                        "warheads; category '{}' does not (carries_warheads "
                        "= false)",
                        category->id));
      return std::nullopt;
    }
  } else if (text.starts_with("param:")) {
    std::optional<int64_t> value =
        IntegerValue(node, path, 0, std::numeric_limits<int64_t>::max());
    if (!value) return std::nullopt;
    w.kind = Weight::Kind::kConstant;
    w.constant = *value;
  } else if (text.starts_with("attribute:")) {
    w.kind = Weight::Kind::kAttribute;
    w.attribute = text.substr(10);
    if (category != nullptr) {
      const Attribute* a = category->FindAttribute(w.attribute);
      if (a == nullptr) {
        std::vector<std::string> names;
        for (const Attribute& attr : category->attributes) {
          names.push_back(attr.name);
        }
        Error(node, path,
              fmt::format("unknown attribute '{}' in category '{}' {}",
                          w.attribute, category->id, DeclaredList(names)));
        return std::nullopt;
      }
      if (a->type != ValueType::kInteger) {
        Error(node, path,
              fmt::format("weight attribute '{}' is of type {}; a weight "
                          "needs an integer attribute",
                          w.attribute, ValueTypeName(a->type)));
        return std::nullopt;
      }
    }
  } else {
    Error(node, path, fmt::format("unknown weight '{}' ({})", text, kExpected));
    return std::nullopt;
  }
  return w;
}

void Loader::LoadWhere(const toml::table& table, const std::string& path,
                       const Category* category,
                       std::vector<AttributeCondition>* out) {
  for (auto [key_ptr, value_ptr] : InFileOrder(table)) {
    const toml::key& key = *key_ptr;
    const toml::node& value = *value_ptr;
    std::string name(key.str());
    std::string cond_path = Sub(path, name);
    AttributeCondition cond;
    cond.attribute = name;
    const Attribute* attr = nullptr;
    if (category != nullptr) {
      attr = category->FindAttribute(name);
      if (attr == nullptr) {
        std::vector<std::string> names;
        for (const Attribute& a : category->attributes) names.push_back(a.name);
        Error(key.source(), cond_path,
              fmt::format("unknown attribute '{}' in category '{}' {}", name,
                          category->id, DeclaredList(names)));
        continue;
      }
    }
    if (value.is_string()) {
      if (attr != nullptr && !IsStringLike(attr->type)) {
        Error(value, cond_path,
              fmt::format("attribute '{}' is of type {}; it cannot equal a "
                          "string",
                          name, ValueTypeName(attr->type)));
        continue;
      }
      cond.equals = value.as_string()->get();
    } else if (value.is_integer()) {
      if (attr != nullptr && attr->type != ValueType::kInteger) {
        Error(value, cond_path,
              fmt::format("attribute '{}' is of type {}; it cannot equal an "
                          "integer",
                          name, ValueTypeName(attr->type)));
        continue;
      }
      cond.min = cond.max = value.as_integer()->get();
    } else if (value.is_array()) {
      const toml::array& range = *value.as_array();
      if (range.size() != 2 || !range.get(0)->is_integer() ||
          !range.get(1)->is_integer()) {
        Error(value, cond_path, "a range must be two integers [min, max]");
        continue;
      }
      if (attr != nullptr && attr->type != ValueType::kInteger) {
        Error(value, cond_path,
              fmt::format("attribute '{}' is of type {}; only an integer "
                          "attribute can be in a range",
                          name, ValueTypeName(attr->type)));
        continue;
      }
      cond.min = range.get(0)->as_integer()->get();
      cond.max = range.get(1)->as_integer()->get();
      if (*cond.min > *cond.max) {
        Error(value, cond_path,
              fmt::format("range [{}, {}] is empty (min > max)", *cond.min,
                          *cond.max));
        continue;
      }
    } else {
      Error(value, cond_path,
            fmt::format("expected a string, an integer or [min, max], found {}",
                        Describe(value)));
      continue;
    }
    out->push_back(std::move(cond));
  }
}

void Loader::LoadNotifications(TableReader& root) {
  std::set<std::string> seen;
  for (auto& [table, path] : root.Tables("notifications", false)) {
    TableReader r(
        this, *table, path,
        {"code", "name", "reference", "deadline", "fields", "source", "note"});
    NotificationType n;
    bool duplicate = false;
    if (std::optional<std::string> code = r.String("code", true)) {
      const toml::node& code_node = *table->get("code");
      if (!IsNotificationCode(*code)) {
        Error(code_node, r.PathOf("code"),
              fmt::format("'{}' is not a valid notification code (expected "
                          "upper-case letters, digits and '-': "
                          "[A-Z0-9][A-Z0-9-]*)",
                          *code));
      }
      if (!seen.insert(*code).second) {
        Error(code_node, r.PathOf("code"),
              fmt::format("notification code '{}' listed twice", *code));
        duplicate = true;
      }
      n.code = *code;
    }
    n.name = r.String("name", true).value_or("");
    n.reference = r.String("reference", false).value_or("");
    if (std::optional<std::string> phrase = r.String("deadline", false)) {
      const toml::node& node = *table->get("deadline");
      Result<DeadlineRule> rule = ParseDeadlineRule(
          *phrase,
          [this](std::string_view name) { return ResolveParameter(name); });
      if (!rule.ok()) {
        Error(node, r.PathOf("deadline"), std::string(rule.status().message()));
      } else if (rule->anchor == DeadlineRule::Anchor::kPeriodEnd &&
                 !spec_.data_exchange.has_value()) {
        if (!have_data_exchange_table_) {
          Error(node, r.PathOf("deadline"),
                "the deadline refers to the end of a period but the spec has "
                "no [data_exchange] to define periods");
        }
      } else if (rule->anchor == DeadlineRule::Anchor::kPeriodEnd &&
                 rule->period_months != spec_.data_exchange->period_months) {
        Error(node, r.PathOf("deadline"),
              fmt::format("the deadline names a {}-month period but "
                          "[data_exchange] period_months is {}",
                          rule->period_months,
                          spec_.data_exchange->period_months));
      } else {
        n.deadline = std::move(*rule);
      }
    }
    std::set<std::string> field_names;
    for (auto& [field_table, field_path] : r.Tables("fields", false)) {
      LoadField(*field_table, field_path, &n, &field_names);
    }
    n.source = r.String("source", false).value_or("");
    n.note = r.String("note", false).value_or("");
    if (!duplicate) spec_.notifications.push_back(std::move(n));
  }
}

void Loader::LoadField(const toml::table& table, const std::string& path,
                       NotificationType* n, std::set<std::string>* seen) {
  TableReader r(this, table, path,
                {"name", "type", "required", "values", "description"});
  Field f;
  std::optional<std::string> name = r.String("name", true);
  if (name && !seen->insert(*name).second) {
    Error(*table.get("name"), r.PathOf("name"),
          fmt::format("field '{}' listed twice", *name));
    return;
  }
  bool type_known = false;
  if (std::optional<std::string> type = r.String("type", true)) {
    if (std::optional<ValueType> t = ParseValueType(*type)) {
      f.type = *t;
      type_known = true;
    } else {
      Error(*table.get("type"), r.PathOf("type"),
            fmt::format("unknown value type '{}' (expected {})", *type,
                        AllValueTypeNames()));
    }
  }
  f.required = r.Bool("required", false).value_or(true);
  if (std::optional<std::vector<StringAt>> values =
          r.Strings("values", false, false)) {
    if (type_known && f.type != ValueType::kEnum) {
      Error(*table.get("values"), r.PathOf("values"),
            fmt::format("'values' is only for enum fields (this one is {})",
                        ValueTypeName(f.type)));
    }
    std::set<std::string> seen_values;
    for (const StringAt& v : *values) {
      if (!seen_values.insert(v.value).second) {
        Error(*v.node, v.path, fmt::format("value '{}' listed twice", v.value));
        continue;
      }
      f.values.push_back(v.value);
    }
  }
  if (type_known && f.type == ValueType::kEnum && f.values.empty() &&
      (table.get("values") == nullptr ||
       (table.get("values")->is_array() &&
        table.get("values")->as_array()->empty()))) {
    const toml::node* values = table.get("values");
    Error(values != nullptr ? values->source() : table.source(),
          r.PathOf("values"), "an enum field needs a non-empty 'values' list");
  }
  f.description = r.String("description", false).value_or("");
  if (name) {
    f.name = *name;
    n->fields.push_back(std::move(f));
  }
}

void Loader::LoadInspections(const toml::table& table) {
  TableReader r(this, table, "inspections", {"one_at_a_time", "types"});
  InspectionRules& rules = spec_.inspections;
  rules.one_at_a_time = r.Bool("one_at_a_time", false).value_or(false);
  std::set<std::string> seen;
  for (auto& [type_table, path] : r.Tables("types", false)) {
    TableReader t(this, *type_table, path,
                  {"id", "name", "annual_quota", "quota_year",
                   "not_before_days_after_entry_into_force",
                   "reentry_vehicle_count", "purpose", "source"});
    InspectionType it;
    bool duplicate = false;
    if (std::optional<std::string> id = t.LowerId("id", true)) {
      if (!seen.insert(*id).second) {
        Error(*type_table->get("id"), t.PathOf("id"),
              fmt::format("inspection type '{}' listed twice", *id));
        duplicate = true;
      }
      it.id = *id;
    }
    it.name = t.String("name", true).value_or("");
    it.annual_quota = t.Integer("annual_quota", true, 0).value_or(0);
    if (std::optional<std::string> year = t.String("quota_year", false)) {
      if (*year == "treaty_year") {
        it.quota_year = QuotaYear::kTreatyYear;
      } else if (*year == "calendar_year") {
        it.quota_year = QuotaYear::kCalendarYear;
      } else {
        Error(*type_table->get("quota_year"), t.PathOf("quota_year"),
              fmt::format("unknown quota_year '{}' (expected treaty_year or "
                          "calendar_year)",
                          *year));
      }
    }
    it.not_before_days_after_entry_into_force =
        t.Integer("not_before_days_after_entry_into_force", false, 0)
            .value_or(0);
    it.reentry_vehicle_count =
        t.Bool("reentry_vehicle_count", false).value_or(false);
    it.purpose = t.String("purpose", false).value_or("");
    it.source = t.String("source", false).value_or("");
    if (!duplicate) rules.types.push_back(std::move(it));
  }
}

void Loader::LoadCommission(const toml::table& table) {
  TableReader r(this, table, "commission",
                {"name", "min_sessions_per_year", "agreed_agenda_required",
                 "confidential", "outcome_kinds", "source"});
  CommissionRules c;
  c.name = r.String("name", true).value_or("");
  c.min_sessions_per_year =
      r.Integer("min_sessions_per_year", false, 0).value_or(0);
  c.agreed_agenda_required =
      r.Bool("agreed_agenda_required", false).value_or(true);
  c.confidential = r.Bool("confidential", false).value_or(false);
  if (std::optional<std::vector<StringAt>> kinds =
          r.Strings("outcome_kinds", false, false)) {
    for (const StringAt& k : *kinds) c.outcome_kinds.push_back(k.value);
  }
  c.source = r.String("source", false).value_or("");
  spec_.commission = std::move(c);
}

Status ErrorsToStatus(const std::vector<SpecError>& errors) {
  std::string message;
  for (const SpecError& e : errors) {
    if (!message.empty()) message += '\n';
    message += e.ToString();
  }
  return Status::InvalidArgument(message);
}

}  // namespace

Result<Spec> LoadSpecString(std::string_view toml_text,
                            std::string_view file_name,
                            std::vector<SpecError>* errors) {
  std::vector<SpecError> found;
  std::string file(file_name);
  std::string stem = std::filesystem::path(file).stem().string();
  toml::table root;
  try {
    root = toml::parse(toml_text, std::string_view(file));
  } catch (const toml::parse_error& e) {
    found.push_back(SpecError{file, static_cast<int>(e.source().begin.line),
                              static_cast<int>(e.source().begin.column), "",
                              std::string(e.description())});
  }
  Spec spec;
  if (found.empty()) {
    Loader loader(file, stem);
    loader.Load(root);
    found = loader.TakeErrors();
    spec = loader.TakeSpec();
  }
  if (errors != nullptr) *errors = found;
  if (!found.empty()) return ErrorsToStatus(found);
  return spec;
}

Result<Spec> LoadSpecFile(const std::string& path,
                          std::vector<SpecError>* errors) {
  if (errors != nullptr) errors->clear();
  std::error_code ec;
  std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(st)) {
    return Status::NotFound(
        fmt::format("treaty spec '{}' does not exist", path));
  }
  if (std::filesystem::is_directory(st)) {
    return Status::IOError(
        fmt::format("treaty spec '{}' is a directory, not a file", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::IOError(fmt::format("cannot open treaty spec '{}'", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return Status::IOError(fmt::format("cannot read treaty spec '{}'", path));
  }
  return LoadSpecString(text.str(), path, errors);
}

}  // namespace detente::treaty

#include "detente/scenario/scenario.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "detente/commission/messages.h"
#include "fmt/format.h"
#include "toml++/toml.h"

namespace detente::scenario {

std::string ScenarioError::ToString() const {
  if (key.empty()) {
    return fmt::format("{}:{}:{}: {}", file, line, column, message);
  }
  return fmt::format("{}:{}:{}: {}: {}", file, line, column, key, message);
}

std::string_view FilledField(std::string_view type_code) {
  switch (commission::KindOf(type_code)) {
    case commission::MessageKind::kCommissioner:
      return "key";
    case commission::MessageKind::kOutcome:
      return "signatures";
    case commission::MessageKind::kAgendaAccept:
      return "agenda";
    default:
      return "";
  }
}

namespace {

using notification::Notification;
using notification::Value;

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
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

std::string DateText(const toml::date& d) {
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

class Loader {
 public:
  Loader(std::string file, const treaty::Spec& spec)
      : file_(std::move(file)), spec_(spec) {
    out_.file = file_;
  }

  void Load(const toml::table& root) {
    for (auto&& [k, v] : root) {
      if (k.str() != "scenario" && k.str() != "events") {
        Error(v, std::string(k.str()),
              "unknown key (expected [scenario] and [[events]])");
      }
    }
    const toml::table* header = root["scenario"].as_table();
    if (header == nullptr) {
      Error(root, "scenario", "missing [scenario] table");
    } else {
      LoadHeader(*header);
    }
    const toml::array* events = root["events"].as_array();
    if (events == nullptr) {
      Error(root, "events", "missing [[events]]: a scenario has events");
      return;
    }
    for (size_t i = 0; i < events->size(); ++i) {
      const toml::node& e = *events->get(i);
      const std::string path = fmt::format("events[{}]", i);
      if (const toml::table* t = e.as_table()) {
        LoadEvent(*t, path);
      } else {
        Error(e, path, fmt::format("expected a table, found {}", Describe(e)));
      }
    }
  }

  std::vector<ScenarioError> TakeErrors() { return std::move(errors_); }
  Scenario TakeScenario() { return std::move(out_); }

 private:
  void Error(const toml::node& n, std::string key, std::string message) {
    errors_.push_back({file_, static_cast<int>(n.source().begin.line),
                       static_cast<int>(n.source().begin.column),
                       std::move(key), std::move(message)});
  }

  void CheckKeys(const toml::table& t, const std::string& path,
                 std::initializer_list<std::string_view> allowed) {
    for (auto&& [k, v] : t) {
      bool ok = false;
      for (std::string_view a : allowed) ok |= k.str() == a;
      if (!ok) Error(v, Sub(path, k.str()), "unknown key");
    }
  }

  static std::string Sub(std::string_view path, std::string_view key) {
    return fmt::format("{}.{}", path, key);
  }

  std::optional<std::string> String(const toml::table& t,
                                    const std::string& path,
                                    std::string_view key, bool required) {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required) Error(t, Sub(path, key), "missing (required)");
      return std::nullopt;
    }
    if (!n->is_string()) {
      Error(*n, Sub(path, key),
            fmt::format("expected a string, found {}", Describe(*n)));
      return std::nullopt;
    }
    std::string s = n->as_string()->get();
    if (required && s.empty()) {
      Error(*n, Sub(path, key), "must not be empty");
      return std::nullopt;
    }
    return s;
  }

  std::optional<bool> Bool(const toml::table& t, const std::string& path,
                           std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return false;
    if (!n->is_boolean()) {
      Error(*n, Sub(path, key),
            fmt::format("expected a boolean, found {}", Describe(*n)));
      return std::nullopt;
    }
    return n->as_boolean()->get();
  }

  // A GMT instant: a TOML offset date-time with offset Z (or +00:00) and
  // whole seconds, or the string "YYYY-MM-DDTHH:MM:SSZ".
  std::optional<Instant> InstantAt(const toml::node& n,
                                   const std::string& key) {
    if (const auto* dt = n.as_date_time()) {
      const toml::date_time& v = dt->get();
      if (!v.offset.has_value() || v.offset->minutes != 0 ||
          v.time.nanosecond != 0) {
        Error(n, key,
              "a time must be GMT with whole seconds, e.g. "
              "2022-11-28T10:00:00Z");
        return std::nullopt;
      }
      const std::string text =
          fmt::format("{}T{:02}:{:02}:{:02}Z", DateText(v.date), v.time.hour,
                      v.time.minute, v.time.second);
      Result<Instant> t = Instant::Parse(text);
      if (!t.ok()) {
        Error(n, key, std::string(t.status().message()));
        return std::nullopt;
      }
      return *t;
    }
    if (const auto* s = n.as_string()) {
      Result<Instant> t = Instant::Parse(s->get());
      if (!t.ok() || t->ToString() != s->get()) {
        Error(n, key,
              fmt::format("'{}' is not a GMT time YYYY-MM-DDTHH:MM:SSZ",
                          s->get()));
        return std::nullopt;
      }
      return *t;
    }
    Error(n, key,
          fmt::format("expected a GMT date-time, found {}", Describe(n)));
    return std::nullopt;
  }

  void LoadHeader(const toml::table& t) {
    const std::string path = "scenario";
    CheckKeys(t, path,
              {"id", "treaty", "title", "description", "end", "end_source"});
    out_.id = String(t, path, "id", true).value_or("");
    out_.title = String(t, path, "title", true).value_or("");
    out_.description = String(t, path, "description", false).value_or("");
    if (std::optional<std::string> treaty = String(t, path, "treaty", true)) {
      out_.treaty = *treaty;
      if (*treaty != spec_.id) {
        Error(*t.get("treaty"), Sub(path, "treaty"),
              fmt::format("the scenario is for '{}' but the spec is '{}'",
                          *treaty, spec_.id));
      }
    }
    if (const toml::node* end = t.get("end")) {
      const auto* d = end->as_date();
      if (d == nullptr) {
        Error(*end, Sub(path, "end"),
              fmt::format("expected a date, found {}", Describe(*end)));
      } else {
        Result<Date> date = Date::Parse(DateText(d->get()));
        if (!date.ok()) {
          Error(*end, Sub(path, "end"), std::string(date.status().message()));
        } else {
          out_.end = *date;
          const std::optional<Date> spec_end = spec_.End();
          if (spec_end != *date) {
            Error(*end, Sub(path, "end"),
                  fmt::format("{} is not the end of {} in its spec ({})",
                              date->ToString(), spec_.id,
                              spec_end ? spec_end->ToString() : "none"));
          }
        }
      }
      out_.end_source = String(t, path, "end_source", true).value_or("");
    } else if (t.get("end_source") != nullptr) {
      Error(*t.get("end_source"), Sub(path, "end_source"),
            "end_source without end");
    }
  }

  // The notification value of a body entry: strings, integers, booleans
  // (0 or 1), dates ("YYYY-MM-DD") and GMT date-times.
  std::optional<Value> BodyValue(const toml::node& n, const std::string& key) {
    if (const auto* s = n.as_string()) return Value::Str(s->get());
    if (const auto* i = n.as_integer()) return Value::Int(i->get());
    if (const auto* b = n.as_boolean()) return Value::Int(b->get() ? 1 : 0);
    if (const auto* d = n.as_date()) return Value::Str(DateText(d->get()));
    if (n.is_date_time()) {
      std::optional<Instant> t = InstantAt(n, key);
      if (!t) return std::nullopt;
      return Value::Str(t->ToString());
    }
    Error(n, key,
          fmt::format("expected a string, integer, boolean, date or GMT "
                      "date-time, found {}",
                      Describe(n)));
    return std::nullopt;
  }

  void LoadEvent(const toml::table& t, const std::string& path) {
    CheckKeys(t, path,
              {"time", "sent", "sender", "type", "source", "illustration",
               "note", "stops_sending", "body"});
    const size_t errors_before = errors_.size();
    ScenarioEvent e;
    e.line = static_cast<int>(t.source().begin.line);
    Notification& n = e.notification;
    n.treaty = spec_.id;
    n.sequence = 1;  // a placeholder for validation; renumbered on merge

    std::optional<Instant> time;
    if (const toml::node* node = t.get("time")) {
      time = InstantAt(*node, Sub(path, "time"));
    } else {
      Error(t, Sub(path, "time"), "missing (required)");
    }
    std::optional<Instant> sent = time;
    if (const toml::node* node = t.get("sent")) {
      sent = InstantAt(*node, Sub(path, "sent"));
      if (sent && time && *sent < *time) {
        Error(*node, Sub(path, "sent"),
              fmt::format("sent {} before its event time {}", sent->ToString(),
                          time->ToString()));
      }
    }
    if (time) {
      if (last_time_ && *time < *last_time_) {
        Error(*t.get("time"), Sub(path, "time"),
              fmt::format("{} is before the previous event's time {}: events "
                          "are listed in time order",
                          time->ToString(), last_time_->ToString()));
      }
      last_time_ = std::max(last_time_.value_or(*time), *time);
      n.event_time = *time;
    }
    if (sent) n.sent_time = *sent;

    if (std::optional<std::string> sender = String(t, path, "sender", true)) {
      n.sender = *sender;
      if (spec_.FindParty(*sender) == nullptr) {
        Error(*t.get("sender"), Sub(path, "sender"),
              fmt::format("'{}' is not a party of {}", *sender, spec_.id));
      } else if (auto it = stopped_.find(*sender); it != stopped_.end()) {
        Error(*t.get("sender"), Sub(path, "sender"),
              fmt::format("{} stopped sending at {} (stops_sending, line {})",
                          *sender, it->second.first.ToString(),
                          it->second.second));
      }
    }
    const treaty::NotificationType* type = nullptr;
    if (std::optional<std::string> code = String(t, path, "type", true)) {
      n.type = *code;
      type = spec_.FindNotification(*code);
      if (type == nullptr) {
        Error(*t.get("type"), Sub(path, "type"),
              fmt::format("{} has no notification type '{}'", spec_.id, *code));
      }
    }
    e.source = String(t, path, "source", true).value_or("");
    e.illustration = Bool(t, path, "illustration").value_or(false);
    e.note = String(t, path, "note", false).value_or("");
    e.stops_sending = Bool(t, path, "stops_sending").value_or(false);

    const toml::table* body = nullptr;
    if (const toml::node* node = t.get("body")) {
      body = node->as_table();
      if (body == nullptr) {
        Error(*node, Sub(path, "body"),
              fmt::format("expected a table, found {}", Describe(*node)));
      }
    } else {
      Error(t, Sub(path, "body"), "missing (required)");
    }
    Value::Map fields;
    if (body != nullptr) {
      for (auto&& [k, v] : *body) {
        std::optional<Value> value =
            BodyValue(v, Sub(Sub(path, "body"), k.str()));
        if (value) fields.emplace(std::string(k.str()), std::move(*value));
      }
    }
    if (errors_.size() != errors_before || type == nullptr || body == nullptr) {
      return;
    }
    // Validate against the catalogue, with a stand-in for a field the
    // replay fills.
    Value::Map checked = fields;
    const std::string_view filled = FilledField(n.type);
    if (!filled.empty())
      checked.try_emplace(std::string(filled), Value::Str("x"));
    n.body = Value::OfMap(std::move(checked));
    Status valid = notification::Validate(spec_, n);
    n.body = Value::OfMap(std::move(fields));
    if (!valid.ok()) {
      // "body.session: ..." points at the field when the file has it.
      std::string message(valid.message());
      const toml::node* where = body;
      std::string key = Sub(path, "body");
      if (message.rfind("body.", 0) == 0) {
        const size_t end = message.find_first_of(":.[", 5);
        const std::string field = message.substr(5, end - 5);
        if (const toml::node* f = body->get(field)) {
          where = f;
          key = Sub(key, field);
          if (end != std::string::npos && message[end] == ':') {
            message = message.substr(end + 1);
            if (!message.empty() && message[0] == ' ') message.erase(0, 1);
          }
        }
      }
      Error(*where, key, message);
      return;
    }
    if (e.stops_sending) {
      stopped_.emplace(n.sender, std::pair{n.sent_time, e.line});
    }
    out_.events.push_back(std::move(e));
  }

  std::string file_;
  const treaty::Spec& spec_;
  Scenario out_;
  std::vector<ScenarioError> errors_;
  std::optional<Instant> last_time_;
  std::map<std::string, std::pair<Instant, int>> stopped_;
};

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(st)) {
    return Status::NotFound(fmt::format("scenario '{}' does not exist", path));
  }
  if (std::filesystem::is_directory(st)) {
    return Status::IOError(
        fmt::format("scenario '{}' is a directory, not a file", path));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return Status::IOError(fmt::format("{}: cannot read", path));
  return text.str();
}

Result<toml::table> Parse(std::string_view text, const std::string& file,
                          std::vector<ScenarioError>* found) {
  try {
    return toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& e) {
    found->push_back({file, static_cast<int>(e.source().begin.line),
                      static_cast<int>(e.source().begin.column), "",
                      std::string(e.description())});
    return Status::InvalidArgument(found->back().ToString());
  }
}

}  // namespace

Result<std::string> ReadScenarioTreaty(const std::string& path) {
  DETENTE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  std::vector<ScenarioError> found;
  DETENTE_ASSIGN_OR_RETURN(toml::table root, Parse(text, path, &found));
  if (const auto* t = root["scenario"]["treaty"].as_string()) return t->get();
  return Status::InvalidArgument(
      fmt::format("{}: scenario.treaty: missing (required)", path));
}

Result<Scenario> LoadScenarioString(std::string_view toml_text,
                                    std::string_view file_name,
                                    const treaty::Spec& spec,
                                    std::vector<ScenarioError>* errors) {
  const std::string file(file_name);
  std::vector<ScenarioError> found;
  Result<toml::table> root = Parse(toml_text, file, &found);
  Scenario out;
  if (root.ok()) {
    Loader loader(file, spec);
    loader.Load(*root);
    found = loader.TakeErrors();
    out = loader.TakeScenario();
  }
  if (errors != nullptr) *errors = found;
  if (!found.empty()) {
    std::string message;
    for (const ScenarioError& e : found) {
      if (!message.empty()) message += '\n';
      message += e.ToString();
    }
    return Status::InvalidArgument(message);
  }
  return out;
}

Result<Scenario> LoadScenarioFile(const std::string& path,
                                  const treaty::Spec& spec,
                                  std::vector<ScenarioError>* errors) {
  if (errors != nullptr) errors->clear();
  DETENTE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return LoadScenarioString(text, path, spec, errors);
}

}  // namespace detente::scenario

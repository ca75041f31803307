// detente notify: validate, sign and append one notification to the
// sender's log — refused, with nothing appended, when it fails validation,
// the key is not the log's, the treaty is another, or its sequence number
// replays an old one or skips one.
#include <chrono>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <ostream>

#include "detente/base/csv.h"
#include "detente/cli/cli_util.h"
#include "detente/cli/commands.h"
#include "detente/cli/regime_io.h"
#include "detente/crypto/keys.h"
#include "detente/ledger/log_store.h"
#include "detente/notification/notification.h"
#include "fmt/format.h"

namespace detente::cli {
namespace {

using nlohmann::json;
using notification::Value;

// JSON -> the record model: integers, strings, lists and maps only.
Result<Value> ToValue(const json& j, const std::string& path) {
  if (j.is_number_integer()) {
    if (j.is_number_unsigned() &&
        j.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      return Status::InvalidArgument(path + ": integer out of range");
    }
    return Value::Int(j.get<int64_t>());
  }
  if (j.is_string()) return Value::Str(j.get<std::string>());
  if (j.is_boolean()) return Value::Int(j.get<bool>() ? 1 : 0);
  if (j.is_array()) {
    Value::List l;
    for (size_t i = 0; i < j.size(); ++i) {
      DETENTE_ASSIGN_OR_RETURN(Value v,
                               ToValue(j[i], fmt::format("{}[{}]", path, i)));
      l.push_back(std::move(v));
    }
    return Value::OfList(std::move(l));
  }
  if (j.is_object()) {
    Value::Map m;
    for (auto it = j.begin(); it != j.end(); ++it) {
      DETENTE_ASSIGN_OR_RETURN(Value v,
                               ToValue(it.value(), path + "." + it.key()));
      m[it.key()] = std::move(v);
    }
    return Value::OfMap(std::move(m));
  }
  return Status::InvalidArgument(fmt::format(
      "{}: {} is not allowed; records hold integers and strings only", path,
      j.type_name()));
}

}  // namespace

int RunNotify(const CommonOptions& common, const NotifyOptions& opts,
              Streams io) {
  std::optional<treaty::Spec> spec = LoadSpecOrReport(common, opts.treaty, io);
  if (!spec) return kExitInput;
  Result<std::string> text = [&]() -> Result<std::string> {
    if (opts.input == "-") {
      return std::string((std::istreambuf_iterator<char>(std::cin)), {});
    }
    return ReadFile(opts.input);
  }();
  if (!text.ok()) return Fail(io, text.status());
  json j;
  try {
    j = json::parse(*text);
  } catch (const json::parse_error& e) {
    return Fail(io, Status::InvalidArgument(fmt::format(
                        "{}: not valid JSON: {}", opts.input, e.what())));
  }
  if (!j.is_object()) {
    return Fail(io,
                Status::InvalidArgument(opts.input + ": expected an object"));
  }
  notification::Notification n;
  auto field = [&](const char* k) -> std::string {
    return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : "";
  };
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    if (k != "treaty" && k != "sender" && k != "type" && k != "event_time" &&
        k != "sent_time" && k != "body") {
      return Fail(io, Status::InvalidArgument(fmt::format(
                          "{}: unknown key '{}' (expected treaty, sender, "
                          "type, event_time, sent_time, body)",
                          opts.input, k)));
    }
  }
  n.treaty = j.contains("treaty") ? field("treaty") : spec->id;
  n.sender = field("sender");
  n.type = field("type");
  Result<Instant> event = Instant::Parse(field("event_time"));
  if (!event.ok()) return Fail(io, event.status().WithContext("event_time"));
  n.event_time = *event;
  if (j.contains("sent_time")) {
    Result<Instant> sent = Instant::Parse(field("sent_time"));
    if (!sent.ok()) return Fail(io, sent.status().WithContext("sent_time"));
    n.sent_time = *sent;
  } else {
    n.sent_time = NowInstant();
  }
  Result<Value> body =
      ToValue(j.contains("body") ? j["body"] : json::object(), "body");
  if (!body.ok()) return Fail(io, body.status());
  n.body = std::move(body).value();

  AppendOptions append;
  if (opts.has_sequence) append.sequence = opts.sequence;
  append.allow_gap = opts.allow_gap;
  Result<Appended> done =
      AppendNotification(*spec, opts.db, opts.key, n, append, opts.input);
  if (!done.ok()) return Fail(io, done.status());
  if (common.format == OutputFormat::kJson) {
    io.out << json{{"index", done->index},
                   {"sequence", done->sequence},
                   {"type", n.type}}
                  .dump(2)
           << "\n";
  } else {
    io.out << fmt::format("appended {} (sequence {}) at index {}\n", n.type,
                          done->sequence, done->index);
  }
  return kExitOk;
}

}  // namespace detente::cli

#include "detente/cli/regime_io.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "detente/base/csv.h"
#include "detente/cli/cli_util.h"
#include "detente/crypto/keys.h"
#include "detente/regime/log_reader.h"
#include "fmt/format.h"

namespace detente::cli {

std::string PartyFile(const std::string& dir, const std::string& code,
                      const std::string& suffix) {
  std::string upper = (std::filesystem::path(dir) / (code + suffix)).string();
  if (std::filesystem::exists(upper)) return upper;
  std::string lower = code;
  std::transform(
      lower.begin(), lower.end(), lower.begin(),
      [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string l = (std::filesystem::path(dir) / (lower + suffix)).string();
  return std::filesystem::exists(l) ? l : upper;
}

Result<OpenRegime> OpenRegimeDir(const treaty::Spec& spec,
                                 const std::string& dir,
                                 const ledger::LogStoreOptions& options) {
  if (dir.empty()) {
    return Status::InvalidArgument("--dir is required: the parties' logs");
  }
  OpenRegime r;
  for (const treaty::Party& p : spec.parties) {
    const std::string db = PartyFile(dir, p.code, ".db");
    if (!std::filesystem::exists(db)) continue;
    const std::string vkey_file =
        db.substr(0, db.size() - std::string(".db").size()) + ".key.vkey";
    DETENTE_ASSIGN_OR_RETURN(std::unique_ptr<ledger::LogStore> log,
                             ledger::LogStore::Open(db, options));
    DETENTE_ASSIGN_OR_RETURN(std::string vtext, ReadFile(vkey_file));
    while (!vtext.empty() && (vtext.back() == '\n' || vtext.back() == '\r')) {
      vtext.pop_back();
    }
    Result<crypto::VerifierKey> key = crypto::VerifierKey::Parse(vtext);
    if (!key.ok()) return key.status().WithContext(vkey_file);
    r.inputs.push_back({p.code, log.get(), *key});
    r.logs.push_back(std::move(log));
  }
  if (r.inputs.empty()) {
    return Status::NotFound(fmt::format(
        "{}: no party logs (expected files like {}.db and {}.key.vkey)", dir,
        spec.parties.front().code, spec.parties.front().code));
  }
  return r;
}

Result<std::vector<regime::LoggedNotification>> ReadNotifications(
    const treaty::Spec& spec, const OpenRegime& regime, size_t* irregular) {
  std::vector<regime::LoggedNotification> all;
  for (const compliance::PartyLogInput& in : regime.inputs) {
    DETENTE_ASSIGN_OR_RETURN(
        regime::PartyLog pl,
        regime::ReadPartyLog(*in.log, spec, in.party, in.key));
    if (irregular != nullptr) *irregular += pl.irregularities.size();
    for (auto& n : pl.notifications) all.push_back(std::move(n));
  }
  return all;
}

Instant NowInstant() {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return Instant::FromUnixSeconds(now.count());
}

Result<Instant> WhenOrNow(const std::string& text) {
  if (text.empty())
    return Instant::StartOf(TodayGmt()).AddDays(1).AddSeconds(-1);
  if (text.size() == 10) {
    DETENTE_ASSIGN_OR_RETURN(Date d, Date::Parse(text));
    return Instant::StartOf(d).AddDays(1).AddSeconds(-1);
  }
  return Instant::Parse(text);
}

Result<Appended> AppendNotification(const treaty::Spec& spec,
                                    const std::string& db,
                                    const std::string& key_file,
                                    notification::Notification n,
                                    const AppendOptions& opts,
                                    const std::string& input) {
  DETENTE_ASSIGN_OR_RETURN(std::unique_ptr<ledger::LogStore> log,
                           ledger::LogStore::Open(db));
  DETENTE_ASSIGN_OR_RETURN(crypto::SignerKey key,
                           crypto::ReadSignerKeyFile(key_file));
  if (key.verifier().ToString() != log->verifier_key()) {
    return Status::PermissionDenied(
        fmt::format("{} is not the key of log {}", key_file, db));
  }
  // The sender's last sequence number, from the last entry of its log.
  uint64_t last = 0;
  if (log->size() > 0) {
    DETENTE_ASSIGN_OR_RETURN(std::string entry, log->Entry(log->size() - 1));
    Result<notification::SignedNotification> sn =
        notification::ParseEntry(entry);
    if (sn.ok()) last = sn->notification.sequence;
  }
  n.sequence = opts.sequence.value_or(last + 1);
  if (n.sequence <= last) {
    return Status::FailedPrecondition(fmt::format(
        "sequence {} replays an old number (the last sent is {}); nothing "
        "appended",
        n.sequence, last));
  }
  if (n.sequence > last + 1 && !opts.allow_gap) {
    return Status::FailedPrecondition(
        fmt::format("sequence {} skips {} (the last sent is {}); nothing "
                    "appended",
                    n.sequence, n.sequence - last - 1, last));
  }
  if (Status v = notification::Validate(spec, n); !v.ok()) {
    return Status::InvalidArgument(
        fmt::format("{}: {}; nothing appended", input, v.message()));
  }
  if (opts.precheck) {
    if (Status p = opts.precheck(n); !p.ok()) {
      return Status(p.code(), fmt::format("{}; nothing appended", p.message()));
    }
  }
  if (opts.dry_run) return Appended{log->size(), n.sequence};
  std::string entry = notification::Sign(n, key).Entry();
  DETENTE_ASSIGN_OR_RETURN(uint64_t index, log->Append(entry));
  return Appended{index, n.sequence};
}

Result<notification::Value> ParseFieldValue(
    const treaty::NotificationType& type, const std::string& name,
    const std::string& text) {
  const treaty::Field* f = type.FindField(name);
  if (f == nullptr) {
    std::vector<std::string> names;
    for (const treaty::Field& x : type.fields) names.push_back(x.name);
    return Status::InvalidArgument(
        fmt::format("{} has no field '{}' (its fields: {})", type.code, name,
                    Join(names, ", ")));
  }
  if (f->type == treaty::ValueType::kInteger) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size()) {
      return Status::InvalidArgument(
          fmt::format("{}.{}: '{}' is not an integer", type.code, name, text));
    }
    return notification::Value::Int(v);
  }
  if (f->type == treaty::ValueType::kBoolean) {
    if (text == "1" || text == "true" || text == "yes")
      return notification::Value::Int(1);
    if (text == "0" || text == "false" || text == "no")
      return notification::Value::Int(0);
    return Status::InvalidArgument(fmt::format(
        "{}.{}: '{}' is not a boolean (true or false)", type.code, name, text));
  }
  return notification::Value::Str(text);
}

Status ReadFieldFiles(const std::string& body_file,
                      std::map<std::string, std::string>& fields) {
  if (!body_file.empty()) {
    DETENTE_ASSIGN_OR_RETURN(std::string text, ReadFile(body_file));
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object()) {
      return Status::InvalidArgument(body_file + ": expected a JSON object");
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (fields.count(it.key())) continue;
      if (it.value().is_string()) {
        fields[it.key()] = it.value().get<std::string>();
      } else if (it.value().is_number_integer() || it.value().is_boolean()) {
        fields[it.key()] = it.value().dump();
      } else {
        return Status::InvalidArgument(
            fmt::format("{}: {}: expected a string, integer or boolean",
                        body_file, it.key()));
      }
    }
  }
  for (auto& [name, text] : fields) {
    if (text.size() > 1 && text[0] == '@') {
      Result<std::string> content = ReadFile(text.substr(1));
      if (!content.ok()) return content.status().WithContext("--" + name);
      text = std::move(content).value();
      // A file's final line feed is not part of a field, except for the
      // signature lines, each of which ends in one (commission/outcome.h).
      if (name != "signatures") {
        while (!text.empty() && text.back() == '\n') text.pop_back();
      }
    }
  }
  return Status::Ok();
}

}  // namespace detente::cli

// detente inspections ...: Type One and Type Two inspections as the regime
// fold has them (regime::State::inspections, checked against the declared
// database at each step), and the steps that make them. A step is one
// notification built from the command's options, validated against the
// catalogue, then applied to the regime folded up to its event time: when
// the inspections would refuse it (a quota used up, another inspection in
// progress, a reveal that does not open its commitment, ...) the command
// says why and appends nothing.
//
// Where the CLI can compute a value for the party it does: the inspected
// party's commitment (its declared deployed missiles at the site, in a
// random order, with a random salt, saved to an opening file it keeps
// secret until the reveal), the inspecting party's random value, the
// designated missile at completion. Randomness comes from libsodium
// (crypto/random.h): a predictable order or value would let a party aim
// the choice.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "detente/base/csv.h"
#include "detente/cli/cli_util.h"
#include "detente/cli/commands.h"
#include "detente/cli/regime_io.h"
#include "detente/cli/table.h"
#include "detente/crypto/encoding.h"
#include "detente/crypto/random.h"
#include "detente/crypto/sha256.h"
#include "detente/inspection/inspections.h"
#include "detente/inspection/messages.h"
#include "detente/inspection/selection.h"
#include "detente/regime/fold.h"
#include "fmt/format.h"

namespace detente::cli {
namespace {

using inspection::Inspection;
using inspection::MessageKind;
using nlohmann::json;
using notification::Value;

std::string SpecName(const treaty::Spec& spec) {
  return spec.short_name.empty() ? spec.id : spec.short_name;
}

// The logs in `dir`, read and checked, and the regime folded from them.
struct Regime {
  std::unique_ptr<regime::Fold> fold;
};

Result<Regime> ReadRegime(const treaty::Spec& spec, const std::string& dir) {
  DETENTE_ASSIGN_OR_RETURN(OpenRegime open, OpenRegimeDir(spec, dir));
  DETENTE_ASSIGN_OR_RETURN(std::vector<regime::LoggedNotification> logged,
                           ReadNotifications(spec, open));
  return Regime{std::make_unique<regime::Fold>(spec, std::move(logged))};
}

// The notification (party, sequence) names, from the logs.
const notification::Notification* FindNotification(
    const regime::Fold& fold, const inspection::Source& src) {
  for (const regime::LoggedNotification& ln : fold.notifications()) {
    if (ln.notification.sender == src.party &&
        ln.notification.sequence == src.sequence) {
      return &ln.notification;
    }
  }
  return nullptr;
}

// --- The designation, recomputed ------------------------------------------

// The derivation of docs/inspection.md step 4, spelled out so that a
// reader can check each number: the first D_j and word x accepted.
struct Derivation {
  uint32_t j = 0;
  crypto::Sha256Digest d{};
  size_t word = 0;  // which of D_j's four words
  uint64_t x = 0;
  uint64_t threshold = 0;  // 2^64 mod n
  size_t index = 0;
};

Derivation Derive(const crypto::Sha256Digest& c, const crypto::Sha256Digest& r,
                  size_t n) {
  Derivation out;
  out.threshold = (0 - static_cast<uint64_t>(n)) % n;  // 2^64 mod n
  for (uint32_t j = 0;; ++j) {
    std::string bytes(inspection::kRvSelectContext);
    bytes.append(c.begin(), c.end());
    bytes.append(r.begin(), r.end());
    for (int k = 3; k >= 0; --k)
      bytes.push_back(static_cast<char>(j >> (8 * k)));
    crypto::Sha256Digest d = crypto::Sha256(bytes);
    for (size_t w = 0; w < 4; ++w) {
      uint64_t x = 0;
      for (size_t k = 0; k < 8; ++k) x = (x << 8) | d[8 * w + k];
      if (x >= out.threshold) {
        out.j = j;
        out.d = d;
        out.word = w;
        out.x = x;
        out.index = static_cast<size_t>(x % n);
        return out;
      }
    }
  }
}

// What the logs alone say about an inspection's choice: the reveal's list
// and salt open the commitment, and the index they give.
struct Recomputed {
  bool opens = false;
  std::string salt;
  std::optional<Derivation> derivation;
  std::string designated;
};

std::optional<Recomputed> Recompute(const treaty::Spec& spec,
                                    const regime::Fold& fold,
                                    const Inspection& insp) {
  if (!insp.rv || !insp.rv->revealed || !insp.rv->random) return std::nullopt;
  const notification::Notification* reveal =
      FindNotification(fold, *insp.rv->revealed);
  if (reveal == nullptr) return std::nullopt;
  const Value* missiles = reveal->body.Find("missiles");
  const Value* salt = reveal->body.Find("salt");
  if (missiles == nullptr || salt == nullptr || !missiles->is_str() ||
      !salt->is_str()) {
    return std::nullopt;
  }
  Result<std::vector<std::string>> list =
      inspection::ParseMissileList(missiles->str(), "missiles");
  if (!list.ok() || list->empty()) return std::nullopt;
  Recomputed out;
  out.salt = salt->str();
  out.opens =
      inspection::RvCommitment({spec.id, insp.id, insp.inspected, insp.facility,
                                *list, out.salt}) == insp.rv->commitment;
  out.derivation = Derive(insp.rv->commitment, *insp.rv->random, list->size());
  out.designated = (*list)[out.derivation->index];
  return out;
}

// --- JSON --------------------------------------------------------------------

json SourceJson(const inspection::Source& s) {
  json j = {{"party", s.party},
            {"sequence", s.sequence},
            {"type", s.type},
            {"time", s.time.ToString()},
            {"sent", s.sent.ToString()}};
  if (s.due) j["due"] = s.due->ToString();
  return j;
}

json PeriodJson(const inspection::QuotaPeriod& p) {
  return {{"year", p.year},
          {"kind", p.kind == treaty::QuotaYear::kCalendarYear ? "calendar_year"
                                                              : "treaty_year"},
          {"start", p.range.start.ToString()},
          {"end", p.range.end.AddDays(-1).ToString()},
          {"text", p.ToString()}};
}

json InspectionJson(const treaty::Spec& spec, const regime::Fold& fold,
                    const Inspection& i) {
  json j = {{"id", i.id},
            {"type", i.type},
            {"inspecting", i.inspecting},
            {"inspected", i.inspected},
            {"point_of_entry", i.point_of_entry},
            {"status", inspection::InspectionStatusName(i.status)},
            {"period", PeriodJson(i.period)},
            {"requested", SourceJson(i.requested)}};
  j["facility"] = i.facility.empty() ? json(nullptr) : json(i.facility);
  if (i.arrived) j["arrived"] = SourceJson(*i.arrived);
  if (i.completed) j["completed"] = SourceJson(*i.completed);
  if (i.rv) {
    const inspection::RvChoice& rv = *i.rv;
    json r = {{"commitment", crypto::HexEncode(rv.commitment)},
              {"committed", SourceJson(rv.committed)}};
    if (rv.random) {
      r["random"] = crypto::HexEncode(*rv.random);
      r["random_given"] = SourceJson(*rv.random_given);
    }
    if (rv.revealed) {
      r["missiles"] = rv.missiles;
      r["revealed"] = SourceJson(*rv.revealed);
      r["index"] = *rv.index;
      r["designated"] = rv.designated;
    }
    if (std::optional<Recomputed> rc = Recompute(spec, fold, i)) {
      r["recomputed"] = {
          {"salt", rc->salt},
          {"opens_commitment", rc->opens},
          {"j", rc->derivation->j},
          {"d", crypto::HexEncode(rc->derivation->d)},
          {"word", rc->derivation->word},
          {"x", std::to_string(rc->derivation->x)},
          {"threshold", std::to_string(rc->derivation->threshold)},
          {"index", rc->derivation->index},
          {"designated", rc->designated}};
    }
    j["rv"] = r;
  }
  if (!i.rv_inspected_item.empty())
    j["rv_inspected_item"] = i.rv_inspected_item;
  if (i.rv_counted) j["rv_counted"] = *i.rv_counted;
  if (i.rv_declared) j["rv_declared"] = *i.rv_declared;
  if (!i.ambiguities.empty()) j["ambiguities"] = i.ambiguities;
  return j;
}

json IrregularityJson(const inspection::Irregularity& i) {
  json sources = json::array();
  for (const inspection::Source& s : i.sources)
    sources.push_back(SourceJson(s));
  return {{"rule", i.rule},
          {"party", i.party},
          {"inspection", i.inspection},
          {"time", i.time.ToString()},
          {"text", i.text},
          {"sources", sources}};
}

// "RS24-0001 (1 of 3): counted 5, declared 4".
std::string RvSummary(const Inspection& i) {
  if (!i.rv) return "-";
  const inspection::RvChoice& rv = *i.rv;
  std::string s;
  if (rv.revealed) {
    s = fmt::format("{} ({} of {})", rv.designated, *rv.index + 1,
                    rv.missiles.size());
  } else if (rv.random) {
    s = "not revealed";
  } else {
    s = "committed";
  }
  if (i.rv_counted) {
    s += fmt::format(": counted {}", *i.rv_counted);
    if (i.rv_declared) s += fmt::format(", declared {}", *i.rv_declared);
  }
  return s;
}

std::string Day(const std::optional<inspection::Source>& s) {
  return s ? s->time.ToString() : "-";
}

// One inspection in detail, with the choice of the missile recomputed from
// the notifications on the logs.
void PrintDetail(const treaty::Spec& spec, const regime::Fold& fold,
                 const regime::State& st, const Inspection& i,
                 std::ostream& out) {
  out << fmt::format("inspection {}: {} by {} of {}, {}\n", i.id, i.type,
                     i.inspecting, i.inspected,
                     inspection::InspectionStatusName(i.status));
  out << fmt::format("  counts against {}'s {} quota, {}\n", i.inspecting,
                     i.type, i.period.ToString());
  auto line = [&](const char* what, const inspection::Source& s,
                  const std::string& extra) {
    out << fmt::format("  {:<10} {} ({} #{}){}\n", what, s.time.ToString(),
                       s.party, s.sequence, extra);
  };
  line("requested", i.requested,
       i.point_of_entry.empty() ? "" : ", point of entry " + i.point_of_entry);
  if (i.arrived) line("arrived", *i.arrived, ", site " + i.facility);
  if (i.completed) line("completed", *i.completed, "");
  if (i.rv) {
    const inspection::RvChoice& rv = *i.rv;
    out << "reentry-vehicle choice:\n";
    out << fmt::format("  commitment C  {} ({} #{})\n",
                       crypto::HexEncode(rv.commitment), rv.committed.party,
                       rv.committed.sequence);
    if (rv.random) {
      out << fmt::format("  random R      {} ({} #{})\n",
                         crypto::HexEncode(*rv.random), rv.random_given->party,
                         rv.random_given->sequence);
    }
    if (rv.revealed) {
      out << fmt::format("  list          {} ({} #{})\n",
                         inspection::JoinMissiles(rv.missiles),
                         rv.revealed->party, rv.revealed->sequence);
      out << fmt::format("  designated    {} (index {} of {})\n", rv.designated,
                         *rv.index, rv.missiles.size());
    }
    if (std::optional<Recomputed> rc = Recompute(spec, fold, i)) {
      const Derivation& d = *rc->derivation;
      out << fmt::format(
          "  recomputed from the logs: list and salt {} open C; "
          "D_{} = {}, word {}: x = {} >= 2^64 mod {} = {}, index = x mod {} = "
          "{} -> {} ({})\n",
          rc->opens ? "do" : "do NOT", d.j, crypto::HexEncode(d.d), d.word, d.x,
          rv.missiles.size(), d.threshold, rv.missiles.size(), d.index,
          rc->designated,
          rc->designated == rv.designated ? "agrees" : "DIFFERS");
    }
  }
  if (!i.rv_inspected_item.empty()) {
    out << fmt::format("  counted       {} warheads on {}",
                       i.rv_counted ? std::to_string(*i.rv_counted) : "no",
                       i.rv_inspected_item);
    if (i.rv_declared) out << fmt::format("; {} declared", *i.rv_declared);
    out << "\n";
  }
  if (!i.ambiguities.empty())
    out << "  ambiguities   " << i.ambiguities << "\n";
  for (const inspection::Irregularity& irr : st.inspections.irregularities) {
    if (irr.inspection == i.id) {
      out << fmt::format("  irregularity  {} ({}): {}\n", irr.rule, irr.party,
                         irr.text);
    }
  }
}

// --- Steps -----------------------------------------------------------------

struct Verb {
  std::string_view name;
  MessageKind kind;
};
constexpr Verb kVerbs[] = {
    {"request", MessageKind::kRequest},
    {"arrive", MessageKind::kArrival},
    {"complete", MessageKind::kComplete},
    {"rv-commit", MessageKind::kRvCommit},
    {"rv-random", MessageKind::kRvRandom},
    {"rv-reveal", MessageKind::kRvReveal},
};

const treaty::NotificationType* TypeOfKind(const treaty::Spec& spec,
                                           MessageKind kind) {
  for (const treaty::NotificationType& t : spec.notifications) {
    if (inspection::KindOf(t.code) == kind) return &t;
  }
  return nullptr;
}

std::string OpeningPath(const InspectionStepOptions& o, const std::string& id) {
  if (!o.opening.empty()) return o.opening;
  std::string safe = id;
  std::replace(safe.begin(), safe.end(), '/', '_');
  return (std::filesystem::path(o.regime.dir) /
          fmt::format("{}.{}.rv-opening.json", o.party, safe))
      .string();
}

// Writes the opening, mode 0600, never over an existing file: losing or
// replacing it would leave the commitment unopenable.
Status WriteOpening(const std::string& path, const std::string& text) {
  const int fd =
      ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    return err == EEXIST
               ? Status::AlreadyExists(fmt::format(
                     "{}: an opening is already there; refusing to replace it "
                     "(--opening FILE to write elsewhere)",
                     path))
               : Status::IOError(fmt::format("{}: cannot create: {}", path,
                                             std::strerror(err)));
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(path.c_str());
      return Status::IOError(
          fmt::format("{}: write failed: {}", path, std::strerror(err)));
    }
    done += static_cast<size_t>(w);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(path.c_str());
    return Status::IOError(fmt::format("{}: cannot sync", path));
  }
  return Status::Ok();
}

// What a step computed for the party, for the output.
struct Computed {
  std::string opening_path;  // rv-commit: written
  std::vector<std::string> committed;
};

// Fills what the CLI can work out: the request's type and site from the
// state, the commitment, the random value, the reveal from the opening,
// the designated missile at completion.
Status FillStep(const treaty::Spec& spec, const treaty::NotificationType& type,
                MessageKind kind, const InspectionStepOptions& o,
                const regime::State& st, Instant when,
                std::map<std::string, std::string>& fields,
                Computed& computed) {
  auto id_it = fields.find("inspection");
  if (id_it == fields.end() || id_it->second.empty()) {
    return Status::InvalidArgument("--inspection is required");
  }
  const std::string id = id_it->second;
  if (kind == MessageKind::kRequest) return Status::Ok();
  const auto& all = st.inspections.inspections;
  auto it = all.find(id);
  if (it == all.end()) {
    std::vector<std::string> ids;
    for (const auto& [k, v] : all) ids.push_back(k);
    return Status::NotFound(fmt::format(
        "no inspection '{}' on the logs as they stand at {} (inspections: {})",
        id, when.ToString(), ids.empty() ? "none" : Join(ids, ", ")));
  }
  const Inspection& insp = it->second;
  auto fill = [&](const char* name, const std::string& value) {
    if (type.FindField(name) != nullptr && !fields.count(name) &&
        !value.empty()) {
      fields[name] = value;
    }
  };
  switch (kind) {
    case MessageKind::kArrival:
      fill("inspection_type", insp.type);
      fill("arrived", when.ToString());
      break;
    case MessageKind::kComplete:
      fill("inspection_type", insp.type);
      fill("facility", insp.facility);
      fill("inspected_party", insp.inspected);
      fill("completed", when.ToString());
      // A count is of the designated missile: name it for the party.
      if (fields.count("rv_counted") && insp.rv && insp.rv->revealed) {
        fill("rv_inspected_item", insp.rv->designated);
      }
      break;
    case MessageKind::kRvCommit: {
      if (fields.count("commitment")) break;  // computed elsewhere
      if (insp.facility.empty()) {
        return Status::FailedPrecondition(fmt::format(
            "inspection {} has no designated site yet (it is {}): the "
            "commitment is to the missiles at the site",
            id, inspection::InspectionStatusName(insp.status)));
      }
      std::vector<std::string> list;
      if (!o.missiles.empty()) {
        DETENTE_ASSIGN_OR_RETURN(
            list, inspection::ParseMissileList(o.missiles, "--missiles"));
      } else {
        list = regime::ItemDeclarations(st.items).DeployedMissilesAt(
            o.party, insp.facility);
        if (list.empty()) {
          return Status::FailedPrecondition(fmt::format(
              "{} declares no deployed missiles at {} as the logs stand at "
              "{}: nothing to commit to (--missiles to commit to a list "
              "anyway)",
              o.party, insp.facility, when.ToString()));
        }
        // A random order: in identifier order the inspecting party, which
        // knows the declared list, could aim its random value at a missile.
        for (size_t k = list.size(); k > 1; --k) {
          std::swap(list[k - 1],
                    list[crypto::RandomBelow(static_cast<uint32_t>(k))]);
        }
      }
      std::array<uint8_t, 32> salt{};
      crypto::RandomBytes(salt);
      inspection::RvOpening opening{spec.id,        id,
                                    insp.inspected, insp.facility,
                                    list,           crypto::HexEncode(salt)};
      const std::string commitment =
          crypto::HexEncode(inspection::RvCommitment(opening));
      computed.opening_path = OpeningPath(o, id);
      computed.committed = list;
      json j = {{"treaty", spec.id},       {"inspection", id},
                {"party", insp.inspected}, {"facility", insp.facility},
                {"missiles", list},        {"salt", opening.salt_hex},
                {"commitment", commitment}};
      DETENTE_RETURN_IF_ERROR(
          WriteOpening(computed.opening_path, j.dump(2) + "\n"));
      fields["commitment"] = commitment;
      break;
    }
    case MessageKind::kRvRandom:
      if (!fields.count("random")) {
        std::array<uint8_t, 32> r{};
        crypto::RandomBytes(r);
        fields["random"] = crypto::HexEncode(r);
      }
      break;
    case MessageKind::kRvReveal: {
      if (fields.count("missiles") && fields.count("salt")) break;
      const std::string path = OpeningPath(o, id);
      Result<std::string> read = ReadFile(path);
      if (!read.ok()) {
        return Status::IOError(fmt::format(
            "{} (the opening rv-commit saved: --opening FILE, or --missiles "
            "and --salt)",
            read.status().message()));
      }
      json j = json::parse(*read, nullptr, false);
      if (!j.is_object() || !j.contains("missiles") || !j.contains("salt") ||
          !j["missiles"].is_array() || !j["salt"].is_string()) {
        return Status::InvalidArgument(
            path + ": not an opening (expected missiles and salt)");
      }
      if (j.value("inspection", "") != id) {
        return Status::InvalidArgument(
            fmt::format("{}: the opening of inspection '{}', not {}", path,
                        j.value("inspection", ""), id));
      }
      std::vector<std::string> list;
      for (const json& m : j["missiles"]) {
        if (!m.is_string()) {
          return Status::InvalidArgument(path + ": missiles: not a string");
        }
        list.push_back(m.get<std::string>());
      }
      fill("missiles", inspection::JoinMissiles(list));
      fill("salt", j["salt"].get<std::string>());
      break;
    }
    case MessageKind::kRequest:
    case MessageKind::kNone:
      break;
  }
  return Status::Ok();
}

}  // namespace

int RunInspectionsView(const CommonOptions& common,
                       const InspectionViewOptions& opts, Streams io) {
  std::optional<treaty::Spec> spec =
      LoadSpecOrReport(common, opts.regime.treaty, io);
  if (!spec) return kExitInput;
  if (spec->inspections.types.empty()) {
    return Fail(io, Status::NotFound(fmt::format(
                        "treaty {} has no inspection types", spec->id)));
  }
  Result<Instant> at = WhenOrNow(opts.at);
  if (!at.ok()) return Fail(io, at.status().WithContext("--at"), kExitUsage);
  int year = opts.year;
  if (year == 0) {
    Result<inspection::QuotaPeriod> p = inspection::QuotaPeriodOf(
        *spec, spec->inspections.types.front(), at->date());
    if (!p.ok()) return Fail(io, p.status().WithContext("--at"), kExitUsage);
    year = p->year;
  }
  // Every type's period named `year` (they differ when one counts treaty
  // years and another calendar years).
  std::vector<inspection::QuotaPeriod> periods;
  for (const treaty::InspectionType& t : spec->inspections.types) {
    Result<inspection::QuotaPeriod> p =
        inspection::NamedQuotaPeriod(*spec, t, year);
    if (!p.ok()) {
      return Fail(
          io,
          Status::OutOfRange(fmt::format(
              "--year {}: {}; a treaty year is named by the calendar "
              "year it starts in (treaty year {} is {})",
              year, p.status().message(), spec->dates.entry_into_force.year(),
              inspection::NamedQuotaPeriod(*spec, t,
                                           spec->dates.entry_into_force.year())
                  ->ToString())),
          kExitUsage);
    }
    if (std::none_of(periods.begin(), periods.end(),
                     [&](const auto& q) { return q.range == p->range; })) {
      periods.push_back(*p);
    }
  }
  auto in_year = [&](Instant t) {
    return std::any_of(periods.begin(), periods.end(), [&](const auto& p) {
      return p.range.Contains(t.date());
    });
  };

  Result<Regime> regime = ReadRegime(*spec, opts.regime.dir);
  if (!regime.ok()) return Fail(io, regime.status());
  Result<regime::State> st = regime->fold->StateAt(*at);
  if (!st.ok()) return Fail(io, st.status());
  const inspection::State& is = st->inspections;
  const bool as_json = common.format == OutputFormat::kJson;

  if (!opts.inspection.empty()) {
    auto it = is.inspections.find(opts.inspection);
    if (it == is.inspections.end()) {
      return Fail(io,
                  Status::NotFound(fmt::format(
                      "no inspection '{}' on the logs as they stand at {}",
                      opts.inspection, at->ToString())),
                  kExitCheckFailed);
    }
    if (as_json) {
      json irr = json::array();
      for (const auto& i : is.irregularities) {
        if (i.inspection == opts.inspection) irr.push_back(IrregularityJson(i));
      }
      json j = InspectionJson(*spec, *regime->fold, it->second);
      j["irregularities"] = irr;
      io.out << j.dump(2) << "\n";
    } else {
      PrintDetail(*spec, *regime->fold, *st, it->second, io.out);
    }
    return kExitOk;
  }

  Result<std::vector<inspection::QuotaRow>> rows =
      inspection::QuotaUse(*spec, is, year);
  if (!rows.ok()) return Fail(io, rows.status(), kExitUsage);
  std::vector<const Inspection*> shown;
  for (const auto& [id, i] : is.inspections) {
    if (i.period.year == year) shown.push_back(&i);
  }
  std::sort(shown.begin(), shown.end(), [](const auto* a, const auto* b) {
    return std::tie(a->requested.time, a->id) <
           std::tie(b->requested.time, b->id);
  });
  std::vector<const inspection::Refusal*> refusals;
  for (const inspection::Refusal& r : is.refusals) {
    if (in_year(r.source.time)) refusals.push_back(&r);
  }
  std::vector<const inspection::Irregularity*> irregular;
  for (const inspection::Irregularity& i : is.irregularities) {
    auto insp = is.inspections.find(i.inspection);
    if (insp != is.inspections.end() ? insp->second.period.year == year
                                     : in_year(i.time)) {
      irregular.push_back(&i);
    }
  }

  if (as_json) {
    json quota = json::array();
    for (const inspection::QuotaRow& r : *rows) {
      quota.push_back({{"party", r.party},
                       {"type", r.type},
                       {"period", PeriodJson(r.period)},
                       {"quota", r.quota},
                       {"used", r.used},
                       {"left", r.Remaining()},
                       {"inspections", r.inspections}});
    }
    json insps = json::array();
    for (const Inspection* i : shown) {
      insps.push_back(InspectionJson(*spec, *regime->fold, *i));
    }
    json ref = json::array();
    for (const inspection::Refusal* r : refusals) {
      ref.push_back({{"source", SourceJson(r->source)},
                     {"code", std::string(StatusCodeName(r->code))},
                     {"text", r->text}});
    }
    json irr = json::array();
    for (const inspection::Irregularity* i : irregular) {
      irr.push_back(IrregularityJson(*i));
    }
    json per = json::array();
    for (const auto& p : periods) per.push_back(PeriodJson(p));
    io.out << json{{"treaty", spec->id}, {"at", at->ToString()},
                   {"year", year},       {"periods", per},
                   {"quota", quota},     {"inspections", insps},
                   {"refusals", ref},    {"irregularities", irr}}
                  .dump(2)
           << "\n";
    return kExitOk;
  }

  std::vector<std::string> names;
  for (const auto& p : periods) names.push_back(p.ToString());
  io.out << fmt::format("{} — inspections in {}, as the logs stand at {}\n\n",
                        SpecName(*spec), Join(names, "; "), at->ToString());
  TextTable q({"party", "type", "used", "quota", "left", "inspections"});
  for (const inspection::QuotaRow& r : *rows) {
    q.AddRow({r.party, r.type, std::to_string(r.used), std::to_string(r.quota),
              std::to_string(r.Remaining()),
              r.inspections.empty() ? "-" : Join(r.inspections, ", ")});
  }
  io.out << q.Render();
  io.out << "\n";
  if (shown.empty()) {
    io.out << "no inspections in this year\n";
  } else {
    TextTable t({"inspection", "type", "inspecting → inspected", "site",
                 "requested", "arrived", "completed", "status",
                 "RV designated"});
    for (const Inspection* i : shown) {
      t.AddRow(
          {i->id, i->type, fmt::format("{} → {}", i->inspecting, i->inspected),
           i->facility.empty() ? "-" : i->facility,
           i->requested.time.ToString(), Day(i->arrived), Day(i->completed),
           std::string(inspection::InspectionStatusName(i->status)),
           RvSummary(*i)});
    }
    io.out << t.Render();
    io.out << fmt::format("\n{} inspections\n", shown.size());
  }
  if (!refusals.empty()) {
    io.out << fmt::format("\nrefused steps ({}):\n", refusals.size());
    for (const inspection::Refusal* r : refusals) {
      io.out << "  " << r->text << "\n";
    }
  }
  if (!irregular.empty()) {
    io.out << fmt::format("\nirregularities ({}):\n", irregular.size());
    for (const inspection::Irregularity* i : irregular) {
      io.out << fmt::format("  {} ({}, {}): {}\n", i->rule, i->party,
                            i->time.ToString(), i->text);
    }
  }
  return kExitOk;
}

int RunInspectionStep(const CommonOptions& common,
                      const InspectionStepOptions& opts, Streams io) {
  std::optional<treaty::Spec> spec =
      LoadSpecOrReport(common, opts.regime.treaty, io);
  if (!spec) return kExitInput;
  if (spec->FindParty(opts.party) == nullptr) {
    std::vector<std::string> codes;
    for (const treaty::Party& p : spec->parties) codes.push_back(p.code);
    return Fail(io,
                Status::InvalidArgument(fmt::format(
                    "--party: '{}' is not a party to {} (parties: {})",
                    opts.party, spec->id, Join(codes, ", "))),
                kExitUsage);
  }
  const Verb* verb = nullptr;
  for (const Verb& v : kVerbs) {
    if (v.name == opts.verb) verb = &v;
  }
  if (verb == nullptr) {
    return Fail(io, Status::InvalidArgument("unknown step " + opts.verb),
                kExitUsage);
  }
  const treaty::NotificationType* type = TypeOfKind(*spec, verb->kind);
  if (type == nullptr) {
    return Fail(io, Status::NotFound(fmt::format(
                        "treaty {} has no {} message in its catalogue",
                        spec->id, inspection::SuffixOf(verb->kind))));
  }
  Result<Instant> sent =
      opts.time.empty() ? Result<Instant>(NowInstant()) : WhenOrNow(opts.time);
  if (!sent.ok()) {
    return Fail(io, sent.status().WithContext("--time"), kExitUsage);
  }
  std::map<std::string, std::string> fields = opts.fields;
  if (Status s = ReadFieldFiles(opts.body_file, fields); !s.ok()) {
    return Fail(io, s);
  }
  // A request's event is the planned arrival at the point of entry: the
  // notice is sent before it, and its quota year is the arrival's.
  Instant event = *sent;
  if (verb->kind == MessageKind::kRequest) {
    auto a = fields.find("arrival");
    if (a == fields.end()) {
      return Fail(io,
                  Status::InvalidArgument(
                      "request: --arrival is required: the planned arrival "
                      "at the point of entry (the event)"),
                  kExitUsage);
    }
    Result<Instant> arrival = Instant::Parse(a->second);
    if (!arrival.ok()) {
      return Fail(io, arrival.status().WithContext("--arrival"), kExitUsage);
    }
    event = *arrival;
  }

  Result<Regime> regime = ReadRegime(*spec, opts.regime.dir);
  if (!regime.ok()) return Fail(io, regime.status());
  Result<regime::State> st = regime->fold->StateAt(event);
  if (!st.ok()) return Fail(io, st.status());

  Computed computed;
  if (Status s = FillStep(*spec, *type, verb->kind, opts, *st, event, fields,
                          computed);
      !s.ok()) {
    return Fail(io, s,
                s.code() == StatusCode::kInvalidArgument &&
                        s.message().starts_with("--")
                    ? kExitUsage
                : s.code() == StatusCode::kNotFound ||
                        s.code() == StatusCode::kFailedPrecondition
                    ? kExitCheckFailed
                    : kExitInput);
  }
  // Nothing to keep if the step is not appended.
  auto forget_opening = [&] {
    if (!computed.opening_path.empty()) {
      std::error_code ec;
      std::filesystem::remove(computed.opening_path, ec);
    }
  };

  notification::Notification n;
  n.treaty = spec->id;
  n.sender = opts.party;
  n.type = type->code;
  n.event_time = event;
  n.sent_time = *sent;
  Value::Map body;
  for (const auto& [name, text] : fields) {
    Result<Value> v = ParseFieldValue(*type, name, text);
    if (!v.ok()) {
      forget_opening();
      return Fail(io, v.status(), kExitUsage);
    }
    body[name] = std::move(v).value();
  }
  n.body = Value::OfMap(std::move(body));

  // The step applied to the regime as the logs stand at its event time:
  // refused when the inspections refuse it.
  regime::Applier applier(*spec);
  const std::string id = fields["inspection"];
  AppendOptions append;
  append.precheck = [&](const notification::Notification& full) {
    const size_t before = st->inspections.refusals.size();
    applier.Apply(full, regime::EntryRef{opts.party, 0}, *st);
    if (st->inspections.refusals.size() > before) {
      const inspection::Refusal& r = st->inspections.refusals.back();
      return Status(r.code, r.text);
    }
    return Status::Ok();
  };
  const std::string db = PartyFile(opts.regime.dir, opts.party, ".db");
  const std::string key = opts.key.empty()
                              ? PartyFile(opts.regime.dir, opts.party, ".key")
                              : opts.key;
  Result<Appended> done = AppendNotification(
      *spec, db, key, n, append, fmt::format("{} {}", opts.party, n.type));
  if (!done.ok()) {
    forget_opening();
    return Fail(io, done.status(),
                done.status().code() == StatusCode::kFailedPrecondition ||
                        done.status().code() == StatusCode::kNotFound ||
                        done.status().code() == StatusCode::kAlreadyExists
                    ? kExitCheckFailed
                    : kExitInput);
  }

  // What the step did to the inspection, now that it is on the log.
  const Inspection* insp = nullptr;
  if (auto it = st->inspections.inspections.find(id);
      it != st->inspections.inspections.end()) {
    insp = &it->second;
  }
  std::vector<const inspection::Irregularity*> shows;
  for (const inspection::Irregularity& i : st->inspections.irregularities) {
    if (i.inspection == id && i.sources.size() > 0 &&
        i.sources.back().party == n.sender &&
        i.sources.back().sequence == done->sequence) {
      shows.push_back(&i);
    }
  }
  std::optional<Instant> due;
  if (Result<std::optional<Instant>> d = notification::DueBy(*spec, n);
      d.ok()) {
    due = *d;
  }
  const bool late = due && n.sent_time > *due;

  if (common.format == OutputFormat::kJson) {
    json body_json = json::object();
    for (const auto& [k, v] : fields) body_json[k] = v;
    json j = {{"index", done->index},
              {"sequence", done->sequence},
              {"type", n.type},
              {"sender", n.sender},
              {"event_time", n.event_time.ToString()},
              {"sent_time", n.sent_time.ToString()},
              {"body", body_json}};
    if (due) j["due"] = due->ToString();
    j["late"] = late;
    if (!computed.opening_path.empty()) {
      j["opening"] = computed.opening_path;
      j["committed"] = computed.committed;
    }
    if (insp != nullptr) {
      j["status"] = inspection::InspectionStatusName(insp->status);
      if (insp->rv && insp->rv->revealed) {
        j["designated"] = insp->rv->designated;
        j["index_designated"] = *insp->rv->index;
      }
    }
    json irr = json::array();
    for (const auto* i : shows) irr.push_back(IrregularityJson(*i));
    j["irregularities"] = irr;
    io.out << j.dump(2) << "\n";
  } else {
    io.out << fmt::format("{} sent {} (sequence {}) at {}: index {} of {}\n",
                          n.sender, n.type, done->sequence,
                          n.sent_time.ToString(), done->index, db);
    if (!computed.opening_path.empty()) {
      io.out << fmt::format(
          "committed to {} missiles at {}; the list and salt are in {}: keep "
          "it secret until the reveal (rv-reveal reads it)\n",
          computed.committed.size(), insp ? insp->facility : "",
          computed.opening_path);
    }
    if (insp != nullptr && verb->kind == MessageKind::kRvReveal && insp->rv &&
        insp->rv->revealed) {
      io.out << fmt::format("designated missile: {} (index {} of {})\n",
                            insp->rv->designated, *insp->rv->index,
                            insp->rv->missiles.size());
    }
    for (const auto* i : shows) {
      io.out << fmt::format("irregularity {}: {}\n", i->rule, i->text);
    }
  }
  if (late) {
    io.err << fmt::format(
        "detente: note: {} was due by {} and is sent at {}: late (compliance "
        "reports a late notification)\n",
        n.type, due->ToString(), n.sent_time.ToString());
  }
  return kExitOk;
}

}  // namespace detente::cli

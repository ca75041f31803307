// detente treaty list | show | check
#include <nlohmann/json.hpp>
#include <ostream>

#include "detente/cli/cli_util.h"
#include "detente/cli/commands.h"
#include "detente/cli/spec_json.h"
#include "detente/cli/table.h"
#include "detente/treaty/catalog.h"
#include "detente/treaty/loader.h"
#include "fmt/format.h"

namespace detente::cli {
namespace {

using nlohmann::json;
using Align = TextTable::Align;

std::string DateOr(const std::optional<Date>& d, const char* none) {
  return d ? d->ToString() : none;
}

std::string Status(const treaty::Spec& s) {
  if (s.hypothetical) return "HYPOTHETICAL";
  if (s.dates.ended) return "ended " + s.dates.ended->ToString();
  if (s.dates.expiry && *s.dates.expiry <= TodayGmt()) {
    return "expired " + s.dates.expiry->ToString();
  }
  return "in force";
}

// The rule's phrase with a parameter's value shown in place of its name, and
// the parameter named after it: "within 5 days after event (param x, not
// public)".
std::string DeadlineText(const treaty::Spec& s, const treaty::DeadlineRule& r) {
  std::string text = r.ToString();
  if (r.parameter.empty()) return text;
  std::string ref = "param:" + r.parameter;
  size_t pos = text.find(ref);
  if (pos != std::string::npos) {
    text.replace(pos, ref.size(), std::to_string(r.amount));
  }
  const treaty::Parameter* p = s.FindParameter(r.parameter);
  return text + " (param " + r.parameter +
         (p != nullptr && !p->is_public ? ", not public)" : ")");
}

void ShowSpec(const treaty::Spec& s, std::ostream& out) {
  out << s.short_name << (s.hypothetical ? "  [HYPOTHETICAL]" : "") << "\n"
      << s.name << "\n";
  if (!s.description.empty()) out << "\n" << s.description << "\n";
  out << "\nSigned " << s.dates.signature.ToString() << " · in force "
      << s.dates.entry_into_force.ToString() << " · expiry "
      << DateOr(s.dates.expiry, "none (unlimited duration)");
  if (s.dates.original_expiry) {
    out << " (originally " << s.dates.original_expiry->ToString() << ")";
  }
  out << "\n";
  if (s.dates.ended) {
    out << "Ended " << s.dates.ended->ToString() << ": " << s.dates.ended_reason
        << "\n";
  }
  if (s.dates.withdrawal_notice_months) {
    out << "Withdrawal notice: " << *s.dates.withdrawal_notice_months
        << " months\n";
  }
  out << "Verification: " << (s.verification ? "yes" : "none") << "\n";
  out << "Parties:";
  for (const auto& p : s.parties) out << " " << p.code << " (" << p.name << ")";
  out << "\n";

  out << "\nLimits (per party)\n";
  TextTable limits(
      {"limit", "article", "value", "binding from", "until"},
      {Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft, Align::kLeft});
  for (const auto& l : s.limits) {
    std::optional<Date> until = l.until;
    std::optional<Date> end = s.End();
    if (!until || (end && *end < *until)) until = end;
    std::string name = l.id;
    if (!l.parties.empty())
      name += " [" + fmt::format("{}", fmt::join(l.parties, ",")) + "]";
    limits.AddRow({name, l.article, LimitText(l), l.effective.ToString(),
                   DateOr(until, "—")});
  }
  out << limits.Render();

  out << "\nCounting terms (aggregate = sum of terms)\n";
  TextTable terms({"limit", "term"});
  for (const auto& l : s.limits) {
    bool first = true;
    for (const auto& t : l.terms) {
      terms.AddRow({first ? l.id : "", (first ? "  " : "+ ") + t.ToString()});
      first = false;
    }
  }
  out << terms.Render();

  if (!s.notifications.empty()) {
    out << "\nNotifications\n";
    TextTable notes({"code", "name", "deadline"});
    for (const auto& n : s.notifications) {
      notes.AddRow({n.code, n.name,
                    n.deadline ? DeadlineText(s, *n.deadline) : "no deadline"});
    }
    out << notes.Render();
  }
  if (s.data_exchange) {
    out << "\nData exchange: " << s.data_exchange->period_months
        << "-month periods from "
        << s.data_exchange->first_period_start.ToString() << "\n";
  }
  if (!s.inspections.types.empty()) {
    out << "\nInspections"
        << (s.inspections.one_at_a_time ? " (one at a time)" : "") << "\n";
    TextTable insp({"type", "name", "quota", "per", "from"},
                   {Align::kLeft, Align::kLeft, Align::kRight});
    for (const auto& t : s.inspections.types) {
      Date from = s.dates.entry_into_force.AddDays(
          t.not_before_days_after_entry_into_force);
      insp.AddRow(
          {t.id, t.name, Thousands(t.annual_quota),
           t.quota_year == treaty::QuotaYear::kTreatyYear ? "treaty year"
                                                          : "calendar year",
           from.ToString() +
               (t.not_before_days_after_entry_into_force > 0
                    ? fmt::format(" (EIF + {} days)",
                                  t.not_before_days_after_entry_into_force)
                    : "")});
    }
    out << insp.Render();
  }
  if (s.commission) {
    const auto& c = *s.commission;
    out << "\nCommission: " << c.name << "\n"
        << "  at least " << c.min_sessions_per_year << " sessions a year; "
        << (c.agreed_agenda_required ? "convenes only on an agreed agenda"
                                     : "no agreed agenda required")
        << "; " << (c.confidential ? "confidential" : "not confidential");
    if (!c.outcome_kinds.empty()) {
      out << "; outcomes: "
          << fmt::format("{}", fmt::join(c.outcome_kinds, ", "));
    }
    out << "\n";
  }
  if (!s.parameters.empty()) {
    out << "\nParameters (* not found in a public source: an assumption)\n";
    TextTable params({"", "name", "value", "unit", "note"},
                     {Align::kLeft, Align::kLeft, Align::kRight});
    for (const auto& p : s.parameters) {
      params.AddRow({p.is_public ? "" : "*", p.name, Thousands(p.value), p.unit,
                     p.note.empty() ? p.source : p.note});
    }
    out << params.Render();
  }
}

}  // namespace

int RunTreatyList(const CommonOptions& common, Streams io) {
  std::string dir = DataDir(common);
  Result<std::vector<std::string>> files = treaty::ListSpecFiles(dir);
  if (!files.ok()) {
    io.err << "detente: " << files.status().message() << "\n";
    return kExitInput;
  }
  json arr = json::array();
  TextTable table({"id", "treaty", "parties", "in force", "ends", "status"});
  int rc = kExitOk;
  for (const std::string& f : *files) {
    Result<treaty::Spec> s = treaty::LoadSpecFile(f);
    if (!s.ok()) {
      io.err << "detente: " << f << " is not a valid spec:\n"
             << s.status().message() << "\n";
      rc = kExitInput;
      continue;
    }
    std::vector<std::string> codes;
    for (const auto& p : s->parties) codes.push_back(p.code);
    std::optional<Date> end = s->End();
    arr.push_back({{"id", s->id},
                   {"short_name", s->short_name},
                   {"parties", codes},
                   {"entry_into_force", s->dates.entry_into_force.ToString()},
                   {"end", end ? json(end->ToString()) : json(nullptr)},
                   {"hypothetical", s->hypothetical},
                   {"status", Status(*s)},
                   {"file", f}});
    table.AddRow(
        {s->id, s->short_name, fmt::format("{}", fmt::join(codes, ", ")),
         s->dates.entry_into_force.ToString(), DateOr(end, "—"), Status(*s)});
  }
  if (common.format == OutputFormat::kJson) {
    io.out << arr.dump(2) << "\n";
  } else {
    io.out << table.Render();
  }
  return rc;
}

int RunTreatyShow(const CommonOptions& common, const TreatyShowOptions& opts,
                  Streams io) {
  std::optional<treaty::Spec> spec = LoadSpecOrReport(common, opts.name, io);
  if (!spec) return kExitInput;
  if (common.format == OutputFormat::kJson) {
    io.out << SpecToJson(*spec).dump(2) << "\n";
  } else {
    ShowSpec(*spec, io.out);
  }
  return kExitOk;
}

int RunTreatyCheck(const CommonOptions& common, const TreatyCheckOptions& opts,
                   Streams io) {
  json results = json::array();
  int rc = kExitOk;
  for (const std::string& file : opts.files) {
    std::vector<treaty::SpecError> errors;
    Result<treaty::Spec> spec = treaty::LoadSpecFile(file, &errors);
    json errs = json::array();
    if (spec.ok()) {
      if (common.format != OutputFormat::kJson) {
        io.out << file << ": ok (" << spec->short_name << ", "
               << spec->limits.size() << " limits, "
               << spec->notifications.size() << " notification types)\n";
      }
    } else {
      rc = kExitCheckFailed;
      if (errors.empty()) {
        // Not a spec error but a file error (missing, unreadable).
        errs.push_back({{"file", file}, {"message", spec.status().message()}});
        if (common.format != OutputFormat::kJson) {
          io.err << spec.status().message() << "\n";
        }
      }
      for (const auto& e : errors) {
        errs.push_back({{"file", e.file},
                        {"line", e.line},
                        {"column", e.column},
                        {"key", e.key},
                        {"message", e.message}});
        if (common.format != OutputFormat::kJson) {
          io.err << e.ToString() << "\n";
        }
      }
      if (common.format != OutputFormat::kJson) {
        io.err << file << ": " << (errors.empty() ? 1 : errors.size())
               << " error" << ((errors.size() > 1) ? "s" : "") << "\n";
      }
    }
    results.push_back({{"file", file}, {"ok", spec.ok()}, {"errors", errs}});
  }
  if (common.format == OutputFormat::kJson) io.out << results.dump(2) << "\n";
  return rc;
}

}  // namespace detente::cli

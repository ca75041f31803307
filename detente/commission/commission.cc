#include "detente/commission/commission.h"

#include <algorithm>

#include "detente/commission/agenda.h"
#include "fmt/format.h"

namespace detente::commission {
namespace {

using notification::Notification;
using notification::Value;

std::string Str(const Value& body, std::string_view key) {
  const Value* v = body.Find(key);
  return v != nullptr && v->is_str() ? v->str() : std::string();
}

std::optional<int64_t> Int(const Value& body, std::string_view key) {
  const Value* v = body.Find(key);
  if (v == nullptr || !v->is_int()) return std::nullopt;
  return v->integer();
}

Status Refuse(std::string text) { return Status::FailedPrecondition(text); }

// "US", "US and RU", "US, RU and CN".
std::string Names(const std::vector<std::string>& names) {
  if (names.empty()) return "no party";
  if (names.size() == 1) return names[0];
  std::string out;
  for (size_t i = 0; i + 1 < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out + " and " + names.back();
}

std::string ShortHash(const std::string& hex) {
  return hex.substr(0, 16) + "…";
}

bool Pending(SessionStatus s) {
  return s == SessionStatus::kProposed || s == SessionStatus::kScheduled ||
         s == SessionStatus::kPostponed;
}

}  // namespace

std::string_view IssueStatusName(IssueStatus s) {
  switch (s) {
    case IssueStatus::kOpen:
      return "open";
    case IssueStatus::kWithdrawn:
      return "withdrawn";
    case IssueStatus::kResolved:
      return "resolved";
  }
  return "?";
}

std::string_view SessionStatusName(SessionStatus s) {
  switch (s) {
    case SessionStatus::kProposed:
      return "proposed";
    case SessionStatus::kScheduled:
      return "scheduled";
    case SessionStatus::kPostponed:
      return "postponed";
    case SessionStatus::kConvened:
      return "convened";
    case SessionStatus::kConcluded:
      return "concluded";
    case SessionStatus::kCancelled:
      return "cancelled";
  }
  return "?";
}

const AgendaVersion* Agenda::Current() const {
  return versions.empty() ? nullptr : &versions.back();
}

bool Agenda::AgreedBy(const std::vector<std::string>& parties) const {
  const AgendaVersion* current = Current();
  if (current == nullptr) return false;
  for (const std::string& p : parties) {
    auto it = accepted.find(p);
    if (it == accepted.end() || it->second != current->version) return false;
  }
  return true;
}

bool State::Severed(std::string_view a, std::string_view b) const {
  for (const Severance& s : severances) {
    if ((s.from == a && s.to == b) || (s.from == b && s.to == a)) return true;
  }
  return false;
}

Commission::Commission(const treaty::Spec& spec)
    : spec_(spec), parties_(PartyCodes(spec)) {}

Commission::Commission(const treaty::Spec& spec, State initial)
    : spec_(spec), parties_(PartyCodes(spec)), state_(std::move(initial)) {}

Status Commission::Apply(const Notification& n) {
  MessageKind kind = KindOf(n.type);
  if (kind == MessageKind::kNone) return Status::Ok();
  Source src{n.sender, n.sequence, n.type, n.event_time};
  Status s = notification::Validate(spec_, n);
  if (s.ok()) s = Step(n, kind, src);
  if (s.ok()) {
    ++state_.applied;
    return s;
  }
  Status refusal(s.code(), fmt::format("{} #{} ({}): {}", n.sender, n.sequence,
                                       n.type, s.message()));
  state_.refusals.push_back(
      {src, refusal.code(), std::string(refusal.message())});
  return refusal;
}

bool ApplyChannelRecord(const treaty::Spec& spec,
                        const treaty::NotificationType* type, MessageKind kind,
                        const notification::RecordView& r, State& state,
                        bool validated) {
  if (kind != MessageKind::kNote && kind != MessageKind::kDemarche) {
    return false;
  }
  if (!validated && !notification::QuickValidate(spec, type, r)) return false;
  // Step's kNote/kDemarche case on the fields read in place (one walk of
  // the body); a step it would refuse is left to it.
  std::string_view to, level, subject;
  r.body.ForEach([&](std::string_view key, const notification::FieldView& v) {
    if (!v.is_str()) return true;
    if (key == "to") {
      to = v.str;
    } else if (key == "level") {
      level = v.str;
    } else if (key == "subject") {
      subject = v.str;
    }
    return true;
  });
  if (to == r.sender) return false;
  if (!to.empty() && state.Severed(r.sender, to)) return false;
  // Built in place: no temporary to move into the vector.
  ChannelMessage& m = state.channel.emplace_back();
  m.kind = kind;
  m.from = r.sender;
  m.to = to;
  m.level = level;
  m.subject = subject;
  m.source.party = r.sender;
  m.source.sequence = r.sequence;
  m.source.type = r.type;
  m.source.time = r.event_time;
  ++state.applied;
  return true;
}

Status Commission::Step(const Notification& n, MessageKind kind,
                        const Source& src) {
  const Value& b = n.body;
  const std::string& from = n.sender;
  const bool default_confidential =
      spec_.commission ? spec_.commission->confidential : false;

  // Sessions: every session message but the proposal needs one that exists.
  Session* session = nullptr;
  std::string session_id = Str(b, "session");
  if (!session_id.empty() || kind == MessageKind::kSessionPropose) {
    auto it = state_.sessions.find(session_id);
    if (it != state_.sessions.end()) session = &it->second;
  }
  auto need_session = [&]() -> Status {
    if (session == nullptr) {
      return Status::NotFound(
          fmt::format("session {} has not been proposed", session_id));
    }
    return Status::Ok();
  };
  auto not_in = [&](std::string_view action) {
    return Refuse(fmt::format("session {} is {}: it cannot {}", session_id,
                              SessionStatusName(session->status), action));
  };

  switch (kind) {
    case MessageKind::kNone:
      return Status::Ok();

    case MessageKind::kCommissioner: {
      Result<crypto::VerifierKey> key =
          crypto::VerifierKey::Parse(Str(b, "key"));
      if (!key.ok()) {
        return Status::InvalidArgument(
            fmt::format("body.key: {}", key.status().message()));
      }
      if (key->type() != crypto::KeyType::kEd25519) {
        return Status::InvalidArgument(
            fmt::format("body.key: a commissioner key is of type Ed25519 "
                        "(0x01), not {}",
                        crypto::KeyTypeName(key->type())));
      }
      // A new appointment replaces the old one from now on; outcomes
      // already recorded stay as they were checked.
      state_.commissioners.insert_or_assign(
          from, Commissioner{from, Str(b, "commissioner"), *key, src});
      return Status::Ok();
    }

    case MessageKind::kIssueRaise: {
      std::string id = Str(b, "issue");
      if (auto it = state_.issues.find(id); it != state_.issues.end()) {
        return Status::AlreadyExists(
            fmt::format("issue {} was already raised by {} (#{})", id,
                        it->second.raised_by, it->second.raised.sequence));
      }
      Issue issue;
      issue.id = id;
      issue.raised_by = from;
      issue.title = Str(b, "title");
      issue.text = Str(b, "text");
      issue.finding = Str(b, "finding");
      issue.confidential =
          Int(b, "confidential").value_or(default_confidential ? 1 : 0) != 0;
      issue.raised = src;
      state_.issues.emplace(id, std::move(issue));
      return Status::Ok();
    }

    case MessageKind::kIssueWithdraw: {
      std::string id = Str(b, "issue");
      auto it = state_.issues.find(id);
      if (it == state_.issues.end()) {
        return Status::NotFound(fmt::format("issue {} was never raised", id));
      }
      Issue& issue = it->second;
      if (issue.raised_by != from) {
        return Refuse(
            fmt::format("issue {} was raised by {}: only {} can withdraw it",
                        id, issue.raised_by, issue.raised_by));
      }
      if (issue.status != IssueStatus::kOpen) {
        return Refuse(
            fmt::format("issue {} is {}: only an open issue can be "
                        "withdrawn",
                        id, IssueStatusName(issue.status)));
      }
      issue.status = IssueStatus::kWithdrawn;
      issue.closed = src;
      return Status::Ok();
    }

    case MessageKind::kSessionPropose: {
      DETENTE_ASSIGN_OR_RETURN(Date start, Date::Parse(Str(b, "start")));
      DETENTE_ASSIGN_OR_RETURN(Date end, Date::Parse(Str(b, "end")));
      if (end < start) {
        return Status::InvalidArgument(
            fmt::format("session {}: end {} is before start {}", session_id,
                        end.ToString(), start.ToString()));
      }
      if (session != nullptr && session->status != SessionStatus::kProposed &&
          session->status != SessionStatus::kPostponed) {
        if (session->status == SessionStatus::kScheduled) {
          return Refuse(fmt::format(
              "session {} is scheduled for {} to {}: postpone it before "
              "proposing new dates",
              session_id, session->dates->start.ToString(),
              session->dates->end.ToString()));
        }
        return not_in("get new dates");
      }
      if (session == nullptr) {
        session = &state_.sessions[session_id];
        session->id = session_id;
      }
      int64_t version = session->dates ? session->dates->version + 1 : 1;
      session->dates = SessionDates{start, end, Str(b, "venue"), version, from};
      session->dates_accepted = {from};
      session->status = parties_.size() == 1 ? SessionStatus::kScheduled
                                             : SessionStatus::kProposed;
      session->history.push_back(src);
      return Status::Ok();
    }

    case MessageKind::kSessionAccept: {
      DETENTE_RETURN_IF_ERROR(need_session());
      if (session->status != SessionStatus::kProposed) {
        if (session->status == SessionStatus::kPostponed) {
          return Refuse(fmt::format(
              "session {} is postponed: no new dates have been proposed to "
              "accept",
              session_id));
        }
        return not_in("accept dates");
      }
      const SessionDates& d = *session->dates;
      if (Str(b, "start") != d.start.ToString() ||
          Str(b, "end") != d.end.ToString() || Str(b, "venue") != d.venue) {
        return Refuse(fmt::format(
            "session {}: {} accepts {} to {} in {}, but the dates proposed "
            "(v{}, by {}) are {} to {} in {}",
            session_id, from, Str(b, "start"), Str(b, "end"), Str(b, "venue"),
            d.version, d.proposer, d.start.ToString(), d.end.ToString(),
            d.venue));
      }
      if (!session->dates_accepted.insert(from).second) {
        return Status::AlreadyExists(
            fmt::format("session {}: {} has already accepted dates v{}",
                        session_id, from, d.version));
      }
      if (session->dates_accepted.size() == parties_.size()) {
        session->status = SessionStatus::kScheduled;
      }
      session->history.push_back(src);
      return Status::Ok();
    }

    case MessageKind::kAgendaPropose: {
      DETENTE_RETURN_IF_ERROR(need_session());
      if (!Pending(session->status)) return not_in("take a new agenda");
      DETENTE_ASSIGN_OR_RETURN(std::vector<std::string> items,
                               ParseIdList(Str(b, "issues"), "body.issues"));
      if (items.empty()) {
        return Status::InvalidArgument(
            "body.issues: an agenda lists at least one issue");
      }
      std::vector<std::string> unknown, closed;
      for (const std::string& id : items) {
        auto it = state_.issues.find(id);
        if (it == state_.issues.end()) {
          unknown.push_back(id);
        } else if (it->second.status != IssueStatus::kOpen) {
          closed.push_back(
              fmt::format("{} ({})", id, IssueStatusName(it->second.status)));
        }
      }
      if (!unknown.empty() || !closed.empty()) {
        std::vector<std::string> why;
        if (!unknown.empty()) {
          why.push_back(fmt::format("never raised: {}", JoinIds(unknown)));
        }
        if (!closed.empty()) {
          why.push_back(fmt::format("not open: {}", JoinIds(closed)));
        }
        return Refuse(fmt::format("session {}: the agenda lists issues {}",
                                  session_id, fmt::join(why, "; ")));
      }
      AgendaVersion v;
      v.version = static_cast<int64_t>(session->agenda.versions.size()) + 1;
      v.proposer = from;
      v.hash = AgendaHashHex(n.treaty, session_id, v.version, items);
      v.issues = std::move(items);
      v.source = src;
      session->agenda.accepted[from] = v.version;
      session->agenda.versions.push_back(std::move(v));
      session->history.push_back(src);
      return Status::Ok();
    }

    case MessageKind::kAgendaAccept: {
      DETENTE_RETURN_IF_ERROR(need_session());
      if (!Pending(session->status)) return not_in("accept an agenda");
      const AgendaVersion* current = session->agenda.Current();
      if (current == nullptr) {
        return Refuse(
            fmt::format("session {} has no agenda proposed", session_id));
      }
      std::string hash = Str(b, "agenda");
      if (hash != current->hash) {
        for (const AgendaVersion& old : session->agenda.versions) {
          if (old.hash == hash) {
            return Refuse(fmt::format(
                "session {}: agenda v{} (hash {}) is superseded by v{} (hash "
                "{})",
                session_id, old.version, ShortHash(old.hash), current->version,
                ShortHash(current->hash)));
          }
        }
        return Status::NotFound(fmt::format(
            "session {}: no agenda version has hash '{}'; the current is v{} "
            "(hash {})",
            session_id, hash, current->version, current->hash));
      }
      int64_t& accepted = session->agenda.accepted[from];
      if (accepted == current->version) {
        return Status::AlreadyExists(
            fmt::format("session {}: {} has already accepted agenda v{}",
                        session_id, from, current->version));
      }
      accepted = current->version;
      session->history.push_back(src);
      return Status::Ok();
    }

    case MessageKind::kPostpone: {
      DETENTE_RETURN_IF_ERROR(need_session());
      if (session->status == SessionStatus::kPostponed) {
        return Refuse(fmt::format(
            "session {} is already postponed (by {}); it stays pending until "
            "new dates are agreed",
            session_id, session->postponements.back().party));
      }
      if (!Pending(session->status)) return not_in("be postponed");
      session->status = SessionStatus::kPostponed;
      session->dates_accepted.clear();
      session->postponements.push_back(
          {from, Str(b, "reason"),
           Int(b, "new_dates_to_follow").value_or(0) != 0, src});
      session->history.push_back(src);
      return Status::Ok();
    }

    case MessageKind::kSessionCancel: {
      DETENTE_RETURN_IF_ERROR(need_session());
      if (!Pending(session->status)) return not_in("be cancelled");
      if (!session->cancel_requests.insert(from).second) {
        return Status::AlreadyExists(fmt::format(
            "session {}: {} has already asked to cancel it", session_id, from));
      }
      if (session->cancel_requests.size() == parties_.size()) {
        session->status = SessionStatus::kCancelled;
      }
      session->history.push_back(src);
      return Status::Ok();
    }

    case MessageKind::kSessionConvene: {
      DETENTE_RETURN_IF_ERROR(need_session());
      if (session->status != SessionStatus::kScheduled) {
        std::string why =
            fmt::format("session {} cannot convene: it is {}", session_id,
                        SessionStatusName(session->status));
        if (session->status == SessionStatus::kProposed) {
          std::vector<std::string> missing;
          for (const std::string& p : parties_) {
            if (!session->dates_accepted.contains(p)) missing.push_back(p);
          }
          why += fmt::format(" (dates v{} not accepted by {})",
                             session->dates->version, Names(missing));
        } else if (session->status == SessionStatus::kPostponed) {
          why += " (no new dates agreed)";
        }
        return Refuse(why);
      }
      const SessionDates& d = *session->dates;
      Date day = n.event_time.date();
      if (day < d.start || d.end < day) {
        return Refuse(fmt::format(
            "session {} cannot convene on {}: it is scheduled for {} to {}",
            session_id, day.ToString(), d.start.ToString(), d.end.ToString()));
      }
      const bool agenda_required =
          !spec_.commission || spec_.commission->agreed_agenda_required;
      if (agenda_required && !session->agenda.AgreedBy(parties_)) {
        const AgendaVersion* current = session->agenda.Current();
        if (current == nullptr) {
          return Refuse(fmt::format(
              "session {} cannot convene: no agenda has been proposed",
              session_id));
        }
        std::vector<std::string> missing;
        for (const std::string& p : parties_) {
          auto it = session->agenda.accepted.find(p);
          if (it == session->agenda.accepted.end() ||
              it->second != current->version) {
            missing.push_back(p);
          }
        }
        // Per item: the parties whose latest acceptance includes it. Items
        // with the same (incomplete) set are named together.
        std::vector<
            std::pair<std::vector<std::string>, std::vector<std::string>>>
            groups;
        for (const std::string& item : current->issues) {
          std::vector<std::string> by;
          for (const std::string& p : parties_) {
            auto it = session->agenda.accepted.find(p);
            if (it == session->agenda.accepted.end()) continue;
            const AgendaVersion& v =
                session->agenda.versions[static_cast<size_t>(it->second - 1)];
            if (std::find(v.issues.begin(), v.issues.end(), item) !=
                v.issues.end()) {
              by.push_back(p);
            }
          }
          if (by.size() == parties_.size()) continue;
          auto g = std::find_if(groups.begin(), groups.end(),
                                [&](const auto& x) { return x.first == by; });
          if (g == groups.end()) {
            groups.push_back({by, {item}});
          } else {
            g->second.push_back(item);
          }
        }
        std::string why = fmt::format(
            "session {} cannot convene: agenda v{} (hash {}) not accepted by "
            "{}",
            session_id, current->version, ShortHash(current->hash),
            Names(missing));
        for (const auto& [by, items] : groups) {
          why +=
              fmt::format("; {} {} accepted {}",
                          items.size() == 1 ? "item" : "items", JoinIds(items),
                          by.empty() ? "by no party" : "only by " + Names(by));
        }
        return Refuse(why);
      }
      session->status = SessionStatus::kConvened;
      session->convened = src;
      session->history.push_back(src);
      return Status::Ok();
    }

    case MessageKind::kSessionConclude: {
      DETENTE_RETURN_IF_ERROR(need_session());
      if (session->status != SessionStatus::kConvened) {
        return not_in("conclude (only a convened session concludes)");
      }
      session->status = SessionStatus::kConcluded;
      session->concluded = src;
      session->history.push_back(src);
      return Status::Ok();
    }

    case MessageKind::kOutcome: {
      DETENTE_RETURN_IF_ERROR(need_session());
      if (session->status != SessionStatus::kConvened &&
          session->status != SessionStatus::kConcluded) {
        return Refuse(fmt::format(
            "session {} is {}: outcomes come from a convened session",
            session_id, SessionStatusName(session->status)));
      }
      DETENTE_ASSIGN_OR_RETURN(OutcomeMessage m, OutcomeFromNotification(n));
      const OutcomeRecord& r = m.record;
      if (spec_.commission) {
        const auto& kinds = spec_.commission->outcome_kinds;
        if (std::find(kinds.begin(), kinds.end(), r.kind) == kinds.end()) {
          return Status::InvalidArgument(fmt::format(
              "body.kind: '{}' is not an outcome kind of {} "
              "(declared: {})",
              r.kind, spec_.commission->name, fmt::join(kinds, ", ")));
        }
      }
      int64_t next = 1;
      for (const Outcome& o : state_.outcomes) {
        if (o.record.kind == r.kind) {
          next = std::max(next, o.record.number + 1);
          if (o.record.number == r.number) {
            return Status::AlreadyExists(
                fmt::format("{} {} was already recorded by {} (#{})", r.kind,
                            r.number, o.source.party, o.source.sequence));
          }
        }
      }
      if (r.number != next) {
        return Refuse(
            fmt::format("{} {} is out of sequence: the next {} is "
                        "number {}",
                        r.kind, r.number, r.kind, next));
      }
      std::vector<std::string> bad_issues;
      for (const std::string& id : r.issues) {
        auto it = state_.issues.find(id);
        if (it == state_.issues.end() ||
            it->second.status != IssueStatus::kOpen) {
          bad_issues.push_back(id);
        }
      }
      if (!bad_issues.empty()) {
        return Refuse(
            fmt::format("{} {} resolves issues that are not open: "
                        "{}",
                        r.kind, r.number, JoinIds(bad_issues)));
      }
      std::map<std::string, crypto::VerifierKey> keys;
      for (const auto& [party, c] : state_.commissioners) {
        keys.emplace(party, c.key);
      }
      DETENTE_RETURN_IF_ERROR(VerifyOutcome(r, m.signatures, parties_, keys));
      for (const std::string& id : r.issues) {
        Issue& issue = state_.issues.at(id);
        issue.status = IssueStatus::kResolved;
        issue.closed = src;
      }
      state_.outcomes.push_back(
          {std::move(m.record), std::move(m.signatures), src});
      session->history.push_back(src);
      return Status::Ok();
    }

    case MessageKind::kDialogueStatus: {
      std::string id = Str(b, "dialogue");
      std::optional<DialogueStatus> to = ParseDialogueStatus(Str(b, "status"));
      if (!to) {
        return Status::InvalidArgument(fmt::format(
            "body.status: '{}' is not a dialogue status", Str(b, "status")));
      }
      auto it = state_.dialogues.find(id);
      std::optional<DialogueStatus> at;
      if (it != state_.dialogues.end()) at = it->second.status;
      if (!at && !state_.severances.empty()) {
        const Severance& s = state_.severances.front();
        return Refuse(fmt::format(
            "dialogue {} cannot start: relations between {} and {} are "
            "severed",
            id, s.from, s.to));
      }
      Status t = CheckDialogueTransition(at, *to);
      if (!t.ok()) return t.WithContext(fmt::format("dialogue {}", id));
      Dialogue& d = state_.dialogues[id];
      d.id = id;
      d.status = *to;
      d.history.push_back({*to, Str(b, "reason"), src});
      return Status::Ok();
    }

    case MessageKind::kNote:
    case MessageKind::kDemarche: {
      std::string to = Str(b, "to");
      if (to == from) {
        return Status::InvalidArgument(
            fmt::format("body.to: {} cannot address itself", from));
      }
      if (!to.empty() && state_.Severed(from, to)) {
        return Refuse(fmt::format(
            "relations between {} and {} are severed: nothing passes between "
            "them",
            from, to));
      }
      state_.channel.push_back(
          {kind, from, to, Str(b, "level"), Str(b, "subject"), src});
      return Status::Ok();
    }

    case MessageKind::kSeverance: {
      std::string to = Str(b, "to");
      if (to == from) {
        return Status::InvalidArgument(fmt::format(
            "body.to: {} cannot sever relations with itself", from));
      }
      if (state_.Severed(from, to)) {
        return Refuse(fmt::format(
            "relations between {} and {} are already severed", from, to));
      }
      state_.severances.push_back({from, to, src});
      for (auto& [id, d] : state_.dialogues) {
        if (d.status == DialogueStatus::kTerminated) continue;
        d.status = DialogueStatus::kTerminated;
        d.history.push_back(
            {DialogueStatus::kTerminated,
             fmt::format("relations between {} and {} severed", from, to),
             src});
      }
      return Status::Ok();
    }
  }
  return Status::Internal("unhandled commission message");
}

State FoldCommission(const treaty::Spec& spec,
                     std::span<const Notification> notifications, Instant at) {
  std::vector<const Notification*> order;
  for (const Notification& n : notifications) {
    if (n.event_time <= at) order.push_back(&n);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const Notification* a, const Notification* b) {
                     if (a->event_time != b->event_time) {
                       return a->event_time < b->event_time;
                     }
                     if (a->sender != b->sender) return a->sender < b->sender;
                     return a->sequence < b->sequence;
                   });
  Commission c(spec);
  for (const Notification* n : order) c.Apply(*n).IgnoreError();
  return c.state();
}

std::vector<CadenceYear> Cadence(const treaty::Spec& spec, const State& state,
                                 Instant at) {
  std::vector<CadenceYear> out;
  if (!spec.commission) return out;
  const Date eif = spec.dates.entry_into_force;
  std::optional<Date> end = spec.End();
  for (int number = 1;; ++number) {
    TreatyYear y = NthTreatyYear(eif, number);
    if (end && y.range.start >= *end) break;
    if (Instant::StartOf(y.range.end) > at) break;  // not over yet
    CadenceYear c;
    c.year = y;
    c.required = spec.commission->min_sessions_per_year;
    for (const auto& [id, s] : state.sessions) {
      if (s.convened && y.range.Contains(s.convened->time.date())) {
        ++c.convened;
      }
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace detente::commission

// Scenario files: a record of events as they happened — BCC sessions,
// postponements, notes, a party's suspension — each a notification of the
// treaty's catalogue with its date, sender, body and the source it rests
// on, or labelled an illustration where the record is not public (the work
// of the BCC is confidential). docs/scenarios.md describes the format;
// data/scenarios/ holds the bundled ones. `detente replay` (replay.h)
// merges a scenario into a synthetic history and writes the logs.
//
// The loader is strict (unknown keys, wrong types, a type the catalogue
// does not have, a body the catalogue refuses, events out of time order)
// and reports every problem in one run, each as
//   file:line:column: events[3].body.session: what is wrong
// toml++ stays behind this interface.
//
// Scenario is a plain value that owns its data. The functions are
// stateless and thread-safe.
#ifndef DETENTE_SCENARIO_SCENARIO_H_
#define DETENTE_SCENARIO_SCENARIO_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/time.h"
#include "detente/notification/notification.h"
#include "detente/treaty/spec.h"

namespace detente::scenario {

// One problem in a scenario file; line and column are 1-based.
struct ScenarioError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key;  // e.g. "events[3].body.session"; empty for syntax errors
  std::string message;

  // "file:line:column: key: message".
  std::string ToString() const;
};

// Body fields the replay fills in when the file leaves them out, because
// their values come from keys the file cannot know (docs/scenarios.md):
//   -COMMISSIONER "key"     the Commissioner's SYNTHETIC verifier key
//   -OUTCOME "signatures"   every Commissioner's signature, by those keys
//   -AGENDA-ACCEPT "agenda" the hash of the session's current agenda
// The field name filled for a catalogue code, or "" for none.
std::string_view FilledField(std::string_view type_code);

struct ScenarioEvent {
  int line = 0;  // of the event's table in the file
  // Treaty, sender, type, event and sent time, body. Sequence 0: numbers
  // are given when the events are merged into a party's log. A field of
  // FilledField(type) may be absent.
  notification::Notification notification;
  std::string source;         // the citation the date and content rest on
  bool illustration = false;  // not public: made up to show the mechanism
  std::string note;           // how the event is modelled, when not obvious
  // After this event its sender sends nothing more under the treaty.
  bool stops_sending = false;
};

struct Scenario {
  std::string file;  // as given to the loader
  std::string id;
  std::string treaty;  // spec id
  std::string title;
  std::string description;
  // The treaty's end as the scenario records it, with its source; the
  // loader checks it against the spec.
  std::optional<Date> end;
  std::string end_source;
  std::vector<ScenarioEvent> events;  // in file order = event time order
};

// The [scenario] treaty of the file at `path`, to choose the spec before
// loading. NotFound / IOError / InvalidArgument naming the file.
Result<std::string> ReadScenarioTreaty(const std::string& path);

// Loads and checks the scenario at `path` against `spec`. NotFound or
// IOError naming the path; InvalidArgument whose message is every error's
// ToString() joined by '\n'; `errors`, when given, receives the same.
Result<Scenario> LoadScenarioFile(const std::string& path,
                                  const treaty::Spec& spec,
                                  std::vector<ScenarioError>* errors = nullptr);

// As LoadScenarioFile for text in memory; `file_name` names it in errors.
Result<Scenario> LoadScenarioString(
    std::string_view toml_text, std::string_view file_name,
    const treaty::Spec& spec, std::vector<ScenarioError>* errors = nullptr);

}  // namespace detente::scenario

#endif  // DETENTE_SCENARIO_SCENARIO_H_

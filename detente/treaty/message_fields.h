// What the commission and inspection folds share to recognise their
// messages in a spec's notification catalogue: a message kind is named by
// the suffix of its type code ("NST-BCC-POSTPONE" is a -POSTPONE), and each
// kind needs certain body fields, of certain types, on every message or
// when present. The tables are the callers' (constexpr arrays); these
// functions only read them. Stateless; thread-safe.
#ifndef DETENTE_TREATY_MESSAGE_FIELDS_H_
#define DETENTE_TREATY_MESSAGE_FIELDS_H_

#include <span>
#include <string_view>
#include <vector>

#include "detente/base/status.h"
#include "detente/treaty/spec.h"

namespace detente::treaty {

// One row of a caller's kind table.
template <typename Kind>
struct KindSuffix {
  Kind kind;
  std::string_view suffix;  // "-POSTPONE": the type code ends with it
};

// Whether `code` ends with `suffix` and is longer than it (a code that is
// only the suffix names no treaty).
inline bool HasKindSuffix(std::string_view code, std::string_view suffix) {
  return code.size() > suffix.size() &&
         code.substr(code.size() - suffix.size()) == suffix;
}

// The kind of the first row whose suffix ends `code`, else `none`.
template <typename Kind>
Kind KindBySuffix(std::span<const KindSuffix<Kind>> table,
                  std::string_view code, Kind none) {
  for (const KindSuffix<Kind>& row : table) {
    if (HasKindSuffix(code, row.suffix)) return row.kind;
  }
  return none;
}

// The suffix of `kind` in `table`, "" when it has none.
template <typename Kind>
std::string_view SuffixByKind(std::span<const KindSuffix<Kind>> table,
                              Kind kind) {
  for (const KindSuffix<Kind>& row : table) {
    if (row.kind == kind) return row.suffix;
  }
  return "";
}

// Every kind of `table`, in its order.
template <typename Kind>
std::vector<Kind> KindsOf(std::span<const KindSuffix<Kind>> table) {
  std::vector<Kind> out;
  out.reserve(table.size());
  for (const KindSuffix<Kind>& row : table) out.push_back(row.kind);
  return out;
}

// A body field a fold reads.
struct FieldNeed {
  std::string_view name;
  ValueType type;
  bool required;  // needed on every message: the spec must require it
};

struct FieldNeedOptions {
  std::string_view reader;  // "commission fold": who reads the fields
  // false: every need, even one not required, must be declared.
  bool optional_may_be_absent = false;
};

// Checks that `type` declares each of `needs` with its type, and as
// required where the need is. InvalidArgument names the type code, the
// field and what is wrong; `suffix` names the message kind in the text.
Status CheckFieldNeeds(const NotificationType& type, std::string_view suffix,
                       std::span<const FieldNeed> needs,
                       const FieldNeedOptions& options);

}  // namespace detente::treaty

#endif  // DETENTE_TREATY_MESSAGE_FIELDS_H_

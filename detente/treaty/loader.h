// Loader: turns a treaty spec file (TOML, docs/treaty-spec.md) into a Spec,
// or into the complete list of what is wrong with it.
//
// The loader is strict (unknown keys, wrong types, references to undeclared
// parties, categories, statuses or parameters, impossible dates are all
// errors) and keeps going after an error, so that one run reports every
// problem in the file, in file order, each as
//   file:line:column: key.path: what is wrong
// The TOML library stays behind this interface: callers see only Spec,
// SpecError and Status.
//
// The functions are stateless and thread-safe.
#ifndef DETENTE_TREATY_LOADER_H_
#define DETENTE_TREATY_LOADER_H_

#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/treaty/spec.h"

namespace detente::treaty {

// One problem found in a spec file. `line` and `column` are 1-based and point
// at the offending value (for a missing key: at the table that lacks it).
// `key` is the path of the value, e.g. "limits[1].terms[0].category"; empty
// for TOML syntax errors.
struct SpecError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key;
  std::string message;

  // "file:line:column: key: message" ("file:line:column: message" without a
  // key).
  std::string ToString() const;
};

// Reads and loads the spec at `path`. A file that does not exist is
// NotFound, one that cannot be read IOError, both naming the path. An
// invalid spec is InvalidArgument whose message is every error's ToString()
// joined by '\n'; when `errors` is given it receives the same errors (and is
// cleared on success).
Result<Spec> LoadSpecFile(const std::string& path,
                          std::vector<SpecError>* errors = nullptr);

// As LoadSpecFile for text already in memory. `file_name` is used in error
// locations and as Spec::source_file; its stem (without directories and
// ".toml") is what [treaty] id must equal; an empty `file_name` skips that
// check.
Result<Spec> LoadSpecString(std::string_view toml_text,
                            std::string_view file_name,
                            std::vector<SpecError>* errors = nullptr);

}  // namespace detente::treaty

#endif  // DETENTE_TREATY_LOADER_H_

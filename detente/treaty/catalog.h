// Catalog: finds treaty specs by name in a data directory, so that users say
// `new-start` rather than a path. Bundled specs live in
// <data_dir>/treaties/<id>.toml.
//
// The functions only read the file system; they are thread-safe.
#ifndef DETENTE_TREATY_CATALOG_H_
#define DETENTE_TREATY_CATALOG_H_

#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"
#include "detente/treaty/loader.h"
#include "detente/treaty/spec.h"

namespace detente::treaty {

// The data directory: $DETENTE_DATA_DIR when set and non-empty, else the
// directory compiled in (the source tree's data/).
std::string DefaultDataDir();

// Sorted paths of <data_dir>/treaties/*.toml. NotFound when that directory
// does not exist.
Result<std::vector<std::string>> ListSpecFiles(const std::string& data_dir);

// `name_or_path` itself when it names an existing file, else
// <data_dir>/treaties/<name>.toml (a trailing ".toml" on the name is
// optional). NotFound lists the names that are available.
Result<std::string> ResolveSpecPath(std::string_view name_or_path,
                                    const std::string& data_dir);

// ResolveSpecPath, then LoadSpecFile.
Result<Spec> LoadSpecByName(std::string_view name_or_path,
                            const std::string& data_dir,
                            std::vector<SpecError>* errors = nullptr);

}  // namespace detente::treaty

#endif  // DETENTE_TREATY_CATALOG_H_

// Test-only: the specs bundled in data/treaties/, loaded once per test
// binary and kept for its lifetime. A spec that fails to load fails every
// test that asks for it and yields an empty Spec. Not thread-safe (gtest runs a
// binary's tests on one thread). Never include from library code.
#ifndef DETENTE_TREATY_TREATY_TESTING_H_
#define DETENTE_TREATY_TREATY_TESTING_H_

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "detente/treaty/loader.h"
#include "detente/treaty/spec.h"

namespace detente::treaty::testing {

// data/treaties/<stem>.toml of the source tree.
inline const Spec& BundledSpec(const std::string& stem) {
  static std::map<std::string, Spec>* specs = new std::map<std::string, Spec>;
  auto it = specs->find(stem);
  if (it == specs->end()) {
    Result<Spec> s = LoadSpecFile(std::string(DETENTE_SOURCE_DIR) +
                                  "/data/treaties/" + stem + ".toml");
    if (!s.ok()) {
      ADD_FAILURE() << stem << ": " << s.status();
      static const Spec* empty = new Spec;
      return *empty;
    }
    it = specs->emplace(stem, std::move(s).value()).first;
  }
  return it->second;
}

inline const Spec& NewStartSpec() { return BundledSpec("new-start"); }

}  // namespace detente::treaty::testing

#endif  // DETENTE_TREATY_TREATY_TESTING_H_

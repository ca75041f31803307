// Reading an item set (the treaty database at one moment) from a file, and
// validating each item against a spec.
//
// CSV: a header row with columns id, party, category, status (required) and
// type, facility, warheads (optional); any other column is a category
// attribute, left empty for items whose category does not declare it.
// JSON: {"facilities": [{"id","party","name","kind"}...],
//        "items": [{"id","party","category","type","status","facility",
//                   "warheads", "attributes": {...}}...]}
// or a bare array of items. Both formats are described in docs/items.md.
//
// Every problem is reported, not just the first, each naming the file and
// line (CSV) or element path (JSON) and the field; nothing is returned when
// any item is invalid. Free functions; thread-safe.
#ifndef DETENTE_REGISTRY_ITEMS_IO_H_
#define DETENTE_REGISTRY_ITEMS_IO_H_

#include <string>
#include <string_view>

#include "detente/base/result.h"
#include "detente/registry/item.h"
#include "detente/treaty/spec.h"

namespace detente::registry {

// Checks one item against the spec: declared party, category and status;
// warheads only on categories that carry them and never negative; attributes
// declared by the category, of the declared type, required ones present.
// The message names the field ("status: unknown status 'deployd' ...").
Status ValidateItem(const treaty::Spec& spec, const Item& item);

Result<ItemSet> ParseItemsCsv(std::string_view text, std::string_view file,
                              const treaty::Spec& spec);
Result<ItemSet> ParseItemsJson(std::string_view text, std::string_view file,
                               const treaty::Spec& spec);
// By extension (.csv / .json), else by the first non-blank character.
Result<ItemSet> LoadItemsFile(const std::string& path,
                              const treaty::Spec& spec);

}  // namespace detente::registry

#endif  // DETENTE_REGISTRY_ITEMS_IO_H_

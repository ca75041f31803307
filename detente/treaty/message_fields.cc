#include "detente/treaty/message_fields.h"

#include "fmt/format.h"

namespace detente::treaty {

Status CheckFieldNeeds(const NotificationType& type, std::string_view suffix,
                       std::span<const FieldNeed> needs,
                       const FieldNeedOptions& options) {
  for (const FieldNeed& need : needs) {
    const Field* f = type.FindField(need.name);
    if (f == nullptr) {
      if (!need.required && options.optional_may_be_absent) continue;
      return Status::InvalidArgument(fmt::format(
          "{}: {} message has no field '{}' ({}), which the {} reads",
          type.code, suffix, need.name, ValueTypeName(need.type),
          options.reader));
    }
    if (f->type != need.type) {
      return Status::InvalidArgument(fmt::format(
          "{}: field '{}' is {}, the {} reads it as {}", type.code, need.name,
          ValueTypeName(f->type), options.reader, ValueTypeName(need.type)));
    }
    if (need.required && !f->required) {
      return Status::InvalidArgument(
          fmt::format("{}: field '{}' must be required: the {} needs it on "
                      "every message",
                      type.code, need.name, options.reader));
    }
  }
  return Status::Ok();
}

}  // namespace detente::treaty

// Status: the outcome of an operation that can fail, as a value.
//
// Every fallible function in detente returns a Status (or a Result<T>, see
// result.h) instead of throwing. A Status is either OK or carries a Code and a
// message that says what is wrong and where ("file:line:col: key: ...").
// Statuses are cheap to copy when OK (no allocation) and are [[nodiscard]]:
// ignoring one is a compile-time warning.
//
// Thread-safety: a Status is an immutable value; distinct objects may be used
// from distinct threads freely, and const methods are safe to call
// concurrently.
#ifndef DETENTE_BASE_STATUS_H_
#define DETENTE_BASE_STATUS_H_

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace detente {

// Persistent (appears in JSON output and exit codes): do not change the
// values of existing entries.
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,     // the caller's input is malformed
  kNotFound = 2,            // a named thing does not exist
  kAlreadyExists = 3,       // a unique thing was given twice
  kFailedPrecondition = 4,  // the request is well formed but not allowed now
  kOutOfRange = 5,          // an index or date beyond what exists
  kCorruption = 6,          // stored data is damaged
  kIOError = 7,             // the operating system refused
  kPermissionDenied = 8,    // e.g. a key file readable by others
  kUnimplemented = 9,
  kInternal = 10,  // a bug in detente
};

// Lower-case name of a code, e.g. "invalid argument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // An OK status.
  Status() noexcept = default;
  Status(StatusCode code, std::string_view message);

  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&& other) noexcept = default;
  Status& operator=(Status&& other) noexcept = default;
  ~Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string_view msg) {
    return Status(StatusCode::kInvalidArgument, msg);
  }
  static Status NotFound(std::string_view msg) {
    return Status(StatusCode::kNotFound, msg);
  }
  static Status AlreadyExists(std::string_view msg) {
    return Status(StatusCode::kAlreadyExists, msg);
  }
  static Status FailedPrecondition(std::string_view msg) {
    return Status(StatusCode::kFailedPrecondition, msg);
  }
  static Status OutOfRange(std::string_view msg) {
    return Status(StatusCode::kOutOfRange, msg);
  }
  static Status Corruption(std::string_view msg) {
    return Status(StatusCode::kCorruption, msg);
  }
  static Status IOError(std::string_view msg) {
    return Status(StatusCode::kIOError, msg);
  }
  static Status PermissionDenied(std::string_view msg) {
    return Status(StatusCode::kPermissionDenied, msg);
  }
  static Status Unimplemented(std::string_view msg) {
    return Status(StatusCode::kUnimplemented, msg);
  }
  static Status Internal(std::string_view msg) {
    return Status(StatusCode::kInternal, msg);
  }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Empty when OK.
  std::string_view message() const {
    return rep_ ? std::string_view(rep_->message) : std::string_view();
  }

  // A copy with `context + ": "` prepended to the message; OK stays OK.
  Status WithContext(std::string_view context) const;

  // "OK" or "<code name>: <message>".
  std::string ToString() const;

  // Explicitly ignores a status where failure is acceptable.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::unique_ptr<Rep> rep_;  // null when OK
};

std::ostream& operator<<(std::ostream& os, const Status& s);

}  // namespace detente

// Evaluates `expr` (a Status); returns it from the enclosing function if it
// is not OK.
#define DETENTE_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::detente::Status detente_status_ = (expr);        \
    if (!detente_status_.ok()) return detente_status_; \
  } while (false)

#endif  // DETENTE_BASE_STATUS_H_

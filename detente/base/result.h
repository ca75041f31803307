// Result<T>: either a value of type T or a non-OK Status explaining why there
// is none. The C++20 stand-in for std::expected (absent from libstdc++ 12 in
// C++20 mode), in the spirit of absl::StatusOr.
//
// Accessing value() of a failed Result is a programming error and aborts.
// Thread-safety: as for T; a Result owns its value or status.
#ifndef DETENTE_BASE_RESULT_H_
#define DETENTE_BASE_RESULT_H_

#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "detente/base/status.h"

namespace detente {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Status>,
                "Result<Status> is meaningless; return Status");

 public:
  // Implicit from a value and from a (non-OK) status, so that functions can
  // `return value;` or `return Status::NotFound(...);`.
  Result(const T& value) : v_(value) {}            // NOLINT(runtime/explicit)
  Result(T&& value) : v_(std::move(value)) {}      // NOLINT(runtime/explicit)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(runtime/explicit)
    if (std::get<Status>(v_).ok()) {
      v_ = Status::Internal("Result constructed from an OK status");
    }
  }
  template <typename U, typename = std::enable_if_t<
                            std::is_constructible_v<T, U&&> &&
                            !std::is_same_v<std::decay_t<U>, T> &&
                            !std::is_same_v<std::decay_t<U>, Status>>>
  Result(U&& value) : v_(T(std::forward<U>(value))) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }

  // OK when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  // REQUIRES: ok().
  const T& value() const& {
    CheckOk();
    return std::get<T>(v_);
  }
  T& value() & {
    CheckOk();
    return std::get<T>(v_);
  }
  // On an rvalue the value is moved out and returned by value, so that
  // `for (auto& x : *F())` and `F().value()` never refer into a temporary
  // that has already been destroyed.
  T value() && {
    CheckOk();
    return std::get<T>(std::move(v_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<T>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  void CheckOk() const {
    if (!ok()) {
      std::fprintf(stderr, "Result::value() on error: %s\n",
                   std::get<Status>(v_).ToString().c_str());
      std::abort();
    }
  }

  std::variant<T, Status> v_;
};

}  // namespace detente

#define DETENTE_CONCAT_INNER_(a, b) a##b
#define DETENTE_CONCAT_(a, b) DETENTE_CONCAT_INNER_(a, b)

// DETENTE_ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (a Result<T>); on
// error returns its status from the enclosing function, otherwise moves the
// value into `lhs` (which may be a declaration, e.g. `auto x`).
#define DETENTE_ASSIGN_OR_RETURN(lhs, expr)                                  \
  DETENTE_ASSIGN_OR_RETURN_IMPL_(DETENTE_CONCAT_(detente_result_, __LINE__), \
                                 lhs, expr)
#define DETENTE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()

#endif  // DETENTE_BASE_RESULT_H_

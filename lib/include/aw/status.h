// Errors as values: every fallible call returns a Status or a Result<T>.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace aw {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,    // a value the caller passed is out of range or malformed
  kInvalidState,       // the call is not allowed in the writer's current status
  kUnsupported,        // valid, but not something this file type or codec can hold
  kMalformedConfig,    // a codec configuration record could not be parsed
  kTimestampOrder,     // decode timestamps went backwards or a sample had no time
  kIo,                 // the operating system refused a read, write or rename
  kCancelled,          // the writer was cancelled
};

const char* to_string(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return {}; }

  bool is_ok() const { return code_ == ErrorCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid-state: startWriting called twice"
  std::string to_string() const;

  // Prefixes the message with where it happened ("video_0: " + message).
  Status with_context(const std::string& where) const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Status error) : v_(std::move(error)) {}

  bool is_ok() const { return v_.index() == 0; }
  explicit operator bool() const { return is_ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  Status status() const { return is_ok() ? Status::ok() : std::get<1>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace aw

// Returns early from the enclosing function with the error of a failed Status expression.
#define AW_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::aw::Status aw_status_ = (expr);       \
    if (!aw_status_.is_ok()) return aw_status_; \
  } while (0)

#define AW_CONCAT_INNER_(a, b) a##b
#define AW_CONCAT_(a, b) AW_CONCAT_INNER_(a, b)
// Declares `lhs` from a Result expression, or returns its error.
#define AW_ASSIGN_OR_RETURN(lhs, expr) AW_ASSIGN_OR_RETURN_IMPL_(AW_CONCAT_(aw_result_, __LINE__), lhs, expr)
#define AW_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.is_ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

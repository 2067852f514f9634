#include "aw/status.h"

namespace aw {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInvalidArgument: return "invalid-argument";
    case ErrorCode::kInvalidState: return "invalid-state";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kMalformedConfig: return "malformed-config";
    case ErrorCode::kTimestampOrder: return "timestamp-order";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kCancelled: return "cancelled";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (is_ok()) return "ok";
  return std::string(aw::to_string(code_)) + ": " + message_;
}

Status Status::with_context(const std::string& where) const {
  if (is_ok()) return *this;
  return Status(code_, where + ": " + message_);
}

}  // namespace aw

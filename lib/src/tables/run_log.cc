#include "tables/run_log.h"

namespace aw {

// A run is one header byte: the high nibble is count - 1 (15: a varint of count - 16 follows), the low
// nibble the value's slot in the recent values (15: a zigzag varint of the value follows, and it takes
// the next slot).
namespace {
constexpr uint8_t kEscape = 15;
}

void RunLog::commit(const Run& run) {
  int slot = recent_.find(run.value);
  uint8_t count_code = run.count - 1 < kEscape ? static_cast<uint8_t>(run.count - 1) : kEscape;
  uint8_t value_code = slot >= 0 ? static_cast<uint8_t>(slot) : kEscape;
  bytes_.push(static_cast<uint8_t>(count_code << 4 | value_code));
  if (count_code == kEscape) bytes_.push_varint(run.count - 16);
  if (value_code == kEscape) {
    bytes_.push_varint(zigzag(run.value));
    recent_.add(run.value);
  }
  ++committed_runs_;
}

bool RunLog::Reader::next(Run& run) {
  if (bytes_.at_end()) {
    if (open_read_ || log_->open_.count == 0) return false;
    open_read_ = true;
    run = log_->open_;
    return true;
  }
  uint8_t header = bytes_.byte();
  uint8_t count_code = header >> 4;
  uint8_t value_code = header & 0x0f;
  run.count = count_code == kEscape ? static_cast<uint32_t>(bytes_.varint() + 16) : count_code + 1u;
  if (value_code == kEscape) {
    run.value = unzigzag(bytes_.varint());
    recent_.add(run.value);
  } else {
    run.value = recent_.values[value_code];
  }
  return true;
}

}  // namespace aw

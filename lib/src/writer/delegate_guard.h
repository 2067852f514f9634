// DelegateGuard: stands between segment output and the user's SegmentDelegate. The delegate is called
// with the writer's lock held, so a call from inside it back into the writer would deadlock; the guard
// remembers which thread is inside the callback so that such a call is refused instead.
#pragma once

#include <atomic>
#include <span>
#include <thread>

#include "aw/segments.h"
#include "aw/status.h"

namespace aw {

class DelegateGuard : public SegmentDelegate {
 public:
  explicit DelegateGuard(SegmentDelegate& target) : target_(target) {}

  Status did_output_segment_data(std::span<const uint8_t> data, SegmentType type,
                                 const SegmentReport* report) override {
    inside_ = std::this_thread::get_id();
    Status delivered = target_.did_output_segment_data(data, type, report);
    inside_ = std::thread::id();
    return delivered;
  }

  // kInvalidState when the calling thread is inside the delegate's callback.
  Status refuse_inside_callback(const char* call) const {
    if (inside_.load() != std::this_thread::get_id()) return Status::ok();
    return Status(ErrorCode::kInvalidState, std::string(call) + " from inside a segment delegate callback");
  }

 private:
  SegmentDelegate& target_;
  std::atomic<std::thread::id> inside_{};
};

}  // namespace aw

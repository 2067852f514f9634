// The guards between the writer and the user's callbacks (SegmentDelegate, WriterObserver). Both are called
// with the writer's lock held, so a call from inside one back into the writer would deadlock; the guards
// remember which thread is inside a callback so that such a call is refused instead.
#pragma once

#include <atomic>
#include <span>
#include <thread>

#include "aw/segments.h"
#include "aw/status.h"
#include "aw/writer_observer.h"

namespace aw {

// Which thread, if any, is inside a user callback of this writer.
class CallbackGuard {
 public:
  template <typename Call>
  auto run(Call&& call) {
    struct Inside {
      std::atomic<std::thread::id>& thread;
      explicit Inside(std::atomic<std::thread::id>& t) : thread(t) { thread = std::this_thread::get_id(); }
      ~Inside() { thread = std::thread::id(); }
    } inside(inside_);
    return call();
  }

  // kInvalidState when the calling thread is inside a callback.
  Status refuse_inside_callback(const char* call) const {
    if (inside_.load() != std::this_thread::get_id()) return Status::ok();
    return Status(ErrorCode::kInvalidState,
                  std::string(call) + " from inside a writer callback (segment delegate or observer)");
  }

 private:
  std::atomic<std::thread::id> inside_{};
};

class DelegateGuard : public SegmentDelegate {
 public:
  DelegateGuard(SegmentDelegate& target, CallbackGuard& guard) : target_(target), guard_(guard) {}

  Status did_output_segment_data(std::span<const uint8_t> data, SegmentType type,
                                 const SegmentReport* report) override {
    return guard_.run([&] { return target_.did_output_segment_data(data, type, report); });
  }
  Status did_output_part_data(std::span<const uint8_t> data, const PartReport& report) override {
    return guard_.run([&] { return target_.did_output_part_data(data, report); });
  }

 private:
  SegmentDelegate& target_;
  CallbackGuard& guard_;
};

class ObserverGuard : public WriterObserver {
 public:
  ObserverGuard(WriterObserver& target, CallbackGuard& guard) : target_(target), guard_(guard) {}

  void did_write_fragment(const FragmentReport& fragment) override {
    guard_.run([&] { target_.did_write_fragment(fragment); });
  }
  void did_finish_writing(const FinishReport& report) override {
    guard_.run([&] { target_.did_finish_writing(report); });
  }

 private:
  WriterObserver& target_;
  CallbackGuard& guard_;
};

}  // namespace aw

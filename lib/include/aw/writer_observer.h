// WriterObserver: tells an application what a file writer has made durable — each movie fragment once it
// is in the file (and, when syncing, on disk), and the finished file — e.g. to show progress, to upload a
// growing recording, or to know how much a crash could lose.
//
//   struct Progress : aw::WriterObserver {
//     void did_write_fragment(const aw::FragmentReport& f) override { ... }
//     void did_finish_writing(const aw::FinishReport& r) override { ... }
//   };
//   writer->set_observer(&progress);  // before start_writing(); `progress` must outlive the writer
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aw/segments.h"
#include "aw/time.h"

namespace aw {

// A movie fragment (moof + mdat) of a fragmented movie or a crash-safe recording, complete in the file.
struct FragmentReport {
  uint32_t sequence_number = 0;  // the fragment's mfhd sequence number
  // Where the fragment lies in the file: the moof from `offset`, the mdat up to offset + size. In a
  // crash-safe recording the moof becomes a 'free' box at finish (the mdat stays).
  uint64_t offset = 0;
  uint64_t size = 0;
  // fdatasync'ed before the moof was typed 'moof' (set_sync_fragments_to_disk): it survives a power loss,
  // not only a killed process.
  bool synced = false;
  // Per track in the fragment, as in segment reports: the earliest presentation time on the source
  // timeline (the times samples were appended with), the duration, the sample count, and the byte ranges
  // of its media relative to `offset`.
  std::vector<SegmentTrackReport> tracks;
};

// The finished file.
struct FinishReport {
  std::string path;
  uint64_t size = 0;  // bytes
  // The movie's duration (its mvhd's; with combinable fragments, whose mvhd keeps the hint, the media's).
  Time duration;
};

class WriterObserver {
 public:
  virtual ~WriterObserver() = default;
  // Fragmented movies and crash-safe recordings: once per fragment, after its bytes are written (and
  // synced when syncing), from the thread whose append(), mark_as_finished() or finish_writing() wrote it.
  virtual void did_write_fragment(const FragmentReport& fragment) { (void)fragment; }
  // Every file writer: once, from finish_writing(), after the file is complete and closed.
  virtual void did_finish_writing(const FinishReport& report) { (void)report; }
  // Both are called with the writer's lock held, as SegmentDelegate is: they must not call back into the
  // writer or its inputs. append(), mark_as_finished(), flush_segment(), finish_writing() and
  // cancel_writing() from inside a callback are refused with kInvalidState; other calls would deadlock.
};

}  // namespace aw

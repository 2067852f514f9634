// ShownPrefix: how many of a recovered track's samples, in decode order, its movie can show without a hole.
// A kill keeps a decode-order prefix of a reordered (B-frame) stream; frames it lost may present before some
// it kept (the B-frames of the last P-frame), and no edit can show those kept frames without showing the hole.
#pragma once

#include <cstdint>
#include <limits>

namespace aw::recovery {

// Fed every sample of one track in decode order (media timescale), it finds the longest prefix that fills
// its own stretch of presentation exactly. Encoders give the n-th frame in decode order the decode time of
// the n-th frame in presentation order, less the reorder delay (GstVideoEncoder, x264, FFmpeg); so a prefix
// of m frames presenting no later than the m-th decode slot (plus that delay) holds every frame presented
// up to its end, and every frame after it, kept or lost, presents later.
class ShownPrefix {
 public:
  void add(int64_t dts, int64_t pts);
  // The samples to keep, once the last sample is known to last `last_duration`: all of them unless the
  // track reorders and its end is not such a prefix.
  uint32_t count(uint32_t last_duration) const;

 private:
  struct Candidate {
    uint32_t samples = 0;
    int64_t min_pts = 0;  // the prefix's earliest presentation, which must be the track's
    int64_t next_dts = 0;
  };
  // The prefix of the samples added so far, the next one decoding at `next_dts`, when it closes.
  bool closes(int64_t next_dts) const;
  // Whether dropping from `c` on stays within the frames the last ones reorder with: a frame presents no
  // later than its decode time plus the largest composition offset, so one the kill orphaned (presenting
  // after a lost frame, after the end of decoding plus the smallest offset) decodes within their
  // difference of the end. A prefix further back means the stream does not follow the rule above.
  bool within_reorder_span(const Candidate& c, int64_t end) const;

  uint32_t samples_ = 0;
  int64_t first_dts_ = 0;
  int64_t last_dts_ = 0;
  int64_t min_pts_ = 0;
  int64_t max_pts_ = 0;
  int64_t min_offset_ = std::numeric_limits<int64_t>::max();
  int64_t max_offset_ = std::numeric_limits<int64_t>::min();
  int64_t max_delta_ = 0;
  bool reorders_ = false;
  Candidate last_closed_;
};

}  // namespace aw::recovery

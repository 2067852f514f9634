// SegmentAssembly: one media segment being put together from its parts (CMAF chunks) as the FragmentWriter
// writes them — its bytes ([styp] + each part's moof + mdat) and its report, each track's totals summed
// over the parts — so the segment handed out at the end is exactly the parts handed out on the way.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "aw/segments.h"
#include "writer/fragment_writer.h"

namespace aw {

class SegmentAssembly {
 public:
  // Appends one part: `prefix` (the styp) goes first when it is the segment's first part; `fragment` is the
  // moof + mdat that `written` describes (its data ranges relative to the moof). Returns the part's report.
  PartReport add_part(std::span<const uint8_t> prefix, std::span<const uint8_t> fragment,
                      const WrittenFragment& written);
  // The bytes of the part add_part() last described.
  std::span<const uint8_t> last_part() const;

  bool empty() const { return parts_ == 0; }
  std::span<const uint8_t> bytes() const { return bytes_; }
  // The whole segment's report: tracks in track order, data ranges relative to the segment.
  SegmentReport report() const;
  void clear();

 private:
  void add_to_report(const SegmentTrackReport& track, uint64_t shift);

  std::vector<uint8_t> bytes_;
  uint64_t last_part_offset_ = 0;
  uint32_t parts_ = 0;
  SegmentReport report_;
};

}  // namespace aw

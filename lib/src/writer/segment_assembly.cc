#include "writer/segment_assembly.h"

#include <algorithm>

namespace aw {
namespace {

// A part's duration as a playlist states it: its first video track's (what players step through), else
// its longest track's.
Time part_duration(const std::vector<SegmentTrackReport>& tracks) {
  Time longest = Time::zero();
  for (const SegmentTrackReport& track : tracks) {
    if (track.media_type == MediaType::kVideo) return track.duration;
    if (longest < track.duration) longest = track.duration;
  }
  return longest;
}

}  // namespace

PartReport SegmentAssembly::add_part(std::span<const uint8_t> prefix, std::span<const uint8_t> fragment,
                                     const WrittenFragment& written) {
  PartReport part;
  part.index = parts_++;
  part.offset = bytes_.size();
  part.sequence_number = written.sequence_number;
  if (part.index == 0) {
    report_.type = SegmentType::kSeparable;
    report_.sequence_number = written.sequence_number;
    bytes_.insert(bytes_.end(), prefix.begin(), prefix.end());
  }
  const uint64_t moof_in_part = bytes_.size() - part.offset;
  bytes_.insert(bytes_.end(), fragment.begin(), fragment.end());
  last_part_offset_ = part.offset;
  part.size = bytes_.size() - part.offset;
  part.tracks = written.tracks;
  part.independent = true;
  for (SegmentTrackReport& track : part.tracks) {
    add_to_report(track, part.offset + moof_in_part);
    for (auto& range : track.data_ranges) range.first += moof_in_part;
    part.independent = part.independent && track.first_sample_is_sync;
  }
  part.duration = part_duration(part.tracks);
  return part;
}

std::span<const uint8_t> SegmentAssembly::last_part() const {
  return std::span<const uint8_t>(bytes_).subspan(last_part_offset_);
}

void SegmentAssembly::add_to_report(const SegmentTrackReport& track, uint64_t shift) {
  auto same = std::find_if(report_.tracks.begin(), report_.tracks.end(),
                           [&](const SegmentTrackReport& t) { return t.track_id == track.track_id; });
  SegmentTrackReport* total = nullptr;
  if (same == report_.tracks.end()) {
    // The track's first part in this segment says where it starts and whether on a sync sample.
    report_.tracks.push_back(track);
    total = &report_.tracks.back();
    total->data_ranges.clear();
  } else {
    total = &*same;
    total->earliest_presentation_time = std::min(total->earliest_presentation_time, track.earliest_presentation_time);
    total->duration = total->duration + track.duration;
    total->sample_count += track.sample_count;
  }
  for (auto [offset, length] : track.data_ranges) total->data_ranges.emplace_back(offset + shift, length);
}

SegmentReport SegmentAssembly::report() const {
  SegmentReport report = report_;
  std::stable_sort(report.tracks.begin(), report.tracks.end(),
                   [](const SegmentTrackReport& a, const SegmentTrackReport& b) { return a.track_id < b.track_id; });
  return report;
}

void SegmentAssembly::clear() {
  bytes_.clear();
  last_part_offset_ = 0;
  parts_ = 0;
  report_ = SegmentReport();
}

}  // namespace aw

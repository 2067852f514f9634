// Segment output (AVAssetWriter's init(contentType:) with AVAssetWriterDelegate): instead of a file, the
// writer hands fMP4 segments to a delegate, for HLS or DASH/CMAF packagers.
//
//   struct Uploader : aw::SegmentDelegate {
//     aw::Status did_output_segment_data(std::span<const uint8_t> data, aw::SegmentType type,
//                                        const aw::SegmentReport* report) override { ... }
//   };
//   auto writer = aw::AssetWriter::create_for_segments(aw::FileType::kMpeg4, uploader);
//   writer->set_preferred_output_segment_interval(aw::Time(6, 1));
//   writer->set_output_file_type_profile(aw::FileTypeProfile::kMpeg4CmafCompliant);
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "aw/media_types.h"
#include "aw/status.h"
#include "aw/time.h"

namespace aw {

// AVFileTypeProfile
enum class FileTypeProfile {
  kMpeg4AppleHls,        // Apple HLS fMP4: one init segment for all tracks, segments of moof+mdat
  // CMAF (ISO/IEC 23000-19): styp per segment; cmfc/cmf2 brands and CMAF constraints when each header holds
  // one track (set_one_track_per_header, or a single input): a muxed header is no CMAF header.
  kMpeg4CmafCompliant,
};

enum class SegmentType {
  kInitialization,  // ftyp + moov: decoders' configuration, no samples
  kSeparable,       // [styp] moof + mdat: media, independently decodable (starts on a sync sample)
};

// AVAssetSegmentTrackReport
struct SegmentTrackReport {
  uint32_t track_id = 0;
  MediaType media_type = MediaType::kVideo;
  Time earliest_presentation_time;  // on the source timeline
  Time duration;
  bool first_sample_is_sync = true;
  uint32_t sample_count = 0;
  // Byte ranges of this track's media data inside the segment (one per run), as offset/length pairs.
  std::vector<std::pair<uint64_t, uint64_t>> data_ranges;
};

// AVAssetSegmentReport. Initialization segments get one too, naming the tracks the header describes (with
// no samples): with one track per header that is how a delegate tells the headers apart.
struct SegmentReport {
  SegmentType type = SegmentType::kSeparable;
  uint32_t sequence_number = 0;  // the fragment's mfhd sequence number
  std::vector<SegmentTrackReport> tracks;
};

// A part of a media segment (a CMAF chunk, an LL-HLS Partial Segment): one moof + mdat, handed to the
// delegate as soon as it is complete when AssetWriter::set_preferred_output_part_interval is set.
struct PartReport {
  uint32_t index = 0;  // in its segment, from 0
  // Where its bytes lie in the segment as did_output_segment_data will deliver it: the first part's data
  // starts with the segment's styp (when the profile writes one), so its offset is 0.
  uint64_t offset = 0;
  uint64_t size = 0;
  uint32_t sequence_number = 0;  // its moof's mfhd sequence number
  Time duration;                 // its first video track's, else its longest track's
  // Every track in it starts with a sync sample: a player may start decoding here (INDEPENDENT=YES).
  bool independent = false;
  // As in a SegmentReport, with data ranges relative to the part's own data.
  std::vector<SegmentTrackReport> tracks;
};

class SegmentDelegate {
 public:
  virtual ~SegmentDelegate() = default;
  // Called from the thread that appended the sample completing the segment (or from finish_writing /
  // flush_segment), with the writer's lock held: the callback must not call back into the writer (a
  // flush_segment() or append() from here is refused with kInvalidState). `data` is valid only during the call.
  // An error (an upload failed, the disk is full) fails the writer with that error: the call that was
  // delivering the segment returns it, as does every later one, and no more segments are handed out.
  virtual Status did_output_segment_data(std::span<const uint8_t> data, SegmentType type,
                                         const SegmentReport* report) = 0;
  // With parts, each part as soon as it is complete, from the same thread, under the same lock and with the
  // same error rule. The segment that holds it follows through did_output_segment_data once its last part
  // is out: exactly the concatenation of its parts' data. By default parts are ignored.
  virtual Status did_output_part_data(std::span<const uint8_t> data, const PartReport& report) {
    (void)data;
    (void)report;
    return Status::ok();
  }
};

}  // namespace aw

// A strict, bounds-checked reader of what a killed recording holds: the top-level boxes, the first moov
// (the tracks and their sample descriptions) and each moof (the fragment's sample runs). Every size and
// count is checked against the bytes it claims, and every problem comes back as a Status naming the box
// and its file offset: hostile input is an error, never a crash.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aw/fourcc.h"
#include "aw/status.h"
#include "boxes/box_reader.h"
#include "recovery/input_file.h"

namespace aw::recovery {

// A top-level box read from the file: `truncated` when its header or body runs past the end of the file.
using TopLevelBox = BoxHeader;
// The box at `offset`, or nullopt at the end of the file.
Result<std::optional<TopLevelBox>> read_top_level_box(const InputFile& file, uint64_t offset);

struct TrackDefaults {  // trex (8.8.3)
  uint32_t description_index = 1;
  uint32_t duration = 0;
  uint32_t size = 0;
  uint32_t flags = 0;
};

struct RecordedTrack {
  // tkhd
  uint32_t track_id = 0;
  uint32_t tkhd_flags = 0;
  uint64_t creation_time = 0;
  uint64_t modification_time = 0;
  int16_t layer = 0;  // text tracks: -1, in front of the video
  uint16_t alternate_group = 0;
  uint16_t volume = 0;
  int32_t matrix[9] = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};
  uint32_t width = 0;  // 16.16
  uint32_t height = 0;
  // edts: the empty edit in front (movie timescale) and the composition time the media edit starts at
  uint64_t empty_edit = 0;
  int64_t media_time = 0;
  // mdia
  uint64_t media_creation_time = 0;
  uint64_t media_modification_time = 0;
  uint32_t timescale = 0;
  uint16_t language = 0;  // packed ISO 639-2/T
  FourCC handler;
  std::vector<uint8_t> hdlr;              // the whole mdia/hdlr box
  std::vector<uint8_t> mdia_extra;        // other mdia children (e.g. elng), whole boxes
  std::vector<uint8_t> minf_before_stbl;  // vmhd/smhd, QuickTime's data hdlr, dinf, ...: whole boxes
  std::vector<uint8_t> stsd;              // the whole stsd box, copied verbatim
  uint32_t description_count = 0;         // its entries: a format change mid-recording added some
  std::vector<uint8_t> trak_extra;        // other trak children (udta, tref, ...), whole boxes
  TrackDefaults defaults;
};

struct RecordedMovie {
  uint64_t creation_time = 0;
  uint64_t modification_time = 0;
  uint32_t timescale = 0;
  uint32_t next_track_id = 1;
  bool has_mvex = false;
  std::vector<RecordedTrack> tracks;
  std::vector<uint8_t> moov_extra;  // udta, meta, ... (not mvhd, trak, mvex): whole boxes
  const RecordedTrack* track(uint32_t id) const;
};

// `payload` is the moov's content, found at file offset `payload_offset`.
Result<RecordedMovie> parse_moov(std::span<const uint8_t> payload, uint64_t payload_offset);

struct RunSample {
  uint32_t duration = 0;
  uint32_t size = 0;
  int32_t composition_offset = 0;
  bool sync = true;
};

struct FragmentRun {
  uint64_t data_offset = 0;  // absolute file offset of the run's first byte
  uint64_t data_size = 0;
  std::vector<RunSample> samples;
};

struct TrackFragmentRuns {
  uint32_t track_id = 0;
  std::optional<uint64_t> base_decode_time;  // tfdt
  uint32_t description_index = 1;            // tfhd or trex: the stsd entry of its samples
  std::vector<FragmentRun> runs;
};

struct MovieFragment {
  uint32_t sequence_number = 0;
  std::vector<TrackFragmentRuns> tracks;
};

// `payload` is the moof's content; `moof_offset` the file offset of the moof box itself.
Result<MovieFragment> parse_moof(std::span<const uint8_t> payload, uint64_t moof_offset, uint64_t payload_offset,
                                 const RecordedMovie& movie);

}  // namespace aw::recovery

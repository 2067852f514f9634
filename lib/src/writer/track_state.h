// TrackState: what the writer keeps per input while writing: the parsed format, the timescale and the
// growing sample table.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "aw/asset_writer_input.h"
#include "codecs/track_format.h"
#include "tables/sample_table.h"

namespace aw {

struct TrackState {
  std::shared_ptr<AssetWriterInput> input;
  std::string name;  // for messages: "video_0"
  TrackFormat format;  // the first sample description
  // Descriptions 2, 3, ... from format changes mid-stream (AssetWriterInput::change_format: new parameter
  // sets, e.g. a resolution change), and the description of the samples appended now (1-based).
  std::vector<TrackFormat> later_formats;
  uint32_t description_index = 1;
  int32_t timescale = 0;
  SampleTable table;
  // From input groups and associations, resolved at start_writing().
  uint16_t alternate_group = 0;
  bool enabled = true;
  std::vector<std::pair<FourCC, uint32_t>> references;  // tref entries: type, referenced track id
  bool finished = false;
  // The chapter text track the writer adds at finish (AssetWriter::set_chapters): handler 'text', disabled.
  bool chapter_track = false;
  // The previous sample's decode time (media timescale), for the decode-order check.
  bool has_samples = false;
  int64_t last_dts = 0;
  int64_t last_duration_hint = -1;  // from the last sample's own duration, -1 when unknown
  int64_t pcm_next_dts = 0;         // PCM: where the last buffer's frames end
};

// How long a track's last sample lasts when nothing after it says: its own duration (`hint`), else as
// long as the sample before it (`previous`), else one tick of 1/30 s (a single-frame track) — never 0,
// which players read as "no duration".
int64_t last_sample_duration(int64_t hint, int64_t previous, int32_t timescale);

// The media timescale for a track: the input's own, else the audio sample rate, else 90 kHz for video
// (exact for every common frame rate: 90000 / (30000/1001) = 3003).
int32_t choose_media_timescale(const AssetWriterInput& input, const TrackFormat& format);

}  // namespace aw

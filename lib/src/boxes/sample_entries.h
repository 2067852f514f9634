// Sample entries: the stsd child describing a track's codec (VisualSampleEntry of ISO/IEC 14496-12 12.1.3,
// AudioSampleEntry of 12.2.3, and QuickTime's SoundDescription version 1 for .mov audio).
#pragma once

#include <cstdint>

#include "aw/media_types.h"
#include "boxes/box_writer.h"
#include "codecs/track_format.h"
#include "tables/bitrates.h"

namespace aw {

// What a sample entry needs besides the codec configuration, known only when the track is finished.
struct SampleEntryContext {
  uint16_t width = 0;  // the visual entry's (coded) size; audio ignores it
  uint16_t height = 0;
  Bitrates bitrates;  // measured over the track (esds, btrt); zero when unknown
};

// Writes the whole entry box (avc1/avc3/hvc1/hev1 with avcC/hvcC, or mp4a with esds) for `format`.
void write_sample_entry(BoxWriter& w, const TrackFormat& format, FileType file_type, const SampleEntryContext& context);

}  // namespace aw

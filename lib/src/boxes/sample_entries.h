// Sample entries: the stsd child describing a track's codec (VisualSampleEntry of ISO/IEC 14496-12 12.1.3,
// AudioSampleEntry of 12.2.3, and QuickTime's SoundDescription version 1 for .mov audio).
#pragma once

#include <cstdint>

#include "aw/media_types.h"
#include "boxes/box_writer.h"
#include "codecs/track_format.h"

namespace aw {

// Writes the whole entry box (avc1/avc3/hvc1/hev1 with avcC/hvcC, or mp4a with esds) for `format`.
// `width`/`height` are the visual entry's size (usually the track's natural size); audio ignores them.
void write_sample_entry(BoxWriter& w, const TrackFormat& format, FileType file_type, uint16_t width, uint16_t height);

}  // namespace aw

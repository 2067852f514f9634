// Uncompressed audio: the TrackFormat of a PCM layout, and which sample entry each container uses for it
// (ISO/IEC 23003-5 ipcm/fpcm with pcmC in ISO files; QuickTime's sowt/twos/in24/in32/fl32/fl64/raw, or
// SoundDescription version 2 'lpcm' for what those cannot say).
#pragma once

#include "aw/format_description.h"
#include "aw/fourcc.h"
#include "aw/status.h"
#include "codecs/track_format.h"

namespace aw {

Result<TrackFormat> make_pcm_track(const FormatDescription& format);

// The QuickTime sample entry for a PCM track: a version 0 fourcc when one names the layout and the rate and
// channels fit version 0 (at most 2 channels, rate below 65536), else 'lpcm' (version 2).
FourCC quicktime_pcm_entry(const TrackFormat& format);

// kAudioFormatFlag* bits of the 'lpcm' description (CoreAudio AudioStreamBasicDescription).
uint32_t lpcm_format_flags(const PcmLayout& pcm);

}  // namespace aw

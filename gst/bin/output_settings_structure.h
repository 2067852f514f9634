// A pad's `output-settings` (a caps-like GstStructure) ↔ aw::OutputSettings, and the caps the converters and
// the encoder must produce for them.
//
//   video/x-h265, bitrate=8000, key-frame-interval=60, profile=main, width=1280, height=720, quality=0.8
//   audio/mpeg, bitrate=128000, rate=48000, channels=2, profile=lc
//
// Units follow the GStreamer encoders users know: video bitrate in kbit/s (x264enc, x265enc), audio bitrate
// in bit/s (avenc_aac, voaacenc). "h264", "h265"/"hevc" and "aac" are accepted as short names.
#pragma once

#include <gst/gst.h>

#include <string>
#include <string_view>
#include <vector>

#include "aw/output_settings.h"
#include "aw/status.h"

namespace gstaw {

aw::Result<aw::OutputSettings> settings_from_structure(const GstStructure* structure);
aw::Result<aw::OutputSettings> settings_from_string(std::string_view text);
// The caps-like form of `settings`, in the units above; parses back to the same settings.
std::string settings_to_string(const aw::OutputSettings& settings);

// What the encoder must output: "video/x-h264" (+ profile), "video/x-h265" (+ profile), or
// "audio/mpeg, mpegversion=4" (+ profile). Owned by the caller.
GstCaps* encoded_caps(const aw::OutputSettings& settings);
// What the converters must deliver to the encoder: "video/x-raw" with width/height (and `format` when
// not empty), or "audio/x-raw" with rate/channels. Owned by the caller.
GstCaps* raw_caps(const aw::OutputSettings& settings, const char* format);
// The 8-bit or 10-bit 4:2:0 / 4:2:2 / 4:4:4 raw formats the profile asks for, most compatible first.
std::vector<std::string> raw_video_formats(const aw::OutputSettings& settings);

}  // namespace gstaw

// The segment-mode properties of assetwritersink (part of Settings, copied at start() like the rest), and
// send-keyframe-requests, which fragment mode follows too.
#pragma once

#include <gst/gst.h>

#include <string>

namespace gstaw {

// output-file-type-profile: AVFileTypeProfile.
enum class SegmentProfile : int { kAppleHls, kCmaf };
GType segment_profile_get_type();

struct SegmentSettings {
  GstClockTime interval = 0;  // 0: not segment mode
  SegmentProfile profile = SegmentProfile::kAppleHls;
  std::string init_location = "init.mp4";
  std::string playlist_location = "index.m3u8";
  std::string multivariant_location;
  guint playlist_length = 0;
  guint max_files = 0;
  bool program_date_time = false;
  bool one_track_per_header = false;
  GstClockTime max_duration = 0;  // 0: the library's default, three intervals
  // Keyframe requests and playlist options (issue 17).
  bool send_keyframe_requests = true;  // GstForceKeyUnit upstream at every segment or fragment boundary
};

}  // namespace gstaw

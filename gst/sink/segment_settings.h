// The segment-mode properties of assetwritersink (part of Settings, copied at start() like the rest), and
// send-keyframe-requests, which fragment mode follows too.
#pragma once

#include <gst/gst.h>

#include <string>

namespace gstaw {

// output-file-type-profile: AVFileTypeProfile.
enum class SegmentProfile : int { kAppleHls, kCmaf };
GType segment_profile_get_type();

// playlist-type: hlssink2's names; EVENT while every segment is listed, or VOD once the stream ended.
enum class PlaylistType : int { kEvent = 1, kVod = 2 };
GType playlist_type_get_type();

struct SegmentSettings {
  GstClockTime interval = 0;  // 0: not segment mode
  SegmentProfile profile = SegmentProfile::kAppleHls;
  std::string init_location;  // empty: init.mp4 beside the segments (the library's default)
  std::string playlist_location = "index.m3u8";
  std::string multivariant_location;
  guint playlist_length = 0;
  guint max_files = 0;
  bool program_date_time = false;
  bool one_track_per_header = false;
  GstClockTime max_duration = 0;  // 0: the library's default, three intervals
  // Keyframe requests and playlist options (issue 17).
  bool send_keyframe_requests = true;  // GstForceKeyUnit upstream at every segment or fragment boundary
  std::string playlist_root;           // URL prefix of every URI in the playlists; empty: relative URIs
  PlaylistType playlist_type = PlaylistType::kEvent;
  // Low-Latency HLS (issue 17): parts of about this duration (nanoseconds; 0: none), as byte ranges of
  // the growing segment file or (part_files) as files of their own.
  GstClockTime part_interval = 0;
  bool part_files = false;
  bool delta_playlists = false;  // CAN-SKIP-UNTIL and a delta playlist beside each media playlist
  std::string mpd_location;      // a DASH MPD of the same segments (issue 18); empty: none
};

}  // namespace gstaw

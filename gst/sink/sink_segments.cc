// Segment mode of assetwritersink: AVAssetWriter's init(contentType:) with the library's aw::HlsPackager as
// its delegate (it writes the init segment, media segments and HLS playlists); the element describes the
// tracks from its pads and caps and turns the packager's callbacks into messages, signals and errors.
#include "sink/sink_segments.h"

#include <gst/tag/tag.h>

#include "aw/codec_string.h"
#include "aw/hls_packager.h"
#include "convert/buffer_to_sample.h"
#include "sink/sink_private.h"
#include "sink/sink_storage.h"

#define GST_CAT_DEFAULT gst_asset_writer_sink_debug

namespace gstaw {
namespace {

enum SegmentProperty : guint {
  kPropSegmentInterval = kFirstSegmentProperty,
  kPropOutputFileTypeProfile,
  kPropInitLocation,
  kPropPlaylistLocation,
  kPropMultivariantPlaylistLocation,
  kPropPlaylistLength,
  kPropMaxFiles,
  kPropProgramDateTime,
  kPropOneTrackPerHeader,
  kPropMaxSegmentDuration,
  kPropSendKeyframeRequests,
  kPropPlaylistRoot,
  kPropPlaylistType,
  kPropPartInterval,
  kPropPartFiles,
  kPropDeltaPlaylists,
  kPropMpdLocation,
};

enum SegmentSignal { kSignalSegmentWritten, kSignalFlushSegment, kSignalPartPublished, kSignalCount };
guint signals[kSignalCount];

// Set while the packager's callbacks run: they hold the writer's lock, so flush-segment from a
// segment-written handler would deadlock; it is refused instead.
thread_local bool in_segment_callback = false;

class CallbackScope {
 public:
  CallbackScope() { in_segment_callback = true; }
  ~CallbackScope() { in_segment_callback = false; }
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;
};

const char* media_type_name(aw::MediaType type) { return type == aw::MediaType::kVideo ? "video" : "audio"; }

// "tracks": one structure per track of the AVAssetSegmentReport.
GValue track_reports(const aw::SegmentReport& report) {
  GValue tracks = G_VALUE_INIT;
  gst_value_list_init(&tracks, report.tracks.size());
  for (const aw::SegmentTrackReport& track : report.tracks) {
    uint64_t bytes = 0;
    for (const auto& range : track.data_ranges) bytes += range.second;
    GstStructure* s = gst_structure_new("track", "track-id", G_TYPE_UINT, track.track_id, "media-type", G_TYPE_STRING,
                                        media_type_name(track.media_type), "earliest-presentation-time", G_TYPE_UINT64,
                                        to_clock_time(track.earliest_presentation_time), "duration", G_TYPE_UINT64,
                                        to_clock_time(track.duration), "first-sample-is-sync", G_TYPE_BOOLEAN,
                                        track.first_sample_is_sync, "sample-count", G_TYPE_UINT, track.sample_count,
                                        "data-size", G_TYPE_UINT64, bytes, nullptr);
    GValue value = G_VALUE_INIT;
    g_value_init(&value, GST_TYPE_STRUCTURE);
    g_value_take_boxed(&value, s);
    gst_value_list_append_and_take_value(&tracks, &value);
  }
  return tracks;
}

void post_init_written(GstAssetWriterSink* self, const std::string& location, uint64_t size) {
  GstStructure* s =
      gst_structure_new("assetwritersink-segment", "type", G_TYPE_STRING, "initialization", "location", G_TYPE_STRING,
                        location.c_str(), "size", G_TYPE_UINT64, static_cast<guint64>(size), nullptr);
  gst_element_post_message(GST_ELEMENT(self), gst_message_new_element(GST_OBJECT(self), s));
}

void segment_written(GstAssetWriterSink* self, const aw::HlsWrittenSegment& segment) {
  GstStructure* s = gst_structure_new(
      "assetwritersink-segment", "type", G_TYPE_STRING, "separable", "rendition", G_TYPE_STRING,
      segment.rendition.c_str(), "location", G_TYPE_STRING, segment.location.c_str(), "uri", G_TYPE_STRING,
      segment.uri.c_str(), "index", G_TYPE_UINT64, static_cast<guint64>(segment.index), "sequence-number", G_TYPE_UINT,
      segment.report.sequence_number, "running-time", G_TYPE_UINT64,
      static_cast<guint64>(std::max<int64_t>(segment.start_ns, 0)), "duration", G_TYPE_UINT64,
      static_cast<guint64>(segment.duration_ns), "size", G_TYPE_UINT64, static_cast<guint64>(segment.size), nullptr);
  GValue tracks = track_reports(segment.report);
  gst_structure_take_value(s, "tracks", &tracks);
  gst_element_post_message(GST_ELEMENT(self), gst_message_new_element(GST_OBJECT(self), s));
  g_signal_emit(self, signals[kSignalSegmentWritten], 0, segment.location.c_str(), static_cast<guint64>(segment.index),
                static_cast<guint64>(segment.duration_ns), static_cast<guint64>(segment.size));
}

// A part on disk and named by its playlist (Low-Latency HLS): the element message, then the signal a media
// server releases its blocked playlist requests from.
void part_published(GstAssetWriterSink* self, const aw::HlsPublishedPart& part) {
  GstStructure* s = gst_structure_new(
      "assetwritersink-part", "rendition", G_TYPE_STRING, part.rendition.c_str(), "location", G_TYPE_STRING,
      part.location.c_str(), "uri", G_TYPE_STRING, part.uri.c_str(), "sequence", G_TYPE_UINT64,
      static_cast<guint64>(part.media_sequence), "part", G_TYPE_UINT, part.part, "offset", G_TYPE_UINT64,
      static_cast<guint64>(part.offset), "size", G_TYPE_UINT64, static_cast<guint64>(part.size), "duration",
      G_TYPE_UINT64, static_cast<guint64>(std::max<int64_t>(part.duration_ns, 0)), "independent", G_TYPE_BOOLEAN,
      part.independent, nullptr);
  gst_element_post_message(GST_ELEMENT(self), gst_message_new_element(GST_OBJECT(self), s));
  g_signal_emit(self, signals[kSignalPartPublished], 0, part.rendition.c_str(),
                static_cast<guint64>(part.media_sequence), part.part, part.playlist.c_str());
}

bool is_realtime_system_clock(GstClock* clock) {
  if (!GST_IS_SYSTEM_CLOCK(clock)) return false;
  GstClockType type = GST_CLOCK_TYPE_MONOTONIC;
  g_object_get(clock, "clock-type", &type, nullptr);
  return type == GST_CLOCK_TYPE_REALTIME;
}

// EXT-X-PROGRAM-DATE-TIME of a segment or part starting at running time `media_ns`: on a realtime system
// clock the pipeline's own time (base time + running time) is the wall clock; on any other clock the
// mapping read when writing started carries the running time over to the wall clock.
int64_t wall_clock_us_at(GstAssetWriterSink* self, int64_t media_ns) {
  GstClock* clock = gst_element_get_clock(GST_ELEMENT(self));
  const bool realtime = clock && is_realtime_system_clock(clock);
  if (clock) gst_object_unref(clock);
  if (realtime) return static_cast<int64_t>((gst_element_get_base_time(GST_ELEMENT(self)) + media_ns) / 1000);
  const auto& anchor = impl(self).state.wall_clock_anchor;
  if (!anchor) return g_get_real_time();
  return anchor->second + (media_ns - static_cast<int64_t>(anchor->first)) / 1000;
}

// The MPD's audioSamplingRate and AudioChannelConfiguration come from the audio caps (rate, channels).
void describe_audio(const GstStructure* s, aw::HlsTrackDescription& description) {
  if (!g_str_has_prefix(gst_structure_get_name(s), "audio/")) return;
  gint rate = 0, channels = 0;
  if (gst_structure_get_int(s, "rate", &rate) && rate > 0) description.sample_rate = static_cast<uint32_t>(rate);
  if (gst_structure_get_int(s, "channels", &channels) && channels > 0) {
    description.channels = static_cast<uint32_t>(channels);
  }
}

// What the multivariant playlist says about a track: its rendition name (the pad's), the library's RFC 6381
// codec string, its language, and the picture size and rate from the pad's caps. Runs inside the writer's
// delivery of the track's header, with the element's state lock held (the writer and its inputs exist).
aw::HlsTrackDescription describe_track(GstAssetWriterSink* self, uint32_t track_id) {
  aw::HlsTrackDescription description;
  const State& state = impl(self).state;
  if (!state.writer || track_id == 0 || track_id > state.writer->inputs().size()) return description;
  const std::shared_ptr<aw::AssetWriterInput>& input = state.writer->inputs()[track_id - 1];
  description.name = input->name;
  description.media_type = input->media_type();
  if (auto codec = aw::codec_string(input->source_format())) {
    description.codec = *codec;
  } else {
    GST_WARNING_OBJECT(self, "%s: no codec string (%s): the multivariant playlist has no CODECS", input->name.c_str(),
                       codec.status().message().c_str());
  }
  if (input->language_code != "und") {
    if (const gchar* iso = gst_tag_get_language_code_iso_639_1(input->language_code.c_str())) {
      description.language = iso;
    }
  }
  GstPad* pad = gst_element_get_static_pad(GST_ELEMENT(self), input->name.c_str());
  GstCaps* caps = pad ? gst_pad_get_current_caps(pad) : nullptr;
  if (caps) {
    const GstStructure* s = gst_caps_get_structure(caps, 0);
    gint width = 0, height = 0, num = 0, den = 0;
    if (g_str_has_prefix(gst_structure_get_name(s), "video/") && gst_structure_get_int(s, "width", &width) &&
        gst_structure_get_int(s, "height", &height) && width > 0 && height > 0) {
      description.resolution = {static_cast<uint32_t>(width), static_cast<uint32_t>(height)};
      if (gst_structure_get_fraction(s, "framerate", &num, &den) && num > 0 && den > 0) {
        description.frame_rate = static_cast<double>(num) / den;
      }
    }
    describe_audio(s, description);
    gst_caps_unref(caps);
  }
  if (pad) gst_object_unref(pad);
  return description;
}

gboolean flush_segment_action(GstAssetWriterSink* self) {
  if (in_segment_callback) {
    GST_WARNING_OBJECT(self, "flush-segment from a segment-written handler is ignored (the writer is busy)");
    return FALSE;
  }
  std::lock_guard<std::mutex> guard(impl(self).lock);
  State& state = impl(self).state;
  if (!state.packager || !state.writing || state.done || state.failed) {
    GST_DEBUG_OBJECT(self, "flush-segment: not writing segments");
    return FALSE;
  }
  if (aw::Status status = state.writer->flush_segment(); !status) {
    GST_WARNING_OBJECT(self, "flush-segment: %s", status.message().c_str());
    return FALSE;
  }
  return TRUE;
}

std::string string_or_empty(const GValue* value) {
  const gchar* text = g_value_get_string(value);
  return text ? text : "";
}

void set_string_or_null(GValue* value, const std::string& text) {
  g_value_set_string(value, text.empty() ? nullptr : text.c_str());
}

}  // namespace

GType segment_profile_get_type() {
  static const GEnumValue values[] = {
      {static_cast<gint>(SegmentProfile::kAppleHls), "Apple HLS fMP4 (one header for all tracks)", "apple-hls"},
      {static_cast<gint>(SegmentProfile::kCmaf),
       "CMAF (ISO/IEC 23000-19): styp per segment, cmfc/cmf2 brands when each header holds one track", "cmaf"},
      {0, nullptr, nullptr},
  };
  static const GType type = g_enum_register_static("GstAssetWriterSegmentProfile", values);
  return type;
}

GType playlist_type_get_type() {
  static const GEnumValue values[] = {
      {static_cast<gint>(PlaylistType::kEvent), "EVENT while every segment is listed", "event"},
      {static_cast<gint>(PlaylistType::kVod), "VOD at EOS (EVENT until then)", "vod"},
      {0, nullptr, nullptr},
  };
  static const GType type = g_enum_register_static("GstAssetWriterPlaylistType", values);
  return type;
}

void install_segment_properties(GObjectClass* gobject_class, GParamFlags flags) {
  g_object_class_install_property(
      gobject_class, kPropSegmentInterval,
      g_param_spec_uint64("segment-interval", "Segment interval",
                          "Segment mode: write fMP4 segments of about this duration (nanoseconds, cut at the "
                          "first keyframe at or after it) named by the location pattern, an init segment and "
                          "HLS playlists, instead of one movie file. 0: write a movie file",
                          0, G_MAXUINT64, 0, flags));
  g_object_class_install_property(
      gobject_class, kPropOutputFileTypeProfile,
      g_param_spec_enum("output-file-type-profile", "Output file type profile",
                        "Segment mode: Apple HLS fMP4 segments, or CMAF-compliant ones (for DASH/CMAF and HLS)",
                        segment_profile_get_type(), static_cast<gint>(SegmentProfile::kAppleHls), flags));
  g_object_class_install_property(
      gobject_class, kPropInitLocation,
      g_param_spec_string("init-location", "Init segment location",
                          "Segment mode: file of the initialization segment (ftyp+moov), named by EXT-X-MAP. "
                          "NULL: init.mp4 in the directory of location",
                          nullptr, flags));
  g_object_class_install_property(
      gobject_class, kPropPlaylistLocation,
      g_param_spec_string("playlist-location", "Playlist location",
                          "Segment mode: the HLS media playlist, rewritten atomically after each segment; "
                          "segment and init URIs are relative to its directory. NULL: no playlist",
                          "index.m3u8", flags));
  g_object_class_install_property(
      gobject_class, kPropMultivariantPlaylistLocation,
      g_param_spec_string("multivariant-playlist-location", "Multivariant playlist location",
                          "Segment mode: an HLS multivariant (master) playlist pointing at the media playlist, "
                          "with CODECS of every track, BANDWIDTH (peak segment bit rate) and RESOLUTION. "
                          "NULL: none",
                          nullptr, flags));
  g_object_class_install_property(
      gobject_class, kPropPlaylistLength,
      g_param_spec_uint("playlist-length", "Playlist length",
                        "Segment mode: segments listed in the playlist, a live sliding window; 0: all of them "
                        "(an EVENT playlist)",
                        0, G_MAXUINT, 0, flags));
  g_object_class_install_property(
      gobject_class, kPropMaxFiles,
      g_param_spec_uint("max-files", "Max files",
                        "Segment mode: segment files kept on disk; older ones are deleted (never fewer than "
                        "playlist-length are kept). File rotation: movie files kept, the one being written "
                        "included. 0: keep all",
                        0, G_MAXUINT, 0, flags));
  g_object_class_install_property(
      gobject_class, kPropProgramDateTime,
      g_param_spec_boolean("program-date-time", "Program date time",
                           "Segment mode: tag every segment with EXT-X-PROGRAM-DATE-TIME (wall clock of its "
                           "first sample)",
                           FALSE, flags));
  g_object_class_install_property(
      gobject_class, kPropOneTrackPerHeader,
      g_param_spec_boolean("one-track-per-header", "One track per header",
                           "Segment mode: every track gets its own init segment, segments and media playlist "
                           "(CMAF tracks; HLS renditions), named by location, init-location and "
                           "playlist-location with %s replaced by the pad name (e.g. %s/segment%05d.m4s); the "
                           "multivariant playlist lists audio as EXT-X-MEDIA renditions of the video variants",
                           FALSE, flags));
  g_object_class_install_property(
      gobject_class, kPropMaxSegmentDuration,
      g_param_spec_uint64("max-segment-duration", "Maximum segment duration",
                          "Segment mode: a segment that reached this duration (nanoseconds) without a keyframe is "
                          "cut anyway within it, and the next one starts without a keyframe (the playlists then "
                          "drop EXT-X-INDEPENDENT-SEGMENTS). 0: three segment intervals",
                          0, G_MAXUINT64, 0, flags));
  // Keyframe requests and playlist options (issue 17)
  g_object_class_install_property(
      gobject_class, kPropSendKeyframeRequests,
      g_param_spec_boolean("send-keyframe-requests", "Send keyframe requests",
                           "Segment and fragment modes: ask upstream for a keyframe (GstForceKeyUnit) at every "
                           "segment-interval (or fragment-interval), so segments are cut where they should be "
                           "even when the encoder's own keyframe interval differs; file rotation: at each "
                           "max-file-duration cut and split-at-running-time",
                           TRUE, flags));
  g_object_class_install_property(
      gobject_class, kPropPlaylistRoot,
      g_param_spec_string("playlist-root", "Playlist root",
                          "Segment mode: URL prefix of every URI in the playlists (segments, EXT-X-MAP, the "
                          "multivariant playlist's media playlists), e.g. https://cdn.example/live. NULL: URIs "
                          "relative to the playlist",
                          nullptr, flags));
  g_object_class_install_property(
      gobject_class, kPropPlaylistType,
      g_param_spec_enum("playlist-type", "Playlist type",
                        "Segment mode: EXT-X-PLAYLIST-TYPE of the media playlists: event (EVENT while every "
                        "segment is listed, none with a playlist-length window) or vod (EVENT while writing, VOD "
                        "at EOS; needs playlist-length 0)",
                        playlist_type_get_type(), static_cast<gint>(PlaylistType::kEvent), flags));
  // Low-Latency HLS (issue 17)
  g_object_class_install_property(
      gobject_class, kPropPartInterval,
      g_param_spec_uint64("part-interval", "Part interval",
                          "Segment mode: Low-Latency HLS. Each segment is cut into parts (CMAF chunks, "
                          "moof+mdat) of at most this duration (nanoseconds; on any frame), each published as "
                          "soon as it is written with EXT-X-PART, EXT-X-PRELOAD-HINT and blocking reload "
                          "support in the playlist. Keyframes are still asked for at segment boundaries only. "
                          "0: no parts",
                          0, G_MAXUINT64, 0, flags));
  g_object_class_install_property(
      gobject_class, kPropPartFiles,
      g_param_spec_boolean("part-files", "Part files",
                           "Segment mode with part-interval: each part is a file of its own "
                           "(segment00005.2.m4s for part 2 of segment00005.m4s) instead of a byte range of the "
                           "segment file, which then grows part by part",
                           FALSE, flags));
  g_object_class_install_property(
      gobject_class, kPropDeltaPlaylists,
      g_param_spec_boolean("delta-playlists", "Delta playlists",
                           "Segment mode: playlist delta updates. Each media playlist says CAN-SKIP-UNTIL (six "
                           "target durations) and has a delta playlist beside it (index-delta.m3u8 for "
                           "index.m3u8) whose older segments are one EXT-X-SKIP, for a server to answer "
                           "_HLS_skip=YES requests with (tools/hls-origin.py does)",
                           FALSE, flags));
  // DASH (issue 18)
  g_object_class_install_property(
      gobject_class, kPropMpdLocation,
      g_param_spec_string("mpd-location", "MPD location",
                          "Segment mode: a DASH MPD of the same CMAF segments, rewritten atomically after each "
                          "segment (dynamic while writing; at EOS static with playlist-type vod, else an ended "
                          "dynamic MPD). Needs one-track-per-header. NULL: no MPD",
                          nullptr, flags));
}

bool set_segment_property(SegmentSettings& settings, guint id, const GValue* value) {
  switch (id) {
    case kPropSegmentInterval: settings.interval = g_value_get_uint64(value); return true;
    case kPropOutputFileTypeProfile:
      settings.profile = static_cast<SegmentProfile>(g_value_get_enum(value));
      return true;
    case kPropInitLocation: settings.init_location = string_or_empty(value); return true;
    case kPropPlaylistLocation: settings.playlist_location = string_or_empty(value); return true;
    case kPropMultivariantPlaylistLocation: settings.multivariant_location = string_or_empty(value); return true;
    case kPropPlaylistLength: settings.playlist_length = g_value_get_uint(value); return true;
    case kPropMaxFiles: settings.max_files = g_value_get_uint(value); return true;
    case kPropProgramDateTime: settings.program_date_time = g_value_get_boolean(value); return true;
    case kPropOneTrackPerHeader: settings.one_track_per_header = g_value_get_boolean(value); return true;
    case kPropMaxSegmentDuration: settings.max_duration = g_value_get_uint64(value); return true;
    case kPropSendKeyframeRequests: settings.send_keyframe_requests = g_value_get_boolean(value); return true;
    case kPropPlaylistRoot: settings.playlist_root = string_or_empty(value); return true;
    case kPropPlaylistType: settings.playlist_type = static_cast<PlaylistType>(g_value_get_enum(value)); return true;
    case kPropPartInterval: settings.part_interval = g_value_get_uint64(value); return true;
    case kPropPartFiles: settings.part_files = g_value_get_boolean(value); return true;
    case kPropDeltaPlaylists: settings.delta_playlists = g_value_get_boolean(value); return true;
    case kPropMpdLocation: settings.mpd_location = string_or_empty(value); return true;
    default: return false;
  }
}

bool get_segment_property(const SegmentSettings& settings, guint id, GValue* value) {
  switch (id) {
    case kPropSegmentInterval: g_value_set_uint64(value, settings.interval); return true;
    case kPropOutputFileTypeProfile: g_value_set_enum(value, static_cast<gint>(settings.profile)); return true;
    case kPropInitLocation: set_string_or_null(value, settings.init_location); return true;
    case kPropPlaylistLocation: set_string_or_null(value, settings.playlist_location); return true;
    case kPropMultivariantPlaylistLocation: set_string_or_null(value, settings.multivariant_location); return true;
    case kPropPlaylistLength: g_value_set_uint(value, settings.playlist_length); return true;
    case kPropMaxFiles: g_value_set_uint(value, settings.max_files); return true;
    case kPropProgramDateTime: g_value_set_boolean(value, settings.program_date_time); return true;
    case kPropOneTrackPerHeader: g_value_set_boolean(value, settings.one_track_per_header); return true;
    case kPropMaxSegmentDuration: g_value_set_uint64(value, settings.max_duration); return true;
    case kPropSendKeyframeRequests: g_value_set_boolean(value, settings.send_keyframe_requests); return true;
    case kPropPlaylistRoot: set_string_or_null(value, settings.playlist_root); return true;
    case kPropPlaylistType: g_value_set_enum(value, static_cast<gint>(settings.playlist_type)); return true;
    case kPropPartInterval: g_value_set_uint64(value, settings.part_interval); return true;
    case kPropPartFiles: g_value_set_boolean(value, settings.part_files); return true;
    case kPropDeltaPlaylists: g_value_set_boolean(value, settings.delta_playlists); return true;
    case kPropMpdLocation: set_string_or_null(value, settings.mpd_location); return true;
    default: return false;
  }
}

void install_segment_signals(GObjectClass* gobject_class) {
  const GType type = G_TYPE_FROM_CLASS(gobject_class);
  // segment-written(location, index, duration ns, size bytes): emitted from the streaming thread once the
  // segment and the playlists are on disk and before files leaving the live window are deleted, so a
  // handler may upload the file. The element message "assetwritersink-segment" carries the full report.
  signals[kSignalSegmentWritten] =
      g_signal_new("segment-written", type, G_SIGNAL_RUN_LAST, 0, nullptr, nullptr, nullptr, G_TYPE_NONE, 4,
                   G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_UINT64, G_TYPE_UINT64);
  // flush-segment() → gboolean: ends the current segment at the next keyframe (AVAssetWriter.flushSegment).
  signals[kSignalFlushSegment] =
      g_signal_new_class_handler("flush-segment", type, static_cast<GSignalFlags>(G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION),
                                 G_CALLBACK(flush_segment_action), nullptr, nullptr, nullptr, G_TYPE_BOOLEAN, 0);
  // part-published(rendition, media sequence number, part index, playlist text): emitted from the streaming
  // thread once a part is on disk and the media playlist naming it is written, so a server can answer the
  // blocked "?_HLS_msn=N&_HLS_part=M" requests it can now satisfy. The rendition is the pad name with
  // one-track-per-header, else empty. The element message "assetwritersink-part" says where its bytes are.
  signals[kSignalPartPublished] =
      g_signal_new("part-published", type, G_SIGNAL_RUN_LAST, 0, nullptr, nullptr, nullptr, G_TYPE_NONE, 4,
                   G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_UINT, G_TYPE_STRING);
  gst_type_mark_as_plugin_api(segment_profile_get_type(), static_cast<GstPluginAPIFlags>(0));
  gst_type_mark_as_plugin_api(playlist_type_get_type(), static_cast<GstPluginAPIFlags>(0));
}

std::string segment_conflict(const Settings& settings) {
  const SegmentSettings& seg = settings.segments;
  if (!segment_mode(settings) || seg.mpd_location.empty() || seg.one_track_per_header) return {};
  return "mpd-location needs one-track-per-header=true: a DASH AdaptationSet holds one media type, so each "
         "track needs its own init segment and segments";
}

aw::Result<std::unique_ptr<aw::AssetWriter>> create_segment_writer(GstAssetWriterSink* self, State& state) {
  const Settings& settings = state.settings;
  const SegmentSettings& seg = settings.segments;
  aw::HlsPackagerConfig config;
  if (!settings.location.empty()) config.segment_pattern = settings.location;
  config.init_location = seg.init_location;
  config.playlist_location = seg.playlist_location;
  config.multivariant_location = seg.multivariant_location;
  config.playlist_length = seg.playlist_length;
  config.max_files = seg.max_files;
  config.program_date_time = seg.program_date_time;
  config.sync = settings.sync_fragments == SyncFragments::kOn;  // automatic: set when writing starts
  config.segment_interval_ns = seg.interval == GST_CLOCK_TIME_NONE ? 0 : static_cast<int64_t>(seg.interval);
  config.one_track_per_header = seg.one_track_per_header;
  config.playlist_root = seg.playlist_root;
  config.playlist_type = seg.playlist_type == PlaylistType::kVod ? aw::HlsPackagerConfig::PlaylistType::kVod
                                                                 : aw::HlsPackagerConfig::PlaylistType::kEvent;
  const bool parts = seg.part_interval > 0 && seg.part_interval != GST_CLOCK_TIME_NONE;
  config.part_interval_ns = parts ? static_cast<int64_t>(seg.part_interval) : 0;
  config.part_files = seg.part_files;
  config.delta_updates = seg.delta_playlists;
  config.mpd_location = seg.mpd_location;
  // get-init-stream, get-fragment-stream, get-playlist-stream, delete-fragment, else local files.
  config.storage = create_sink_storage(self, config.sync);

  // The callbacks run inside the writer's append/flush/finish, all called with the state lock held.
  aw::HlsPackager::Callbacks callbacks;
  callbacks.describe_track = [self](uint32_t track_id) { return describe_track(self, track_id); };
  callbacks.init_written = [self](const std::string& location, uint64_t size) {
    CallbackScope scope;
    post_init_written(self, location, size);
  };
  callbacks.segment_written = [self](const aw::HlsWrittenSegment& segment) {
    CallbackScope scope;
    segment_written(self, segment);
  };
  callbacks.part_published = [self](const aw::HlsPublishedPart& part) {
    CallbackScope scope;
    part_published(self, part);
  };
  callbacks.wall_clock_us_at = [self](int64_t media_ns) { return wall_clock_us_at(self, media_ns); };
  auto packager = aw::HlsPackager::create(std::move(config), std::move(callbacks));
  if (!packager) return packager.status();

  auto writer = aw::AssetWriter::create_for_segments(state.file_type, **packager);
  if (!writer) return writer.status();
  // G_MAXUINT64 (GST_CLOCK_TIME_NONE) asks for segments only flush-segment ends.
  const aw::Time interval = seg.interval == GST_CLOCK_TIME_NONE ? aw::Time::positive_infinity()
                                                                : to_aw_time(static_cast<int64_t>(seg.interval));
  const aw::FileTypeProfile profile = seg.profile == SegmentProfile::kCmaf ? aw::FileTypeProfile::kMpeg4CmafCompliant
                                                                           : aw::FileTypeProfile::kMpeg4AppleHls;
  AW_RETURN_IF_ERROR((*writer)->set_preferred_output_segment_interval(interval));
  AW_RETURN_IF_ERROR((*writer)->set_output_file_type_profile(profile));
  AW_RETURN_IF_ERROR((*writer)->set_one_track_per_header(seg.one_track_per_header));
  if (seg.max_duration > 0 && seg.max_duration != GST_CLOCK_TIME_NONE) {
    AW_RETURN_IF_ERROR((*writer)->set_maximum_segment_duration(to_aw_time(static_cast<int64_t>(seg.max_duration))));
  }
  if (parts) {
    AW_RETURN_IF_ERROR(
        (*writer)->set_preferred_output_part_interval(to_aw_time(static_cast<int64_t>(seg.part_interval))));
  }
  state.packager = std::move(packager).value();
  return writer;
}

std::optional<std::pair<GstClockTime, gint64>> running_time_and_wall_clock(GstAssetWriterSink* self) {
  GstClock* clock = gst_element_get_clock(GST_ELEMENT(self));
  if (!clock) return std::nullopt;
  const GstClockTime now = gst_clock_get_time(clock);
  const gint64 wall = g_get_real_time();
  gst_object_unref(clock);
  const GstClockTime base = gst_element_get_base_time(GST_ELEMENT(self));
  if (now < base) return std::nullopt;
  return std::make_pair(now - base, wall);
}

}  // namespace gstaw

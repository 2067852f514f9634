// assetwritersink in segment mode: properties, the files and playlists it writes, the per-segment signal
// and element message, atomic files, the live window and flush-segment, through GstHarness.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "element_fixture.h"

namespace gstaw::test {
namespace {

namespace fs = std::filesystem;

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The URIs a media playlist lists, or an error when it is not a well-formed playlist of ours.
struct ParsedPlaylist {
  std::string error;
  std::vector<std::string> uris;
  std::vector<double> durations;
  uint64_t media_sequence = 0;
  uint64_t target_duration = 0;
  bool ended = false;
};

ParsedPlaylist parse_playlist(const std::string& text) {
  ParsedPlaylist p;
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != "#EXTM3U") p.error = "no #EXTM3U first line";
  bool saw_map = false, pending_extinf = false;
  while (p.error.empty() && std::getline(in, line)) {
    if (line.starts_with("#EXT-X-TARGETDURATION:")) {
      p.target_duration = std::stoull(line.substr(22));
    } else if (line.starts_with("#EXT-X-MEDIA-SEQUENCE:")) {
      p.media_sequence = std::stoull(line.substr(22));
    } else if (line.starts_with("#EXT-X-MAP:URI=\"")) {
      saw_map = true;
    } else if (line.starts_with("#EXTINF:")) {
      p.durations.push_back(std::stod(line.substr(8)));
      pending_extinf = true;
    } else if (line == "#EXT-X-ENDLIST") {
      p.ended = true;
    } else if (!line.empty() && line[0] != '#') {
      if (!pending_extinf) p.error = "URI without #EXTINF: " + line;
      p.uris.push_back(line);
      pending_extinf = false;
    }
  }
  if (p.error.empty() && pending_extinf) p.error = "#EXTINF without URI (truncated?)";
  if (p.error.empty() && !saw_map) p.error = "no #EXT-X-MAP";
  if (p.error.empty() && !text.ends_with("\n")) p.error = "does not end with a newline";
  return p;
}

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct SegmentSignal {
  std::string location;
  guint64 index, duration, size;
  ParsedPlaylist playlist_then;  // the playlist as a reader saw it when the signal fired
  std::vector<std::string> files_then;
};

class SegmentsTest : public ElementTest {
 protected:
  void SetUp() override {
    ElementTest::SetUp();
    dir_path_ = fs::path(dir_.path("x")).parent_path().string();
    g_signal_connect(element_, "segment-written", G_CALLBACK(on_segment_written), this);
    gst_bus_set_sync_handler(bus_, on_bus_message, this, nullptr);
  }

  void segment_mode(GstClockTime interval) {
    g_object_set(element_, "segment-interval", interval, "location", dir_.path("segment%05d.m4s").c_str(),
                 "init-location", dir_.path("init.mp4").c_str(), "playlist-location", dir_.path("index.m3u8").c_str(),
                 "sync-fragments", FALSE, nullptr);
  }

  // Pushes the stream and EOS; returns the EOS or ERROR message's type.
  GstMessageType run(const EncodedStream& stream) {
    GstHarness* h = harness("video_%u");
    EXPECT_EQ(push_stream(h, stream), GST_FLOW_OK);
    gst_harness_push_event(h, gst_event_new_eos());
    const BusMessage said = next(GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    if (said.type == GST_MESSAGE_ERROR) ADD_FAILURE() << said.text;
    return said.type;
  }

  static void on_segment_written(GstElement*, const gchar* location, guint64 index, guint64 duration, guint64 size,
                                 gpointer data) {
    auto* self = static_cast<SegmentsTest*>(data);
    SegmentSignal s{location,
                    index,
                    duration,
                    size,
                    parse_playlist(read_text(self->dir_.path("index.m3u8"))),
                    names_in(self->dir_path_)};
    std::lock_guard<std::mutex> guard(self->mutex_);
    self->signals_.push_back(std::move(s));
  }

  static GstBusSyncReply on_bus_message(GstBus*, GstMessage* message, gpointer data) {
    auto* self = static_cast<SegmentsTest*>(data);
    const GstStructure* s = gst_message_get_structure(message);
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ELEMENT && gst_structure_has_name(s, "assetwritersink-segment")) {
      std::lock_guard<std::mutex> guard(self->mutex_);
      self->messages_.push_back(gst_structure_copy(s));
    }
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ELEMENT && gst_structure_has_name(s, "assetwritersink-part")) {
      std::lock_guard<std::mutex> guard(self->mutex_);
      self->part_messages_.push_back(gst_structure_copy(s));
    }
    return GST_BUS_PASS;
  }

  void TearDown() override {
    ElementTest::TearDown();
    for (GstStructure* s : messages_) gst_structure_free(s);
    for (GstStructure* s : part_messages_) gst_structure_free(s);
  }

  std::string dir_path_;
  std::mutex mutex_;
  std::vector<SegmentSignal> signals_;
  std::vector<GstStructure*> messages_;
  std::vector<GstStructure*> part_messages_;
};

// part-published as a server hears it: the playlist text, and whether the file on disk then said the same.
struct PublishedPart {
  std::string rendition;
  guint64 msn = 0;
  guint part = 0;
  std::string playlist;
  bool on_disk = false;
};

void on_part_published(GstElement*, const gchar* rendition, guint64 msn, guint part, const gchar* playlist,
                       gpointer data) {
  auto* parts = static_cast<std::pair<std::string, std::vector<PublishedPart>>*>(data);
  parts->second.push_back({rendition, msn, part, playlist, read_text(parts->first) == playlist});
}

TEST_F(SegmentsTest, properties_have_hls_defaults_and_round_trip) {
  guint64 interval = 1;
  gchar *init = nullptr, *playlist = nullptr, *multivariant = nullptr;
  guint length = 1, max_files = 1;
  gboolean pdt = TRUE;
  gint profile = -1;
  g_object_get(element_, "segment-interval", &interval, "init-location", &init, "playlist-location", &playlist,
               "multivariant-playlist-location", &multivariant, "playlist-length", &length, "max-files", &max_files,
               "program-date-time", &pdt, "output-file-type-profile", &profile, nullptr);
  gchar* root = nullptr;
  gint type = -1;
  gboolean requests = FALSE;
  g_object_get(element_, "playlist-root", &root, "playlist-type", &type, "send-keyframe-requests", &requests,
               nullptr);
  EXPECT_EQ(interval, 0u);
  EXPECT_EQ(init, nullptr);  // init.mp4 beside the segments
  EXPECT_EQ(root, nullptr);
  EXPECT_EQ(type, 1);  // event
  EXPECT_TRUE(requests);
  EXPECT_STREQ(playlist, "index.m3u8");
  EXPECT_EQ(multivariant, nullptr);
  EXPECT_EQ(length, 0u);
  EXPECT_EQ(max_files, 0u);
  EXPECT_FALSE(pdt);
  EXPECT_EQ(profile, 0);
  g_free(init);
  g_free(playlist);

  gst_util_set_object_arg(G_OBJECT(element_), "output-file-type-profile", "cmaf");
  g_object_set(element_, "segment-interval", 4 * GST_SECOND, "playlist-length", 5u, "max-files", 10u,
               "multivariant-playlist-location", "main.m3u8", nullptr);
  g_object_get(element_, "segment-interval", &interval, "playlist-length", &length, "max-files", &max_files,
               "multivariant-playlist-location", &multivariant, "output-file-type-profile", &profile, nullptr);
  EXPECT_EQ(interval, 4 * GST_SECOND);
  EXPECT_EQ(length, 5u);
  EXPECT_EQ(max_files, 10u);
  EXPECT_STREQ(multivariant, "main.m3u8");
  EXPECT_EQ(profile, 1);
  g_free(multivariant);
}

TEST_F(SegmentsTest, writes_init_segments_and_an_ended_playlist_with_one_signal_and_message_per_segment) {
  EncodedStream stream = h264_stream(60);  // 2 s, a keyframe every 10 frames
  ASSERT_NE(stream.caps, nullptr);
  segment_mode(600 * GST_MSECOND);  // cut at the first keyframe at or after: every 20 frames
  ASSERT_EQ(run(stream), GST_MESSAGE_EOS);

  EXPECT_EQ(names_in(dir_path_), (std::vector<std::string>{"index.m3u8", "init.mp4", "segment00000.m4s",
                                                           "segment00001.m4s", "segment00002.m4s"}));
  ParsedPlaylist playlist = parse_playlist(read_text(dir_.path("index.m3u8")));
  ASSERT_EQ(playlist.error, "");
  EXPECT_TRUE(playlist.ended);
  EXPECT_EQ(playlist.uris, (std::vector<std::string>{"segment00000.m4s", "segment00001.m4s", "segment00002.m4s"}));
  double total = 0;
  for (double d : playlist.durations) total += d;
  EXPECT_NEAR(total, 2.0, 0.002);  // three 0.667 s entries
  EXPECT_EQ(playlist.target_duration, 1u);
  EXPECT_EQ(top_level_boxes(dir_.path("init.mp4")), (std::vector<std::string>{"ftyp", "moov"}));
  EXPECT_EQ(top_level_boxes(dir_.path("segment00001.m4s")), (std::vector<std::string>{"moof", "mdat"}));

  std::lock_guard<std::mutex> guard(mutex_);
  ASSERT_EQ(signals_.size(), 3u);
  for (guint64 i = 0; i < signals_.size(); ++i) {
    char name[32];
    g_snprintf(name, sizeof name, "segment%05u.m4s", static_cast<unsigned>(i));
    EXPECT_EQ(signals_[i].location, dir_.path(name));
    EXPECT_EQ(signals_[i].index, i);
    EXPECT_NEAR(static_cast<double>(signals_[i].duration), 2e9 / 3, 1.0);
    EXPECT_EQ(signals_[i].size, fs::file_size(signals_[i].location));
  }
  // One message for the init segment, then one per media segment with the report.
  ASSERT_EQ(messages_.size(), 4u);
  EXPECT_STREQ(gst_structure_get_string(messages_[0], "type"), "initialization");
  EXPECT_STREQ(gst_structure_get_string(messages_[1], "type"), "separable");
  EXPECT_STREQ(gst_structure_get_string(messages_[2], "uri"), "segment00001.m4s");
  guint64 first_start = 0, second_start = 0;
  EXPECT_TRUE(gst_structure_get_uint64(messages_[1], "running-time", &first_start));
  EXPECT_TRUE(gst_structure_get_uint64(messages_[2], "running-time", &second_start));
  EXPECT_NEAR(static_cast<double>(second_start - first_start), 2e9 / 3, 1.0);
  const GValue* tracks = gst_structure_get_value(messages_[2], "tracks");
  ASSERT_NE(tracks, nullptr);
  ASSERT_EQ(gst_value_list_get_size(tracks), 1u);
  const GstStructure* track = gst_value_get_structure(gst_value_list_get_value(tracks, 0));
  EXPECT_STREQ(gst_structure_get_string(track, "media-type"), "video");
  guint samples = 0;
  gboolean sync = FALSE;
  EXPECT_TRUE(gst_structure_get_uint(track, "sample-count", &samples));
  EXPECT_TRUE(gst_structure_get_boolean(track, "first-sample-is-sync", &sync));
  EXPECT_EQ(samples, 20u);
  EXPECT_TRUE(sync);
}

TEST_F(SegmentsTest, readers_never_see_a_temporary_file_or_a_playlist_naming_a_missing_segment) {
  EncodedStream stream = h264_stream(60);
  ASSERT_NE(stream.caps, nullptr);
  segment_mode(GST_SECOND / 3);
  ASSERT_EQ(run(stream), GST_MESSAGE_EOS);
  std::lock_guard<std::mutex> guard(mutex_);
  ASSERT_GE(signals_.size(), 5u);
  for (const SegmentSignal& s : signals_) {
    EXPECT_EQ(s.playlist_then.error, "") << s.location;
    EXPECT_EQ(s.playlist_then.uris.back(), fs::path(s.location).filename().string());
    for (const std::string& uri : s.playlist_then.uris) {
      EXPECT_TRUE(std::count(s.files_then.begin(), s.files_then.end(), uri)) << uri << " listed but missing";
    }
    for (const std::string& name : s.files_then) EXPECT_FALSE(name.ends_with(".tmp")) << name;
  }
  for (const std::string& name : names_in(dir_path_)) EXPECT_FALSE(name.ends_with(".tmp")) << name;
}

TEST_F(SegmentsTest, playlist_length_and_max_files_keep_a_sliding_window) {
  EncodedStream stream = h264_stream(90);  // 9 GOPs of 1/3 s
  ASSERT_NE(stream.caps, nullptr);
  segment_mode(GST_SECOND / 3);
  g_object_set(element_, "playlist-length", 3u, "max-files", 4u, nullptr);
  ASSERT_EQ(run(stream), GST_MESSAGE_EOS);
  ParsedPlaylist playlist = parse_playlist(read_text(dir_.path("index.m3u8")));
  ASSERT_EQ(playlist.error, "");
  EXPECT_EQ(playlist.media_sequence, 6u);
  EXPECT_EQ(playlist.uris, (std::vector<std::string>{"segment00006.m4s", "segment00007.m4s", "segment00008.m4s"}));
  EXPECT_EQ(names_in(dir_path_),
            (std::vector<std::string>{"index.m3u8", "init.mp4", "segment00005.m4s", "segment00006.m4s",
                                      "segment00007.m4s", "segment00008.m4s"}));
  std::lock_guard<std::mutex> guard(mutex_);
  // Each signal fires before the window deletes anything, so a handler can still upload the file.
  for (const SegmentSignal& s : signals_) {
    EXPECT_TRUE(std::count(s.files_then.begin(), s.files_then.end(), fs::path(s.location).filename().string()));
  }
}

TEST_F(SegmentsTest, multivariant_playlist_names_the_codec_resolution_and_bandwidth) {
  EncodedStream stream = h264_stream(30);
  ASSERT_NE(stream.caps, nullptr);
  segment_mode(GST_SECOND / 3);
  g_object_set(element_, "multivariant-playlist-location", dir_.path("main.m3u8").c_str(), nullptr);
  ASSERT_EQ(run(stream), GST_MESSAGE_EOS);
  const std::string text = read_text(dir_.path("main.m3u8"));
  EXPECT_TRUE(text.starts_with("#EXTM3U\n")) << text;
  EXPECT_NE(text.find("CODECS=\"avc1."), std::string::npos) << text;
  EXPECT_NE(text.find("RESOLUTION=320x240,FRAME-RATE=30.000\nindex.m3u8\n"), std::string::npos) << text;
  EXPECT_NE(text.find("#EXT-X-STREAM-INF:BANDWIDTH="), std::string::npos) << text;
}

TEST_F(SegmentsTest, flush_segment_cuts_an_indefinite_segment_at_the_next_keyframe) {
  EncodedStream stream = h264_stream(40);
  ASSERT_NE(stream.caps, nullptr);
  segment_mode(GST_CLOCK_TIME_NONE);  // only flush-segment ends a segment
  GstHarness* h = harness("video_%u");
  ASSERT_EQ(push_stream(h, stream, 15), GST_FLOW_OK);
  // Wait until the writer has the pushed frames: the sink's pad queue drains in aggregate().
  GstPad* sink_pad = gst_pad_get_peer(h->srcpad);
  for (int i = 0; i < 200 && gst_aggregator_pad_has_buffer(GST_AGGREGATOR_PAD(sink_pad)); ++i) g_usleep(10'000);
  gst_object_unref(sink_pad);
  g_usleep(100'000);  // the last popped buffer is appended just after the queue empties
  gboolean flushed = FALSE;
  g_signal_emit_by_name(element_, "flush-segment", &flushed);
  EXPECT_TRUE(flushed);
  ASSERT_EQ(push_buffers(h, stream, 15), GST_FLOW_OK);
  EXPECT_TRUE(end_streams_and_expect_eos({h}));
  ParsedPlaylist playlist = parse_playlist(read_text(dir_.path("index.m3u8")));
  ASSERT_EQ(playlist.error, "");
  ASSERT_EQ(playlist.uris.size(), 2u);
  // The cut is at the first keyframe after what was appended: frame 20 at the latest (keyframes every 10).
  EXPECT_NEAR(playlist.durations[0], 20.0 / 30, 0.001);
  EXPECT_NEAR(playlist.durations[1], 20.0 / 30, 0.001);
}

TEST_F(SegmentsTest, flush_segment_outside_segment_mode_returns_false) {
  set_location(dir_.path("plain.mp4"));
  gboolean flushed = TRUE;
  g_signal_emit_by_name(element_, "flush-segment", &flushed);
  EXPECT_FALSE(flushed);
}

TEST_F(SegmentsTest, a_location_without_a_number_is_an_error_naming_it) {
  g_object_set(element_, "segment-interval", GST_SECOND, "location", dir_.path("segment.m4s").c_str(), nullptr);
  EXPECT_EQ(gst_element_set_state(element_, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  const BusMessage said = next(GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_NE(said.text.find("segment.m4s\" needs a %d conversion"), std::string::npos) << said.text;
}

TEST_F(SegmentsTest, mpd_location_defaults_to_none_and_round_trips) {
  gchar* mpd = nullptr;
  g_object_get(element_, "mpd-location", &mpd, nullptr);
  EXPECT_EQ(mpd, nullptr);
  g_object_set(element_, "mpd-location", "out/manifest.mpd", nullptr);
  g_object_get(element_, "mpd-location", &mpd, nullptr);
  EXPECT_STREQ(mpd, "out/manifest.mpd");
  g_free(mpd);
}

// The library refuses a muxed MPD too, but as a failed open; the element says which properties to change.
TEST_F(SegmentsTest, mpd_location_without_one_track_per_header_is_an_error_naming_both) {
  g_object_set(element_, "segment-interval", GST_SECOND, "location", dir_.path("segment%05d.m4s").c_str(),
               "mpd-location", dir_.path("manifest.mpd").c_str(), nullptr);
  EXPECT_EQ(gst_element_set_state(element_, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  const BusMessage said = next(GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_NE(said.text.find("mpd-location needs one-track-per-header=true"), std::string::npos) << said.text;
}

size_t count_of(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

TEST(SegmentTracks, one_track_per_header_writes_a_rendition_per_pad_and_a_multivariant_with_ext_x_media) {
  TempDir dir;
  const std::string root = fs::path(dir.path("x")).parent_path().string();
  const std::string error = run_to_eos(
      "videotestsrc num-buffers=60 ! video/x-raw,width=320,height=240,framerate=30/1 ! x264enc key-int-max=15 "
      "speed-preset=ultrafast ! h264parse ! queue ! s.video_0 audiotestsrc num-buffers=90 ! avenc_aac ! aacparse ! "
      "queue ! s.audio_0 assetwritersink name=s segment-interval=500000000 one-track-per-header=true "
      "output-file-type-profile=cmaf sync-fragments=false location=\"" +
      root +
      "/%s/segment%05d.m4s\" "
      "init-location=\"" +
      root + "/%s/init.mp4\" playlist-location=\"" + root +
      "/%s/index.m3u8\" "
      "multivariant-playlist-location=\"" +
      root + "/main.m3u8\"");
  ASSERT_EQ(error, "");
  EXPECT_EQ(names_in(root), (std::vector<std::string>{"audio_0", "main.m3u8", "video_0"}));
  for (const char* track : {"video_0", "audio_0"}) {
    const std::string sub = root + "/" + track;
    ParsedPlaylist playlist = parse_playlist(read_text(sub + "/index.m3u8"));
    ASSERT_EQ(playlist.error, "") << track;
    EXPECT_TRUE(playlist.ended);
    EXPECT_GE(playlist.uris.size(), 3u) << track;
    // Each header and each segment holds this one track.
    EXPECT_EQ(count_of(file_bytes(sub + "/init.mp4"), "trak"), 1u) << track;
    for (const std::string& uri : playlist.uris) {
      const std::string bytes = file_bytes(sub + "/" + uri);
      EXPECT_EQ(count_of(bytes, "traf"), 1u) << uri;
      EXPECT_EQ(top_level_boxes(sub + "/" + uri), (std::vector<std::string>{"styp", "moof", "mdat"})) << uri;
    }
  }
  const std::string main = read_text(root + "/main.m3u8");
  EXPECT_NE(main.find("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"audio_0\",DEFAULT=YES,AUTOSELECT=YES,"
                      "URI=\"audio_0/index.m3u8\"\n"),
            std::string::npos)
      << main;
  EXPECT_NE(main.find(",CODECS=\"avc1."), std::string::npos) << main;
  EXPECT_NE(main.find(",mp4a.40.2\",RESOLUTION=320x240,FRAME-RATE=30.000,AUDIO=\"audio\"\nvideo_0/index.m3u8\n"),
            std::string::npos)
      << main;
}

// Every EXTINF of `playlist` within its target duration (HLS: rounded to the nearest integer, here exactly).
void expect_extinf_within_target_duration(const ParsedPlaylist& playlist) {
  ASSERT_GT(playlist.target_duration, 0u);
  for (double d : playlist.durations) EXPECT_LE(d, static_cast<double>(playlist.target_duration));
}

TEST(SegmentDurations, a_gop_longer_than_the_interval_makes_segments_of_a_gop_within_the_target_duration) {
  TempDir dir;
  const std::string error = run_to_eos(
      "videotestsrc num-buffers=150 ! video/x-raw,width=320,height=240,framerate=30/1 ! x264enc key-int-max=75 "
      "speed-preset=ultrafast ! h264parse ! assetwritersink segment-interval=1000000000 sync-fragments=false "
      "send-keyframe-requests=false "
      "location=\"" +
      dir.path("s%d.m4s") + "\" init-location=\"" + dir.path("init.mp4") +
      "\" "
      "playlist-location=\"" +
      dir.path("index.m3u8") + "\"");
  ASSERT_EQ(error, "");
  const std::string text = read_text(dir.path("index.m3u8"));
  ParsedPlaylist playlist = parse_playlist(text);
  ASSERT_EQ(playlist.error, "");
  EXPECT_EQ(playlist.durations, (std::vector<double>{2.5, 2.5})) << text;  // a 2.5 s GOP is within 3 intervals
  EXPECT_EQ(playlist.target_duration, 3u);
  expect_extinf_within_target_duration(playlist);
  EXPECT_NE(text.find("#EXT-X-INDEPENDENT-SEGMENTS\n"), std::string::npos);
}

TEST(SegmentDurations, without_a_keyframe_segments_are_cut_at_max_segment_duration) {
  TempDir dir;
  const std::string error = run_to_eos(
      "videotestsrc num-buffers=150 ! video/x-raw,width=320,height=240,framerate=30/1 ! x264enc key-int-max=300 "
      "speed-preset=ultrafast ! h264parse ! assetwritersink segment-interval=1000000000 sync-fragments=false "
      "send-keyframe-requests=false "
      "max-segment-duration=2000000000 location=\"" +
      dir.path("s%d.m4s") + "\" init-location=\"" + dir.path("init.mp4") + "\" playlist-location=\"" +
      dir.path("index.m3u8") + "\"");
  ASSERT_EQ(error, "");
  const std::string text = read_text(dir.path("index.m3u8"));
  ParsedPlaylist playlist = parse_playlist(text);
  ASSERT_EQ(playlist.error, "");
  EXPECT_EQ(playlist.durations, (std::vector<double>{2.0, 2.0, 1.0})) << text;
  EXPECT_EQ(playlist.target_duration, 2u);
  expect_extinf_within_target_duration(playlist);
  // The later segments start without a keyframe: the playlist no longer claims independent segments.
  EXPECT_EQ(text.find("INDEPENDENT"), std::string::npos) << text;
}

TEST_F(SegmentsTest, a_failed_segment_write_fails_the_writer_with_an_error_naming_the_segment_file) {
  EncodedStream stream = h264_stream(60);
  ASSERT_NE(stream.caps, nullptr);
  segment_mode(GST_SECOND / 3);
  g_object_set(element_, "location", dir_.path("gone/segment%05d.m4s").c_str(), nullptr);
  GstHarness* h = harness("video_%u");
  push_stream(h, stream);  // stops at the first flow error
  gst_harness_push_event(h, gst_event_new_eos());
  const BusMessage said = next(GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  ASSERT_EQ(said.type, GST_MESSAGE_ERROR);
  EXPECT_TRUE(said.is(GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE)) << said.text;
  EXPECT_NE(said.text.find("segment " + dir_.path("gone/segment00000.m4s") + ":"), std::string::npos) << said.text;
  // Nothing after the failure: the init segment only, no playlist naming a segment that is not there.
  EXPECT_EQ(names_in(dir_path_), (std::vector<std::string>{"init.mp4"}));
  std::lock_guard<std::mutex> guard(mutex_);
  EXPECT_TRUE(signals_.empty());
}

}  // namespace
}  // namespace gstaw::test

namespace gstaw::test {
namespace {

TEST_F(SegmentsTest, part_interval_posts_a_message_and_a_signal_per_part_after_the_playlist_names_it) {
  guint64 part_interval = 1;
  gboolean part_files = TRUE;
  g_object_get(element_, "part-interval", &part_interval, "part-files", &part_files, nullptr);
  EXPECT_EQ(part_interval, 0u);
  EXPECT_FALSE(part_files);

  EncodedStream stream = h264_stream(60);  // 2 s at 30 fps, a keyframe every 10 frames
  ASSERT_NE(stream.caps, nullptr);
  segment_mode(600 * GST_MSECOND);  // segments of 20 frames
  g_object_set(element_, "part-interval", 200 * GST_MSECOND, nullptr);
  g_object_get(element_, "part-interval", &part_interval, nullptr);
  EXPECT_EQ(part_interval, 200 * GST_MSECOND);
  std::pair<std::string, std::vector<PublishedPart>> published{dir_.path("index.m3u8"), {}};
  g_signal_connect(element_, "part-published", G_CALLBACK(on_part_published), &published);
  ASSERT_EQ(run(stream), GST_MESSAGE_EOS);

  // Each segment: parts of 6, 6, 6 and 2 frames.
  std::lock_guard<std::mutex> guard(mutex_);
  ASSERT_EQ(part_messages_.size(), 12u);
  ASSERT_EQ(published.second.size(), 12u);
  for (size_t i = 0; i < part_messages_.size(); ++i) {
    const GstStructure* m = part_messages_[i];
    guint64 sequence = 99, offset = 0, size = 0, duration = 0;
    guint part = 99;
    gboolean independent = FALSE;
    ASSERT_TRUE(gst_structure_get_uint64(m, "sequence", &sequence));
    ASSERT_TRUE(gst_structure_get_uint(m, "part", &part));
    ASSERT_TRUE(gst_structure_get_uint64(m, "offset", &offset));
    ASSERT_TRUE(gst_structure_get_uint64(m, "size", &size));
    ASSERT_TRUE(gst_structure_get_uint64(m, "duration", &duration));
    ASSERT_TRUE(gst_structure_get_boolean(m, "independent", &independent));
    EXPECT_EQ(sequence, i / 4);
    EXPECT_EQ(part, i % 4);
    EXPECT_NEAR(static_cast<double>(duration), part == 3 ? 2e9 / 30 : 6e9 / 30, 1e6) << "part " << i;
    EXPECT_EQ(static_cast<bool>(independent), part == 0) << "part " << i;
    char name[32];
    g_snprintf(name, sizeof name, "segment%05u.m4s", static_cast<unsigned>(sequence));
    EXPECT_STREQ(gst_structure_get_string(m, "location"), dir_.path(name).c_str());
    // Its bytes are one moof + mdat in the segment file, where the playlist's BYTERANGE says.
    const std::string file = read_text(dir_.path(name));
    ASSERT_LE(offset + size, file.size());
    EXPECT_EQ(file.substr(offset + 4, 4), "moof") << "part " << i;
    const PublishedPart& signal = published.second[i];
    EXPECT_EQ(signal.rendition, "");
    EXPECT_EQ(signal.msn, sequence);
    EXPECT_EQ(signal.part, part);
    EXPECT_TRUE(signal.on_disk) << "part " << i;
    const std::string byterange =
        "URI=\"" + std::string(name) + "\",BYTERANGE=\"" + std::to_string(size) + "@" + std::to_string(offset) + "\"";
    EXPECT_NE(signal.playlist.find(byterange), std::string::npos) << signal.playlist;
  }
  const std::string final_playlist = read_text(dir_.path("index.m3u8"));
  EXPECT_NE(final_playlist.find("#EXT-X-PART-INF:PART-TARGET=0.200\n"), std::string::npos) << final_playlist;
  EXPECT_EQ(final_playlist.find("#EXT-X-PRELOAD-HINT"), std::string::npos) << final_playlist;
  EXPECT_TRUE(final_playlist.ends_with("#EXT-X-ENDLIST\n"));
}

}  // namespace
}  // namespace gstaw::test

namespace gstaw::test {
namespace {

// "2026-12-03T19:00:00.123Z" → microseconds since the epoch.
gint64 parse_date_time_us(const std::string& text) {
  GDateTime* t = g_date_time_new_from_iso8601(text.c_str(), nullptr);
  if (!t) return 0;
  const gint64 us = g_date_time_to_unix(t) * G_USEC_PER_SEC + g_date_time_get_microsecond(t);
  g_date_time_unref(t);
  return us;
}

TEST_F(SegmentsTest, program_date_time_maps_each_segments_running_time_to_the_wall_clock) {
  EncodedStream stream = h264_stream(60);
  ASSERT_NE(stream.caps, nullptr);
  segment_mode(600 * GST_MSECOND);
  g_object_set(element_, "program-date-time", TRUE, nullptr);
  const gint64 before = g_get_real_time();
  ASSERT_EQ(run(stream), GST_MESSAGE_EOS);
  const std::string text = read_text(dir_.path("index.m3u8"));
  std::vector<gint64> stamps;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("#EXT-X-PROGRAM-DATE-TIME:")) stamps.push_back(parse_date_time_us(line.substr(25)));
  }
  const gint64 after = g_get_real_time();
  ASSERT_EQ(stamps.size(), 3u) << text;
  // The harness's test clock is not the realtime system clock, and reads 0 when writing starts: the mapping
  // taken then puts the first segment (running time `first`, the stream's first presentation time) `first`
  // after the wall clock of that moment, and the others follow on the running time.
  GstClockTime first = GST_CLOCK_TIME_NONE;
  for (size_t i = 0; i < 20; ++i) first = std::min(first, GST_BUFFER_PTS(stream.buffers[i]));
  const gint64 start = stamps[0] - static_cast<gint64>(first / 1000);
  EXPECT_GE(start, before - G_USEC_PER_SEC) << text;
  EXPECT_LE(start, after + G_USEC_PER_SEC) << text;
  EXPECT_NEAR(static_cast<double>(stamps[1] - stamps[0]), 2e6 / 3, 1000) << text;
  EXPECT_NEAR(static_cast<double>(stamps[2] - stamps[1]), 2e6 / 3, 1000) << text;
}

}  // namespace
}  // namespace gstaw::test

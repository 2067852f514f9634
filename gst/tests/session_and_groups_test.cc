// session-start-time / session-end-time, the pads' group / default, the metadata property and audio
// priming from GstAudioClippingMeta, checked in the written boxes and through qtdemux.
#include <gst/audio/audio.h>
#include <gst/tag/tag.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "element_fixture.h"

namespace gstaw::test {
namespace {

// The harness's source answers latency queries as live, which turns crash-safe recording on; these tests
// read the boxes of a plain movie with one moov.
class SessionTest : public ElementTest {
 protected:
  void SetUp() override {
    ElementTest::SetUp();
    g_object_set(element_, "crash-recovery-interval", static_cast<guint64>(0), nullptr);
  }
};

uint32_t be32(const std::string& bytes, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(bytes[at])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 3]));
}

// Offsets of the payload (after the 4-byte type) of every box of `type` in the file, in file order. A
// byte search is enough here: the types looked for do not occur in the small test payloads.
std::vector<size_t> find_boxes(const std::string& bytes, const std::string& type) {
  std::vector<size_t> out;
  for (size_t at = bytes.find(type); at != std::string::npos; at = bytes.find(type, at + 1)) out.push_back(at + 4);
  return out;
}

struct Elst {
  uint32_t entries = 0;
  uint32_t first_duration = 0;
  int32_t first_media_time = 0;
};
std::vector<Elst> edit_lists(const std::string& bytes) {
  std::vector<Elst> out;
  for (size_t at : find_boxes(bytes, "elst")) {
    if (bytes[at] != 0) continue;  // version 1 is not expected for these short files
    out.push_back({be32(bytes, at + 4), be32(bytes, at + 8), static_cast<int32_t>(be32(bytes, at + 12))});
  }
  return out;
}

struct Tkhd {
  bool enabled = false;
  uint16_t alternate_group = 0;
};
std::vector<Tkhd> track_headers(const std::string& bytes) {
  std::vector<Tkhd> out;
  for (size_t at : find_boxes(bytes, "tkhd")) {
    const bool v1 = bytes[at] == 1;
    // version+flags, times, track id, reserved, duration, reserved[2], layer, then alternate_group.
    const size_t group_at = at + 4 + (v1 ? 8 + 8 + 4 + 4 + 8 : 4 + 4 + 4 + 4 + 4) + 8 + 2;
    const uint16_t group =
        static_cast<uint16_t>((static_cast<uint8_t>(bytes[group_at]) << 8) | static_cast<uint8_t>(bytes[group_at + 1]));
    out.push_back({(static_cast<uint8_t>(bytes[at + 3]) & 1) != 0, group});
  }
  return out;
}

// Pushes the streams buffer by buffer in turn: a pad ahead of the others blocks until they catch up.
GstFlowReturn push_interleaved(const std::vector<std::pair<GstHarness*, const EncodedStream*>>& inputs) {
  size_t longest = 0;
  for (const auto& [h, stream] : inputs) {
    gst_harness_set_src_caps(h, gst_caps_ref(stream->caps));
    longest = std::max(longest, stream->buffers.size());
  }
  for (size_t i = 0; i < longest; ++i) {
    for (const auto& [h, stream] : inputs) {
      if (i >= stream->buffers.size()) continue;
      const GstFlowReturn ret = gst_harness_push(h, gst_buffer_ref(stream->buffers[i]));
      if (ret != GST_FLOW_OK) return ret;
    }
  }
  return GST_FLOW_OK;
}

TEST_F(SessionTest, session_times_trim_with_an_edit_list_and_keep_the_gop) {
  EncodedStream stream = h264_stream(60);  // 2 s, a key frame every 10 frames
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("session.mp4");
  set_location(location);
  // 1.1 s is inside the GOP that starts at 1.0 s; the session lasts 0.5 s. The encoder's timestamps start
  // at its 1000 h offset, which the harness's segment keeps in running time.
  const GstClockTime base = GST_BUFFER_PTS(stream.buffers[0]);
  g_object_set(element_, "session-start-time", static_cast<guint64>(base + 1100 * GST_MSECOND), "session-end-time",
               static_cast<guint64>(base + 1600 * GST_MSECOND), "movie-timescale", 1000u, nullptr);
  GstHarness* h = harness("video_%u");
  ASSERT_EQ(push_stream(h, stream), GST_FLOW_OK);
  ASSERT_TRUE(end_streams_and_expect_eos({h}));

  const std::string bytes = file_bytes(location);
  const auto edits = edit_lists(bytes);
  ASSERT_EQ(edits.size(), 1u) << bytes.size() << " bytes, elst at " << bytes.find("elst");
  EXPECT_EQ(edits[0].entries, 1u);
  EXPECT_EQ(edits[0].first_duration, 500u);  // ms
  // Every frame was written (decode starts at frame 0), presentation starts 1.1 s in: 99000 at 90 kHz.
  EXPECT_EQ(edits[0].first_media_time, 99000);
  // (qtdemux 1.22 stops after the key frame when an edit starts inside a GOP that is not the first, for
  // ffmpeg's own trimmed files too; tests/test_sessions.py decodes this case with ffmpeg.)
  FileInfo info;
  discover(location, &info);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_NEAR(static_cast<double>(info.duration) / GST_SECOND, 0.5, 0.001);
}

TEST_F(SessionTest, session_end_before_the_start_is_a_settings_error) {
  EncodedStream stream = h264_stream(5);
  ASSERT_NE(stream.caps, nullptr);
  set_location(dir_.path("bad-session.mp4"));
  g_object_set(element_, "session-start-time", static_cast<guint64>(2 * GST_SECOND), "session-end-time",
               static_cast<guint64>(GST_SECOND), nullptr);
  GstHarness* h = harness("video_%u");
  push_stream(h, stream);
  gst_harness_push_event(h, gst_event_new_eos());
  const BusMessage said = next(GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  ASSERT_EQ(said.type, GST_MESSAGE_ERROR);
  EXPECT_TRUE(said.is(GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_SETTINGS));
  EXPECT_NE(said.text.find("session-end-time"), std::string::npos) << said.text;
}

// A segment that starts at 1 s (a seek, a demuxer's edit): running time is written, and the frames before
// the segment start are kept for the decoder but hidden, so the movie starts at the segment start.
TEST_F(SessionTest, buffers_before_the_segment_start_are_hidden_not_presented) {
  EncodedStream stream = h264_stream(60);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("segment.mp4");
  set_location(location);
  g_object_set(element_, "movie-timescale", 1000u, nullptr);
  GstHarness* h = harness("video_%u");
  gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
  GstSegment segment;
  gst_segment_init(&segment, GST_FORMAT_TIME);
  segment.start = segment.time = segment.position = GST_BUFFER_PTS(stream.buffers[0]) + 1100 * GST_MSECOND;
  ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_segment(&segment)));
  // From the key frame at 1.0 s.
  ASSERT_EQ(push_buffers(h, stream, 30), GST_FLOW_OK);
  ASSERT_TRUE(end_streams_and_expect_eos({h}));

  const auto edits = edit_lists(file_bytes(location));
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits[0].first_duration, 900u);       // 1.1 s .. 2.0 s
  EXPECT_EQ(edits[0].first_media_time, 9000);     // 0.1 s into the media at 90 kHz
  EXPECT_EQ(decoded_video_frames(location), 27);  // what the edit shows: 1.1 s .. 2.0 s
}

TEST_F(SessionTest, pads_of_one_group_share_an_alternate_group_and_only_the_default_is_enabled) {
  EncodedStream aac = aac_stream(20, 1);
  ASSERT_NE(aac.caps, nullptr);
  const std::string location = dir_.path("groups.mp4");
  set_location(location);
  GstHarness* english = harness("audio_%u");
  GstHarness* french = harness("audio_%u");
  GstHarness* commentary = harness("audio_%u");
  GstPad* english_pad = gst_pad_get_peer(english->srcpad);
  GstPad* french_pad = gst_pad_get_peer(french->srcpad);
  g_object_set(english_pad, "group", 1, nullptr);
  g_object_set(french_pad, "group", 1, "default", TRUE, nullptr);
  gint group = 0;
  gboolean is_default = FALSE;
  g_object_get(french_pad, "group", &group, "default", &is_default, nullptr);
  EXPECT_EQ(group, 1);
  EXPECT_TRUE(is_default);
  gst_object_unref(english_pad);
  gst_object_unref(french_pad);
  ASSERT_EQ(push_interleaved({{english, &aac}, {french, &aac}, {commentary, &aac}}), GST_FLOW_OK);
  ASSERT_TRUE(end_streams_and_expect_eos({english, french, commentary}));

  const auto headers = track_headers(file_bytes(location));
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_NE(headers[0].alternate_group, 0);
  EXPECT_EQ(headers[0].alternate_group, headers[1].alternate_group);
  EXPECT_FALSE(headers[0].enabled);
  EXPECT_TRUE(headers[1].enabled);
  EXPECT_EQ(headers[2].alternate_group, 0);  // not grouped
  EXPECT_TRUE(headers[2].enabled);
}

TEST_F(SessionTest, a_group_mixing_video_and_audio_is_an_error_naming_the_pad) {
  EncodedStream aac = aac_stream(5, 1);
  EncodedStream video = h264_stream(5);
  ASSERT_NE(aac.caps, nullptr);
  ASSERT_NE(video.caps, nullptr);
  set_location(dir_.path("mixed-group.mp4"));
  GstHarness* v = harness("video_%u");
  GstHarness* a = harness("audio_%u");
  for (GstHarness* h : {v, a}) {
    GstPad* pad = gst_pad_get_peer(h->srcpad);
    g_object_set(pad, "group", 3, nullptr);
    gst_object_unref(pad);
  }
  push_interleaved({{v, &video}, {a, &aac}});
  const BusMessage said = next(GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_NE(said.text.find("video_0: group 3"), std::string::npos) << said.text;
  EXPECT_NE(said.text.find("mixes media types"), std::string::npos) << said.text;
}

TEST_F(SessionTest, metadata_property_wins_over_tags_and_skips_unknown_fields) {
  EncodedStream stream = h264_stream(10);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("metadata.mp4");
  set_location(location);
  GstStructure* metadata = gst_structure_from_string(
      "meta, title=(string)\"Property Title\", album=(string)Album, no-such-key=(string)x, "
      "device-model=(string)Cam, track-number=(int)3",
      nullptr);
  ASSERT_NE(metadata, nullptr);
  g_object_set(element_, "metadata", metadata, nullptr);
  GstStructure* read_back = nullptr;
  g_object_get(element_, "metadata", &read_back, nullptr);
  ASSERT_NE(read_back, nullptr);
  EXPECT_TRUE(gst_structure_is_equal(read_back, metadata));
  gst_structure_free(read_back);
  gst_structure_free(metadata);
  GstHarness* h = harness("video_%u");
  gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
  GstTagList* tags = gst_tag_list_new(GST_TAG_TITLE, "Event Title", GST_TAG_ARTIST, "Event Artist", nullptr);
  gst_tag_list_set_scope(tags, GST_TAG_SCOPE_GLOBAL);
  EXPECT_TRUE(gst_harness_push_event(h, gst_event_new_tag(tags)));
  ASSERT_EQ(push_stream(h, stream), GST_FLOW_OK);
  ASSERT_TRUE(end_streams_and_expect_eos({h}, GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING));

  FileInfo info;
  discover(location, &info);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.tag(GST_TAG_TITLE), "Property Title");
  EXPECT_EQ(info.tag(GST_TAG_ARTIST), "Event Artist");
  EXPECT_EQ(info.tag(GST_TAG_ALBUM), "Album");
}

// opusenc-like priming on AAC: the first buffer carries 1024 samples of encoder delay. The file keeps the
// whole frame, the edit list skips the delay and the m4a says so in iTunSMPB.
TEST_F(SessionTest, clipping_meta_becomes_priming_in_the_edit_list_and_itunsmpb) {
  EncodedStream aac = aac_stream(20, 1);
  ASSERT_NE(aac.caps, nullptr);
  const std::string location = dir_.path("priming.m4a");
  set_location(location);
  GstHarness* h = harness("audio_%u");
  gst_harness_set_src_caps(h, gst_caps_ref(aac.caps));
  const GstClockTime frame = gst_util_uint64_scale(1024, GST_SECOND, 48000);
  for (size_t i = 0; i < aac.buffers.size(); ++i) {
    GstBuffer* buffer = gst_buffer_copy(aac.buffers[i]);
    // Timestamps after clipping: the first frame is all delay, the audio starts at 0 with the second.
    GST_BUFFER_PTS(buffer) = GST_BUFFER_DTS(buffer) = i == 0 ? 0 : (i - 1) * frame;
    GST_BUFFER_DURATION(buffer) = i == 0 ? 0 : frame;
    if (i == 0) gst_buffer_add_audio_clipping_meta(buffer, GST_FORMAT_DEFAULT, 1024, 0);
    ASSERT_EQ(gst_harness_push(h, buffer), GST_FLOW_OK);
  }
  ASSERT_TRUE(end_streams_and_expect_eos({h}));

  const std::string bytes = file_bytes(location);
  const auto edits = edit_lists(bytes);
  ASSERT_EQ(edits.size(), 1u);
  EXPECT_EQ(edits[0].entries, 1u);  // not delayed
  EXPECT_EQ(edits[0].first_media_time, 1024);
  const size_t presented = (aac.buffers.size() - 1) * 1024;
  char expected[64];
  g_snprintf(expected, sizeof expected, " 00000000 00000400 00000000 %016zX", presented);
  EXPECT_NE(bytes.find(expected), std::string::npos) << expected;
}

}  // namespace
}  // namespace gstaw::test

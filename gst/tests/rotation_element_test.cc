// assetwritersink's file rotation: max-file-duration / max-file-size / max-files, the split-now and
// split-at-running-time action signals, format-location, the file-opened / file-closed / file-deleted messages,
// keyframe requests ahead of each cut, and the settings it refuses.
#include <gst/video/video.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <optional>

#include "element_fixture.h"
#include "posted_messages.h"

namespace gstaw::test {
namespace {

class RotationTest : public ElementTest {
 protected:
  void SetUp() override {
    ElementTest::SetUp();
    messages_.listen(bus_);
    stream_.emplace(h264_stream(90));  // 3 s at 30 fps, a keyframe every 10 frames
    ASSERT_NE(stream_->caps, nullptr);
    first_pts_ = GST_BUFFER_PTS(stream_->buffers[0]);
    set_location(dir_.path("v%02d.mp4"));
  }

  GstHarness* record(size_t count = SIZE_MAX) {
    GstHarness* h = harness("video_%u");
    EXPECT_EQ(push_stream(h, *stream_, count), GST_FLOW_OK);
    return h;
  }
  void record_all() {
    GstHarness* h = record();
    EXPECT_TRUE(end_streams_and_expect_eos({h}));
  }

  std::vector<const GstStructure*> messages(const std::string& name) { return messages_.named(name); }

  // The closed files: frames of video_0 in each, and each file decodes to that many frames.
  std::vector<guint64> closed_frames() {
    std::vector<guint64> out;
    for (const GstStructure* s : messages("assetwritersink-file-closed")) {
      const GstStructure* frames = gst_value_get_structure(gst_structure_get_value(s, "frames"));
      guint64 n = 0;
      EXPECT_TRUE(gst_structure_get_uint64(frames, "video_0", &n));
      const std::string path = gst_structure_get_string(s, "location");
      EXPECT_EQ(decoded_video_frames(path), static_cast<int>(n)) << path;
      out.push_back(n);
    }
    return out;
  }
  std::vector<GstClockTime> closed_starts() {
    std::vector<GstClockTime> out;
    for (const GstStructure* s : messages("assetwritersink-file-closed")) {
      guint64 start = 0;
      EXPECT_TRUE(gst_structure_get_uint64(s, "running-time-start", &start));
      out.push_back(start - first_pts_);
    }
    return out;
  }

  std::optional<EncodedStream> stream_;
  GstClockTime first_pts_ = 0;
  PostedMessages messages_{"assetwritersink-file-", false};
};

TEST_F(RotationTest, properties_default_to_off_and_keep_what_is_set) {
  guint64 duration = 1, size = 1;
  g_object_get(element_, "max-file-duration", &duration, "max-file-size", &size, nullptr);
  EXPECT_EQ(duration, 0u);
  EXPECT_EQ(size, 0u);
  g_object_set(element_, "max-file-duration", 2 * GST_SECOND, "max-file-size", G_GUINT64_CONSTANT(5000000), nullptr);
  g_object_get(element_, "max-file-duration", &duration, "max-file-size", &size, nullptr);
  EXPECT_EQ(duration, 2 * GST_SECOND);
  EXPECT_EQ(size, 5000000u);
  for (const char* name : {"split-now", "split-at-running-time", "format-location"}) {
    EXPECT_NE(g_signal_lookup(name, G_OBJECT_TYPE(element_)), 0u) << name;
  }
}

// 1 s files of a 3 s stream: three files of 30 frames, each opened then closed with its range, counts and size.
TEST_F(RotationTest, max_file_duration_writes_files_cut_at_keyframes_with_open_and_close_messages) {
  g_object_set(element_, "max-file-duration", GST_SECOND, nullptr);
  record_all();
  EXPECT_EQ(closed_frames(), (std::vector<guint64>{30, 30, 30}));
  EXPECT_EQ(closed_starts(), (std::vector<GstClockTime>{0, GST_SECOND, 2 * GST_SECOND}));
  auto opened = messages("assetwritersink-file-opened");
  auto closed = messages("assetwritersink-file-closed");
  ASSERT_EQ(opened.size(), 3u);
  for (guint64 i = 0; i < 3; ++i) {
    const std::string path = dir_.path("v0" + std::to_string(i) + ".mp4");
    guint64 index = 9, bytes = 0, end = 0, start = 0;
    EXPECT_STREQ(gst_structure_get_string(opened[i], "location"), path.c_str());
    ASSERT_TRUE(gst_structure_get_uint64(opened[i], "index", &index));
    EXPECT_EQ(index, i);
    EXPECT_STREQ(gst_structure_get_string(closed[i], "location"), path.c_str());
    ASSERT_TRUE(gst_structure_get_uint64(closed[i], "bytes", &bytes));
    EXPECT_EQ(bytes, std::filesystem::file_size(path));
    ASSERT_TRUE(gst_structure_get_uint64(closed[i], "running-time-start", &start));
    ASSERT_TRUE(gst_structure_get_uint64(closed[i], "running-time-end", &end));
    EXPECT_NEAR(static_cast<double>(end - start), static_cast<double>(GST_SECOND), GST_MSECOND) << i;
  }
}

// A third of the stream's bytes per file: each file but the last reaches the limit (less the index the estimate
// counts but a finished file holds less of) before its cut, and the frames add up to the stream's.
TEST_F(RotationTest, max_file_size_cuts_at_the_keyframe_after_the_estimate_reaches_it) {
  guint64 media = 0;
  for (GstBuffer* buffer : stream_->buffers) media += gst_buffer_get_size(buffer);
  const guint64 limit = media / 3;
  g_object_set(element_, "max-file-size", limit, nullptr);
  record_all();
  const std::vector<guint64> frames = closed_frames();
  ASSERT_GE(frames.size(), 3u);
  guint64 total = 0;
  for (guint64 n : frames) total += n;
  EXPECT_EQ(total, 90u);
  auto closed = messages("assetwritersink-file-closed");
  for (size_t i = 0; i + 1 < closed.size(); ++i) {
    guint64 bytes = 0;
    ASSERT_TRUE(gst_structure_get_uint64(closed[i], "bytes", &bytes));
    EXPECT_GE(bytes + 8192, limit) << i;
    EXPECT_EQ(frames[i] % 10, 0u) << i;  // cut at a keyframe: every 10th frame
  }
}

// A split asked for before any data waits for the first file to hold a keyframe: the cut is at the next one.
TEST_F(RotationTest, split_now_cuts_at_the_next_keyframe) {
  g_signal_emit_by_name(element_, "split-now");
  record_all();
  EXPECT_EQ(closed_frames(), (std::vector<guint64>{10, 80}));
}

TEST_F(RotationTest, split_at_running_time_cuts_at_the_first_keyframe_at_or_after_it) {
  g_signal_emit_by_name(element_, "split-at-running-time", static_cast<guint64>(first_pts_ + 3 * GST_SECOND / 2));
  record_all();
  EXPECT_EQ(closed_frames(), (std::vector<guint64>{50, 40}));
}

gchar* name_by_handler(GstElement*, guint fragment_id, GstSample* sample, gpointer data) {
  // The sample is the buffer that opens the file, with its caps: a keyframe.
  EXPECT_NE(sample, nullptr);
  if (sample) {
    EXPECT_NE(gst_sample_get_caps(sample), nullptr);
    EXPECT_FALSE(GST_BUFFER_FLAG_IS_SET(gst_sample_get_buffer(sample), GST_BUFFER_FLAG_DELTA_UNIT));
  }
  if (fragment_id == 1) return nullptr;  // the pattern's name
  return g_strdup_printf("%s/camera-%u.mp4", static_cast<TempDir*>(data)->path("").c_str(), fragment_id);
}

TEST_F(RotationTest, format_location_names_the_files_and_null_keeps_the_pattern) {
  g_object_set(element_, "max-file-duration", GST_SECOND, nullptr);
  g_signal_connect(element_, "format-location", G_CALLBACK(name_by_handler), &dir_);
  record_all();
  EXPECT_TRUE(std::filesystem::exists(dir_.path("camera-0.mp4")));
  EXPECT_TRUE(std::filesystem::exists(dir_.path("v01.mp4")));
  EXPECT_TRUE(std::filesystem::exists(dir_.path("camera-2.mp4")));
}

TEST_F(RotationTest, max_files_deletes_the_oldest_and_says_so) {
  g_object_set(element_, "max-file-duration", GST_SECOND, "max-files", 2u, nullptr);
  record_all();
  auto deleted = messages("assetwritersink-file-deleted");
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_STREQ(gst_structure_get_string(deleted[0], "location"), dir_.path("v00.mp4").c_str());
  EXPECT_FALSE(std::filesystem::exists(dir_.path("v00.mp4")));
  EXPECT_TRUE(std::filesystem::exists(dir_.path("v01.mp4")));
  EXPECT_TRUE(std::filesystem::exists(dir_.path("v02.mp4")));
}

// A keyframe is asked for upstream at each planned cut, as soon as it is known.
TEST_F(RotationTest, a_keyframe_is_requested_at_each_planned_cut) {
  g_object_set(element_, "max-file-duration", GST_SECOND, nullptr);
  GstHarness* h = record();
  ASSERT_TRUE(end_streams_and_expect_eos({h}));
  std::vector<GstClockTime> asked;
  while (GstEvent* event = gst_harness_try_pull_upstream_event(h)) {
    GstClockTime running_time = GST_CLOCK_TIME_NONE;
    if (gst_video_event_is_force_key_unit(event) &&
        gst_video_event_parse_upstream_force_key_unit(event, &running_time, nullptr, nullptr)) {
      asked.push_back(running_time - first_pts_);
    }
    gst_event_unref(event);
  }
  EXPECT_EQ(asked, (std::vector<GstClockTime>{GST_SECOND, 2 * GST_SECOND, 3 * GST_SECOND}));
}

TEST_F(RotationTest, send_keyframe_requests_false_asks_for_none) {
  g_object_set(element_, "max-file-duration", GST_SECOND, "send-keyframe-requests", FALSE, nullptr);
  GstHarness* h = record();
  ASSERT_TRUE(end_streams_and_expect_eos({h}));
  while (GstEvent* event = gst_harness_try_pull_upstream_event(h)) {
    EXPECT_FALSE(gst_video_event_is_force_key_unit(event));
    gst_event_unref(event);
  }
}

TEST_F(RotationTest, a_limit_with_segment_interval_is_an_error_naming_both) {
  g_object_set(element_, "max-file-duration", GST_SECOND, "segment-interval", 2 * GST_SECOND, nullptr);
  EXPECT_EQ(gst_element_set_state(element_, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  const BusMessage said = next(GST_MESSAGE_ERROR);
  EXPECT_NE(said.text.find("max-file-duration"), std::string::npos) << said.text;
  EXPECT_NE(said.text.find("segment-interval"), std::string::npos) << said.text;
}

TEST_F(RotationTest, a_limit_with_a_location_that_is_no_pattern_is_an_error_naming_it) {
  set_location(dir_.path("plain.mp4"));
  g_object_set(element_, "max-file-size", G_GUINT64_CONSTANT(1000000), nullptr);
  EXPECT_EQ(gst_element_set_state(element_, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  const BusMessage said = next(GST_MESSAGE_ERROR);
  EXPECT_NE(said.text.find("plain.mp4"), std::string::npos) << said.text;
  EXPECT_NE(said.text.find("max-file-size"), std::string::npos) << said.text;
}

// The next file cannot be created: an ERROR naming it, and the first file is complete with its 30 frames.
gchar* second_in_missing_dir(GstElement*, guint fragment_id, GstSample*, gpointer data) {
  if (fragment_id == 0) return nullptr;
  return g_strdup(static_cast<TempDir*>(data)->path("missing/next.mp4").c_str());
}

TEST_F(RotationTest, a_next_file_that_cannot_be_created_is_an_error_and_the_previous_file_is_complete) {
  g_object_set(element_, "max-file-duration", GST_SECOND, nullptr);
  g_signal_connect(element_, "format-location", G_CALLBACK(second_in_missing_dir), &dir_);
  GstHarness* h = harness("video_%u");
  push_stream(h, *stream_);
  const BusMessage said = next(GST_MESSAGE_ERROR);
  EXPECT_NE(said.text.find("missing/next.mp4"), std::string::npos) << said.text;
  EXPECT_EQ(closed_frames(), (std::vector<guint64>{30}));
}

}  // namespace
}  // namespace gstaw::test

// assetwritersink's progress and durability messages: one "assetwritersink-fragment" per fragment once it
// is in the file (fragmented movies, crash-safe recordings), then "assetwritersink-file-complete", then EOS.
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <optional>

#include "element_fixture.h"
#include "posted_messages.h"

namespace gstaw::test {
namespace {

class ProgressTest : public ElementTest {
 protected:
  void SetUp() override {
    ElementTest::SetUp();
    messages_.listen(bus_);
    stream_.emplace(h264_stream(90));  // 3 s at 30 fps, a keyframe every 10 frames
    ASSERT_NE(stream_->caps, nullptr);
  }

  // Writes the stream to `name` and waits for EOS; returns the file's path.
  std::string record(const std::string& name) {
    const std::string path = dir_.path(name);
    set_location(path);
    GstHarness* h = harness("video_%u");
    EXPECT_EQ(push_stream(h, *stream_), GST_FLOW_OK);
    EXPECT_TRUE(end_streams_and_expect_eos({h}));
    return path;
  }

  std::vector<const GstStructure*> fragments() { return messages_.named("assetwritersink-fragment"); }

  // Every fragment message, then one file-complete naming `path` with its size, then EOS.
  void expect_fragments_then_complete_then_eos(const std::string& path) {
    const std::vector<PostedMessages::Posted> posted = messages_.all();
    ASSERT_GE(posted.size(), 2u);
    EXPECT_EQ(posted.back().name, "eos");
    const PostedMessages::Posted& complete = posted[posted.size() - 2];
    ASSERT_EQ(complete.name, "assetwritersink-file-complete");
    for (size_t i = 0; i + 2 < posted.size(); ++i) EXPECT_EQ(posted[i].name, "assetwritersink-fragment") << i;
    EXPECT_STREQ(gst_structure_get_string(complete.fields, "location"), path.c_str());
    guint64 size = 0, duration = 0, count = 0;
    ASSERT_TRUE(gst_structure_get_uint64(complete.fields, "size", &size));
    ASSERT_TRUE(gst_structure_get_uint64(complete.fields, "duration", &duration));
    ASSERT_TRUE(gst_structure_get_uint64(complete.fields, "fragments", &count));
    EXPECT_EQ(size, std::filesystem::file_size(path));
    EXPECT_EQ(count, posted.size() - 2);
    FileInfo info;
    discover(path, &info);
    ASSERT_TRUE(info.ok) << info.error;
    EXPECT_NEAR(static_cast<double>(duration), static_cast<double>(info.duration), GST_MSECOND);
    EXPECT_NEAR(static_cast<double>(duration), 3.0 * GST_SECOND, 2 * GST_MSECOND);
  }

  // The fragments follow each other in the file, each starting where the last one's media ended, and each
  // reported range starts with a box of type `first_box` in the finished file.
  void expect_fragments_tile(const std::string& path, gboolean synced, const char* first_box) {
    std::vector<const GstStructure*> frags = fragments();
    ASSERT_EQ(frags.size(), 3u);
    const std::string bytes = file_bytes(path);
    guint64 next_offset = 0;
    for (size_t i = 0; i < frags.size(); ++i) {
      SCOPED_TRACE("fragment " + std::to_string(i));
      guint64 index = 0, running_time = 0, duration = 0, offset = 0, size = 0;
      guint sequence = 0;
      gboolean was_synced = !synced;
      ASSERT_TRUE(gst_structure_get(frags[i], "index", G_TYPE_UINT64, &index, "sequence-number", G_TYPE_UINT, &sequence,
                                    "running-time", G_TYPE_UINT64, &running_time, "duration", G_TYPE_UINT64, &duration,
                                    "offset", G_TYPE_UINT64, &offset, "size", G_TYPE_UINT64, &size, "synced",
                                    G_TYPE_BOOLEAN, &was_synced, nullptr));
      EXPECT_STREQ(gst_structure_get_string(frags[i], "location"), path.c_str());
      EXPECT_EQ(index, i);
      EXPECT_EQ(sequence, i + 1);
      EXPECT_EQ(was_synced, synced);
      // The harness's segment starts at 0: running time is the buffers' PTS (x264enc's start at 1000 h).
      const GstClockTime first = GST_BUFFER_PTS(stream_->buffers[0]);
      EXPECT_NEAR(static_cast<double>(running_time), static_cast<double>(first + i * GST_SECOND), GST_MSECOND);
      EXPECT_NEAR(static_cast<double>(duration), static_cast<double>(GST_SECOND), GST_MSECOND);
      if (i > 0) {
        EXPECT_EQ(offset, next_offset);
      }
      next_offset = offset + size;
      ASSERT_LE(offset + size, bytes.size());
      EXPECT_EQ(bytes.substr(offset + 4, 4), first_box);
    }
  }

  // A recording with 1 s fragments (`interval_property`) and syncing as `synced`: the fragment messages
  // tile the file, each range starting with `first_box` once finished, then file-complete, then EOS.
  void expect_fragment_messages(const char* interval_property, bool synced, const char* first_box) {
    g_object_set(element_, interval_property, GST_SECOND, nullptr);
    gst_util_set_object_arg(G_OBJECT(element_), "sync-fragments", synced ? "true" : "false");
    const std::string path = record("fragments.mp4");
    expect_fragments_tile(path, synced, first_box);
    expect_fragments_then_complete_then_eos(path);
  }

  std::optional<EncodedStream> stream_;
  PostedMessages messages_{"assetwritersink-", true};
};

TEST_F(ProgressTest, a_fragmented_movie_posts_each_fragment_then_file_complete_then_eos) {
  expect_fragment_messages("fragment-interval", false, "moof");
}

// Crash-safe fragments' headers become 'free' at finish.
TEST_F(ProgressTest, a_crash_safe_recording_posts_synced_fragments_whose_headers_are_free_once_finished) {
  expect_fragment_messages("crash-recovery-interval", true, "free");
}

TEST_F(ProgressTest, a_plain_movie_posts_only_file_complete_before_eos) {
  g_object_set(element_, "crash-recovery-interval", static_cast<guint64>(0), nullptr);
  const std::string path = record("plain.mp4");
  EXPECT_TRUE(fragments().empty());
  expect_fragments_then_complete_then_eos(path);
}

TEST_F(ProgressTest, stopping_before_eos_still_posts_file_complete) {
  const std::string path = dir_.path("stopped.mp4");
  set_location(path);
  g_object_set(element_, "fragment-interval", GST_SECOND, nullptr);
  GstHarness* h = harness("video_%u");
  ASSERT_EQ(push_stream(h, *stream_, 45), GST_FLOW_OK);
  gst_element_set_state(element_, GST_STATE_NULL);
  const std::vector<PostedMessages::Posted> posted = messages_.all();
  ASSERT_FALSE(posted.empty());
  EXPECT_EQ(posted.back().name, "assetwritersink-file-complete");
  guint64 size = 0;
  ASSERT_TRUE(gst_structure_get_uint64(posted.back().fields, "size", &size));
  EXPECT_EQ(size, std::filesystem::file_size(path));
}

}  // namespace
}  // namespace gstaw::test

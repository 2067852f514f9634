// Hostile or unusual stream behaviour: caps changes mid-stream, late pad requests, EOS without data,
// flushes, many pads, empty and huge buffers, timestamps going back, a silent pad next to a live one, and
// reusing the element for a second file. Each case either writes a structurally sound file (checked with
// lib/testing/movie_check.h and qtdemux) or posts one ERROR whose domain, code and text say what and where.
#include <glib/gstdio.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "element_fixture.h"
#include "testing/box_tree.h"
#include "testing/movie_check.h"

namespace gstaw::test {
namespace {

class RobustnessTest : public ElementTest {
 protected:
  // Pushes 10 frames at 320x240 and then, after a caps event with new parameter sets (an encoder restarted
  // at 640x480), 10 at that size; expects EOS, a sound file with two sample descriptions and all 20 frames
  // decoded. Properties other than fragment-interval are set before.
  void expect_caps_change_accepted(const std::string& location, bool fragmented);

  // Pushes `count` buffers of `stream` on `h`, then what a flushing seek upstream sends: flush-start,
  // flush-stop (resetting the running time or not) and a new TIME segment.
  void push_then_flush(GstHarness* h, const EncodedStream& stream, size_t count, bool reset_time) {
    ASSERT_EQ(push_stream(h, stream, count), GST_FLOW_OK);
    ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_flush_start()));
    ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_flush_stop(reset_time)));
    GstSegment segment;
    gst_segment_init(&segment, GST_FORMAT_TIME);
    ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_segment(&segment)));
  }
};

// Waits for EOS; fails the test with the text of an ERROR instead.
void expect_eos(GstMessage* message) { EXPECT_TRUE(is_eos(message)); }

std::string structure_problem(const std::string& path) { return aw::check::check_movie_file(path); }

// The 32-bit field at `offset` in the box at `box_path` of the file's first track, or 0 when there is none.
uint32_t first_track_field(const std::string& path, const char* box_path, size_t offset) {
  const std::string bytes = file_bytes(path);
  try {
    auto boxes = aw::test::parse_boxes({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, 0);
    for (const auto& b : boxes) {
      if (b.type != "moov") continue;
      if (const auto* box = b.find(box_path)) return box->u32(offset);
    }
  } catch (const std::exception&) {
  }
  return 0;
}

// Samples of the first track (its stsz count), or 0 when the file has none.
uint32_t sample_count(const std::string& path) { return first_track_field(path, "trak/mdia/minf/stbl/stsz", 8); }

// Sample descriptions (stsd entries) of the first track, or 0 when the file has none.
uint32_t sample_descriptions(const std::string& path) { return first_track_field(path, "trak/mdia/minf/stbl/stsd", 4); }

// Frames FFmpeg decodes from the first video stream ("20"), or its complaint.
std::string ffmpeg_decoded_frames(const std::string& path) {
  gchar* out = nullptr;
  gchar* err = nullptr;
  gint status = 0;
  const std::string command =
      "ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames "
      "-of csv=p=0 \"" +
      path + "\"";
  if (!g_spawn_command_line_sync(command.c_str(), &out, &err, &status, nullptr)) return "ffprobe did not run";
  std::string result = std::string(out ? out : "") + std::string(err ? err : "");
  g_free(out);
  g_free(err);
  while (!result.empty() && (result.back() == '\n' || result.back() == ',')) result.pop_back();
  return result;
}

// Polls for `path` to exist (the writer creates the file when writing starts).
bool wait_for_file(const std::string& path, std::chrono::seconds timeout = std::chrono::seconds(10)) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (g_file_test(path.c_str(), G_FILE_TEST_EXISTS)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST_F(RobustnessTest, caps_change_that_keeps_the_sample_entry_is_accepted_silently) {
  EncodedStream stream = h264_stream(20);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("framerate-change.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  ASSERT_EQ(push_stream(h, stream, 10), GST_FLOW_OK);
  // Only the framerate changes (as h264parse/h265parse updates do): the avcC stays the same.
  GstCaps* changed = gst_caps_copy(stream.caps);
  gst_caps_set_simple(changed, "framerate", GST_TYPE_FRACTION, 25, 1, "interlace-mode", G_TYPE_STRING, "progressive",
                      nullptr);
  ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_caps(changed)));
  gst_caps_unref(changed);
  for (size_t i = 10; i < stream.buffers.size(); ++i)
    ASSERT_EQ(gst_harness_push(h, gst_buffer_ref(stream.buffers[i])), GST_FLOW_OK);
  gst_harness_push_event(h, gst_event_new_eos());
  expect_eos(next_message(GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING));
  EXPECT_EQ(structure_problem(location), "");
  EXPECT_EQ(decoded_video_frames(location), 20);
}

void RobustnessTest::expect_caps_change_accepted(const std::string& location, bool fragmented) {
  EncodedStream first = h264_stream_sized(10, 320, 240);
  EncodedStream second = h264_stream_sized(10, 640, 480);
  ASSERT_NE(first.caps, nullptr);
  ASSERT_NE(second.caps, nullptr);
  set_location(location);
  if (fragmented) g_object_set(element_, "fragment-interval", static_cast<guint64>(GST_SECOND / 10), nullptr);
  GstHarness* h = harness("video_%u");
  ASSERT_EQ(push_stream(h, first), GST_FLOW_OK);
  ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_caps(second.caps)));
  for (GstBuffer* buffer : second.buffers) ASSERT_EQ(gst_harness_push(h, shifted(buffer, GST_SECOND)), GST_FLOW_OK);
  gst_harness_push_event(h, gst_event_new_eos());
  expect_eos(next_message(GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING));
  EXPECT_EQ(structure_problem(location), "");
  EXPECT_EQ(sample_descriptions(location), 2u);
  EXPECT_EQ(ffmpeg_decoded_frames(location), "20");
  EXPECT_EQ(decoded_video_frames(location), 20);
}

// A new avcC (other SPS/PPS: an encoder restarted at another resolution) after writing started becomes a
// second sample description of the track in a plain movie: one file, both parts decodable at their own size.
TEST_F(RobustnessTest, caps_change_with_new_parameter_sets_adds_a_sample_description) {
  // The harness answers latency queries as a live source, which would turn on crash-safe recording (its
  // fragments' header is out, as in a fragmented movie): a plain recording here.
  g_object_set(element_, "crash-recovery-interval", static_cast<guint64>(0), nullptr);
  const std::string location = dir_.path("new-sps.mp4");
  expect_caps_change_accepted(location, false);
  EXPECT_EQ(sample_count(location), 20u);
}

// A fragmented movie and a crash-safe recording (the harness answers latency queries as a live source,
// which turns it on by default) accept new parameter sets too: the header in front of the fragments is
// rewritten with a second description, the fragments after the change name it, and both parts decode.
using CapsChangeTest = RobustnessTest;

TEST_F(CapsChangeTest, new_parameter_sets_in_a_fragmented_movie_add_a_sample_description) {
  const std::string location = dir_.path("new-sps-fragmented.mp4");
  expect_caps_change_accepted(location, true);
}

TEST_F(CapsChangeTest, new_parameter_sets_in_a_crash_safe_recording_add_a_sample_description) {
  const std::string location = dir_.path("new-sps-crash-safe.mp4");
  expect_caps_change_accepted(location, false);
  EXPECT_EQ(sample_count(location), 20u);  // a plain movie again: its moov indexes every sample
}

// avc3: parameter sets travel in band, so new codec_data is no reason to stop (the decoder gets the new
// SPS/PPS from the stream itself).
TEST_F(RobustnessTest, in_band_parameter_set_change_is_accepted) {
  EncodedStream first = h264_stream_sized(10, 320, 240, "avc3");
  EncodedStream second = h264_stream_sized(10, 640, 480, "avc3");
  ASSERT_NE(first.caps, nullptr);
  ASSERT_NE(second.caps, nullptr);
  const std::string location = dir_.path("avc3-change.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  ASSERT_EQ(push_stream(h, first), GST_FLOW_OK);
  ASSERT_TRUE(gst_harness_push_event(h, gst_event_new_caps(second.caps)));
  for (GstBuffer* b : second.buffers) ASSERT_EQ(gst_harness_push(h, shifted(b, GST_SECOND)), GST_FLOW_OK);
  gst_harness_push_event(h, gst_event_new_eos());
  expect_eos(next_message(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  EXPECT_EQ(structure_problem(location), "");
  // avdec_h264 takes no avc3 without h264parse; FFmpeg decodes both resolutions from the in-band SPS.
  EXPECT_EQ(ffmpeg_decoded_frames(location), "20");
}

// The tracks are fixed when writing starts: a pad requested later is refused (no pad, no bus message) and
// the recording goes on unharmed.
TEST_F(RobustnessTest, pad_requested_after_writing_started_is_refused_and_recording_goes_on) {
  EncodedStream stream = h264_stream(20);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("late-pad.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  ASSERT_EQ(push_stream(h, stream, 10), GST_FLOW_OK);
  ASSERT_TRUE(wait_for_file(location)) << "writing did not start";

  GstPad* late = gst_element_request_pad_simple(element_, "audio_%u");
  EXPECT_EQ(late, nullptr);
  if (late) {
    gst_element_release_request_pad(element_, late);
    gst_object_unref(late);
  }
  ASSERT_EQ(push_buffers(h, stream, 10), GST_FLOW_OK);
  EXPECT_TRUE(end_streams_and_expect_eos({h}, GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING));
  EXPECT_EQ(structure_problem(location), "");
  EXPECT_EQ(decoded_video_frames(location), 20);
}

TEST_F(RobustnessTest, eos_without_data_warns_naming_the_path_writes_nothing_and_ends) {
  EncodedStream stream = h264_stream(1);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("nothing.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
  gst_harness_push_event(h, gst_event_new_eos());

  const BusMessage said = next(GST_MESSAGE_WARNING | GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_TRUE(said.is(GST_STREAM_ERROR, GST_STREAM_ERROR_DEMUX)) << said.type_name();
  EXPECT_EQ(said.type, GST_MESSAGE_WARNING);
  EXPECT_EQ(said.text, "No data received: nothing written to \"" + location + "\"");
  EXPECT_TRUE(is_eos(next_message(GST_MESSAGE_EOS | GST_MESSAGE_ERROR)));
  EXPECT_FALSE(g_file_test(location.c_str(), G_FILE_TEST_EXISTS));
}

// A flushing seek upstream (flush-start, flush-stop, a new segment) whose running time carries on: the
// recording continues in one file.
TEST_F(RobustnessTest, flush_with_running_time_that_carries_on_keeps_recording) {
  EncodedStream stream = h264_stream(20);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("flush.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  ASSERT_NO_FATAL_FAILURE(push_then_flush(h, stream, 10, false));
  ASSERT_EQ(push_buffers(h, stream, 10), GST_FLOW_OK);
  EXPECT_TRUE(end_streams_and_expect_eos({h}));
  EXPECT_EQ(structure_problem(location), "");
  // Buffers still in the pad when the flush came (the queued one and the one being chained) are dropped by
  // the flush, as a flush should.
  const uint32_t samples = sample_count(location);
  EXPECT_GE(samples, 18u);
  EXPECT_LE(samples, 20u);
  EXPECT_GT(decoded_video_frames(location), 0);
}

// A flushing seek that resets the running time (flush-stop with reset-time) sends decode times back:
// the element's own order check starts over (assetwriter_pad.cc), and the library refuses a decode time
// before the track's last one, so that is a clean ERROR naming the pad.
TEST_F(RobustnessTest, flush_that_resets_running_time_is_an_error_naming_the_pad) {
  EncodedStream stream = h264_stream(20);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("flush-reset.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  ASSERT_NO_FATAL_FAILURE(push_then_flush(h, stream, 10, true));
  gst_harness_push(h, gst_buffer_ref(stream.buffers[0]));

  const BusMessage said = next(GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_TRUE(said.is(GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED)) << said.type_name();
  EXPECT_EQ(said.text.rfind("video_0: decode time ", 0), 0u) << said.text;
  EXPECT_NE(said.text.find("goes back before the previous sample's"), std::string::npos) << said.text;
  gst_element_set_state(element_, GST_STATE_NULL);
  EXPECT_EQ(structure_problem(location), "");
  EXPECT_GE(sample_count(location), 8u);
  EXPECT_LE(sample_count(location), 10u);
}

TEST_F(RobustnessTest, thirty_two_pads_at_once_become_thirty_two_tracks) {
  EncodedStream video = h264_stream(15);
  EncodedStream audio = aac_stream(20);
  ASSERT_NE(video.caps, nullptr);
  ASSERT_NE(audio.caps, nullptr);
  const std::string location = dir_.path("32-pads.mp4");
  set_location(location);
  std::vector<GstHarness*> pads;
  for (int i = 0; i < 32; ++i) {
    const bool is_video = i % 2 == 0;
    GstHarness* h = harness(is_video ? "video_%u" : "audio_%u");
    gst_harness_set_src_caps(h, gst_caps_ref(is_video ? video.caps : audio.caps));
    pads.push_back(h);
  }
  const GstClockTime video_start = GST_BUFFER_PTS(video.buffers[0]);
  // One streaming thread per pad, as in a pipeline: a pad's queue holds one buffer until every pad has one.
  std::vector<std::thread> threads;
  std::atomic<int> refused{0};
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&, i] {
      const bool is_video = i % 2 == 0;
      for (GstBuffer* b : (is_video ? video : audio).buffers) {
        // x264enc's timeline starts at 1000 h, audiotestsrc's at 0: put the audio on the video's.
        if (gst_harness_push(pads[i], is_video ? gst_buffer_ref(b) : shifted(b, video_start)) != GST_FLOW_OK) ++refused;
      }
      gst_harness_push_event(pads[i], gst_event_new_eos());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(refused.load(), 0);
  EXPECT_TRUE(is_eos(next_message(GST_MESSAGE_EOS | GST_MESSAGE_ERROR)));
  EXPECT_EQ(structure_problem(location), "");
  FileInfo info;
  discover(location, &info);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.video_streams, 16);
  EXPECT_EQ(info.audio_streams, 16);
}

// A 0-byte buffer holds no frame: it is dropped with a WARNING naming the pad (an empty sample would make
// readers fail; issue 22), as an empty GAP buffer is dropped silently; the file stays sound and every real
// frame decodes.
TEST_F(RobustnessTest, zero_byte_buffers_are_dropped_with_a_warning_or_as_gaps) {
  EncodedStream stream = h264_stream(10);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("empty-buffer.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
  const GstClockTime frame = GST_SECOND / 30;
  for (size_t i = 0; i < 5; ++i) ASSERT_EQ(gst_harness_push(h, gst_buffer_ref(stream.buffers[i])), GST_FLOW_OK);
  // x264enc's timestamps start at 1000 h; the extra buffers go between frames 4 and 5.
  const GstClockTime after_4 = GST_BUFFER_DTS(stream.buffers[4]);
  GstBuffer* empty = gst_buffer_new();
  GST_BUFFER_PTS(empty) = GST_BUFFER_DTS(empty) = after_4 + frame / 4;
  GST_BUFFER_DURATION(empty) = frame / 4;
  GST_BUFFER_FLAG_SET(empty, GST_BUFFER_FLAG_DELTA_UNIT);
  ASSERT_EQ(gst_harness_push(h, empty), GST_FLOW_OK);
  GstBuffer* gap = gst_buffer_new();
  GST_BUFFER_PTS(gap) = GST_BUFFER_DTS(gap) = after_4 + frame / 2;
  GST_BUFFER_FLAG_SET(gap, GST_BUFFER_FLAG_GAP);
  ASSERT_EQ(gst_harness_push(h, gap), GST_FLOW_OK);
  ASSERT_EQ(push_buffers(h, stream, 5), GST_FLOW_OK);
  gst_harness_push_event(h, gst_event_new_eos());
  const BusMessage said = next(GST_MESSAGE_WARNING | GST_MESSAGE_ERROR);
  EXPECT_EQ(said.type, GST_MESSAGE_WARNING) << said.text;
  EXPECT_EQ(said.text.rfind("video_0: dropped an empty (0-byte) buffer", 0), 0u) << said.text;
  EXPECT_TRUE(is_eos(next_message(GST_MESSAGE_EOS | GST_MESSAGE_ERROR)));
  EXPECT_EQ(structure_problem(location), "");
  // The 10 frames: neither the empty buffer nor the GAP buffer is a sample.
  EXPECT_EQ(sample_count(location), 10u);
  EXPECT_EQ(decoded_video_frames(location), 10);
}

// One 64 MiB buffer (a huge intra frame, say) is written whole, without copies piling up.
TEST_F(RobustnessTest, sixty_four_mib_buffer_is_written_whole) {
  EncodedStream stream = h264_stream(5);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("huge-buffer.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
  for (GstBuffer* b : stream.buffers) ASSERT_EQ(gst_harness_push(h, gst_buffer_ref(b)), GST_FLOW_OK);
  constexpr gsize kHuge = 64u << 20;
  GstBuffer* huge = gst_buffer_new_allocate(nullptr, kHuge, nullptr);
  gst_buffer_memset(huge, 0, 0, kHuge);
  GST_BUFFER_PTS(huge) = GST_BUFFER_DTS(huge) = GST_BUFFER_DTS(stream.buffers.back()) + GST_SECOND / 30;
  GST_BUFFER_FLAG_SET(huge, GST_BUFFER_FLAG_DELTA_UNIT);
  ASSERT_EQ(gst_harness_push(h, huge), GST_FLOW_OK);
  EXPECT_TRUE(end_streams_and_expect_eos({h}));
  EXPECT_EQ(structure_problem(location), "");
  EXPECT_EQ(sample_count(location), 6u);
  GStatBuf st;
  ASSERT_EQ(g_stat(location.c_str(), &st), 0);
  EXPECT_GT(static_cast<guint64>(st.st_size), guint64{kHuge});
  EXPECT_LT(static_cast<guint64>(st.st_size), guint64{kHuge} + 64 * 1024);
}

// A PTS a few frames before its decode time is representable (the composition offsets are shifted and the
// edit list compensates); one hours before it is a broken timestamper: a clean ERROR naming the pad.
TEST_F(RobustnessTest, pts_jumping_hours_back_before_the_decode_time_is_an_error_naming_the_pad) {
  EncodedStream stream = h264_stream(10);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("pts-back.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
  for (size_t i = 0; i < 5; ++i) ASSERT_EQ(gst_harness_push(h, gst_buffer_ref(stream.buffers[i])), GST_FLOW_OK);
  GstBuffer* back = gst_buffer_copy(stream.buffers[5]);
  GST_BUFFER_PTS(back) = GST_BUFFER_DTS(back) - 5 * 3600 * GST_SECOND;
  gst_harness_push(h, back);

  const BusMessage said = next(GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_TRUE(said.is(GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED)) << said.type_name();
  EXPECT_EQ(said.text, "video_0: presentation and decode time are too far apart");
  gst_element_set_state(element_, GST_STATE_NULL);
  EXPECT_EQ(structure_problem(location), "");
  EXPECT_EQ(decoded_video_frames(location), 5);
}

TEST_F(RobustnessTest, pts_a_few_frames_before_the_decode_time_is_accepted) {
  EncodedStream stream = h264_stream(10);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("pts-slightly-back.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
  for (size_t i = 0; i < stream.buffers.size(); ++i) {
    GstBuffer* b = gst_buffer_copy(stream.buffers[i]);
    if (i == 5) GST_BUFFER_PTS(b) = GST_BUFFER_DTS(b) - 3 * GST_SECOND / 30;
    ASSERT_EQ(gst_harness_push(h, b), GST_FLOW_OK);
  }
  EXPECT_TRUE(end_streams_and_expect_eos({h}));
  EXPECT_EQ(structure_problem(location), "");
  EXPECT_EQ(decoded_video_frames(location), 10);
}

// PTS that go back while decode times go forward are just reordered frames (B-frames): accepted.
TEST_F(RobustnessTest, pts_going_back_with_increasing_decode_times_is_reordering_and_accepted) {
  EncodedStream stream = capture(
      "videotestsrc num-buffers=20 ! video/x-raw,width=320,height=240,framerate=30/1 ! x264enc bframes=3 "
      "b-adapt=false key-int-max=10 speed-preset=ultrafast ! h264parse ! video/x-h264,stream-format=avc,alignment=au"
      " ! appsink name=out sync=false");
  ASSERT_NE(stream.caps, nullptr);
  bool goes_back = false;
  for (size_t i = 1; i < stream.buffers.size(); ++i) {
    goes_back |= GST_BUFFER_PTS(stream.buffers[i]) < GST_BUFFER_PTS(stream.buffers[i - 1]);
  }
  ASSERT_TRUE(goes_back) << "x264enc made no B-frames";
  const std::string location = dir_.path("reordered.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  ASSERT_EQ(push_stream(h, stream), GST_FLOW_OK);
  EXPECT_TRUE(end_streams_and_expect_eos({h}));
  EXPECT_EQ(structure_problem(location), "");
  EXPECT_EQ(decoded_video_frames(location), 20);
}

// A live recording where one requested pad never gets data (a camera that never starts, an unlinked pad)
// must not hang: the aggregator's live deadline lets the others be written without it (the file has no
// track for it), and EOS ends the pipeline although the silent pad never gets EOS. Before the deadline was
// used before writing started, aggregate() waited for the silent pad, the live source's streaming thread
// blocked in the full video pad, and even gst_element_send_event(EOS) blocked on its stream lock.
TEST(RobustnessPipelineTest, silent_pad_next_to_a_live_source_does_not_deadlock) {
  TempDir dir;
  const std::string location = dir.path("live-silent.mp4");
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(
      ("videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=30/1 ! x264enc tune=zerolatency "
       "speed-preset=ultrafast key-int-max=15 ! h264parse ! assetwritersink name=sink location=" +
       location)
          .c_str(),
      &error);
  ASSERT_NE(pipeline, nullptr) << (error ? error->message : "");
  GstElement* sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
  GstPad* silent = gst_element_request_pad_simple(sink, "audio_%u");
  ASSERT_NE(silent, nullptr);
  GstBus* bus = gst_element_get_bus(pipeline);
  ASSERT_NE(gst_element_set_state(pipeline, GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  // Writing starts one second (the start grace) plus the latency after the first video buffer.
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  const bool writing = g_file_test(location.c_str(), G_FILE_TEST_EXISTS);
  // send_event blocks while the source's streaming thread is stuck, so it goes from another thread.
  std::thread eos([pipeline] { gst_element_send_event(pipeline, gst_event_new_eos()); });
  GstMessage* message = wait_for(bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR, 10 * GST_SECOND);
  const bool ended = message != nullptr;
  if (message) {
    EXPECT_EQ(GST_MESSAGE_TYPE(message), GST_MESSAGE_EOS) << message_text(message);
    gst_message_unref(message);
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);  // flushes the pads, which releases a stuck send_event
  eos.join();
  gst_element_release_request_pad(sink, silent);
  gst_object_unref(silent);
  gst_object_unref(sink);
  gst_object_unref(bus);
  gst_object_unref(pipeline);
  EXPECT_TRUE(writing) << "nothing was written during 3 s of live video: the sink waits for the silent pad";
  ASSERT_TRUE(ended) << "the pipeline did not end within 10 s of EOS";
  EXPECT_EQ(structure_problem(location), "");
  FileInfo info;
  discover(location, &info);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.video_streams, 1);
  EXPECT_EQ(info.audio_streams, 0);
}

// The same with a live audio branch that never pushes (appsrc is-live, caps only): the video branch's own
// EOS (num-buffers) ends the recording, a WARNING names the left-out pad, and the file has video only. The
// queue gives the branch a maximum latency: appsrc alone answers max 0, the aggregator then cannot configure
// a live latency ("Add queues or other buffering elements") and has no deadline to go by.
TEST(RobustnessPipelineTest, live_branch_that_never_produces_is_left_out_and_eos_completes) {
  TempDir dir;
  const std::string location = dir.path("live-never.mp4");
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(
      ("videotestsrc is-live=true num-buffers=30 ! video/x-raw,width=320,height=240,framerate=30/1 ! x264enc "
       "tune=zerolatency speed-preset=ultrafast key-int-max=15 ! h264parse ! sink.video_0 "
       "appsrc is-live=true format=time caps=audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=2 "
       "! queue ! audioconvert ! avenc_aac ! aacparse ! sink.audio_0 assetwritersink name=sink location=" +
       location)
          .c_str(),
      &error);
  ASSERT_NE(pipeline, nullptr) << (error ? error->message : "");
  GstBus* bus = gst_element_get_bus(pipeline);
  ASSERT_NE(gst_element_set_state(pipeline, GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  // One second of video in real time; the rest is slack for a loaded machine.
  std::string warning;
  GstMessage* message = nullptr;
  while ((message = wait_for(bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING, 20 * GST_SECOND))) {
    if (GST_MESSAGE_TYPE(message) != GST_MESSAGE_WARNING) break;
    warning = message_text(message);
    gst_message_unref(message);
  }
  const bool ended = message != nullptr;
  if (message) {
    EXPECT_EQ(GST_MESSAGE_TYPE(message), GST_MESSAGE_EOS) << message_text(message);
    gst_message_unref(message);
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(bus);
  gst_object_unref(pipeline);
  ASSERT_TRUE(ended) << "the pipeline did not end within 20 s of starting";
  EXPECT_EQ(warning, "audio_0: no data within the live latency when writing started: the file has no track for it");
  EXPECT_EQ(structure_problem(location), "");
  FileInfo info;
  discover(location, &info);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.video_streams, 1);
  EXPECT_EQ(info.audio_streams, 0);
  EXPECT_EQ(decoded_video_frames(location), 30);
}

// PLAYING → NULL → PLAYING with a new location: the second run writes a second, complete file.
TEST(RobustnessPipelineTest, element_is_reused_for_a_new_file_after_null) {
  TempDir dir;
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(
      "videotestsrc num-buffers=10 ! video/x-raw,width=320,height=240,framerate=30/1 ! x264enc "
      "speed-preset=ultrafast ! h264parse ! assetwritersink name=sink",
      &error);
  ASSERT_NE(pipeline, nullptr) << (error ? error->message : "");
  GstElement* sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
  GstBus* bus = gst_element_get_bus(pipeline);
  for (const char* name : {"first.mp4", "second.mp4"}) {
    g_object_set(sink, "location", dir.path(name).c_str(), nullptr);
    ASSERT_NE(gst_element_set_state(pipeline, GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
    GstMessage* message = wait_for(bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR, 30 * GST_SECOND);
    ASSERT_NE(message, nullptr) << name;
    EXPECT_EQ(GST_MESSAGE_TYPE(message), GST_MESSAGE_EOS) << name << ": " << message_text(message);
    gst_message_unref(message);
    ASSERT_EQ(gst_element_set_state(pipeline, GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
  }
  gst_object_unref(bus);
  gst_object_unref(sink);
  gst_object_unref(pipeline);
  for (const char* name : {"first.mp4", "second.mp4"}) {
    EXPECT_EQ(structure_problem(dir.path(name)), "") << name;
    EXPECT_EQ(decoded_video_frames(dir.path(name)), 10) << name;
  }
}

}  // namespace
}  // namespace gstaw::test

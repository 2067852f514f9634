#include "test_support.h"

#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "testing/box_tree.h"

namespace gstaw::test {
namespace {

class GstEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { gst_init(nullptr, nullptr); }
};
[[maybe_unused]] ::testing::Environment* const gst_environment =
    ::testing::AddGlobalTestEnvironment(new GstEnvironment);

}  // namespace

EncodedStream::EncodedStream(EncodedStream&& other) noexcept : caps(other.caps), buffers(std::move(other.buffers)) {
  other.caps = nullptr;
  other.buffers.clear();
}

EncodedStream::~EncodedStream() {
  if (caps) gst_caps_unref(caps);
  for (GstBuffer* buffer : buffers) gst_buffer_unref(buffer);
}

EncodedStream capture(const std::string& launch) {
  EncodedStream stream;
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(launch.c_str(), &error);
  if (!pipeline) {
    ADD_FAILURE() << "cannot build " << launch << ": " << (error ? error->message : "?");
    g_clear_error(&error);
    return stream;
  }
  GstElement* sink = gst_bin_get_by_name(GST_BIN(pipeline), "out");
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  // A timed pull: a failing pipeline never delivers EOS to the appsink.
  while (GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink), 10 * GST_SECOND)) {
    if (!stream.caps) stream.caps = gst_caps_ref(gst_sample_get_caps(sample));
    stream.buffers.push_back(gst_buffer_ref(gst_sample_get_buffer(sample)));
    gst_sample_unref(sample);
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(sink);
  gst_object_unref(pipeline);
  return stream;
}

EncodedStream h264_stream(int frames) {
  return capture("videotestsrc num-buffers=" + std::to_string(frames) +
                 " ! video/x-raw,width=320,height=240,framerate=30/1 ! x264enc key-int-max=10 "
                 "speed-preset=ultrafast ! h264parse ! video/x-h264,stream-format=avc,alignment=au ! "
                 "appsink name=out sync=false");
}

EncodedStream h264_stream_sized(int frames, int width, int height, const char* stream_format) {
  return capture("videotestsrc num-buffers=" + std::to_string(frames) +
                 " ! video/x-raw,width=" + std::to_string(width) + ",height=" + std::to_string(height) +
                 ",framerate=30/1 ! x264enc key-int-max=10 speed-preset=ultrafast ! h264parse ! video/x-h264,"
                 "stream-format=" +
                 stream_format + ",alignment=au ! appsink name=out sync=false");
}

EncodedStream aac_stream(int frames, int channels) {
  return capture("audiotestsrc num-buffers=" + std::to_string(frames) +
                 " samplesperbuffer=1024 ! audio/x-raw,rate=48000,channels=" + std::to_string(channels) +
                 " ! avenc_aac ! aacparse ! audio/mpeg,stream-format=raw ! appsink name=out sync=false");
}

GstBuffer* shifted(GstBuffer* buffer, GstClockTime offset) {
  GstBuffer* copy = gst_buffer_copy(buffer);
  if (GST_BUFFER_PTS_IS_VALID(copy)) GST_BUFFER_PTS(copy) += offset;
  if (GST_BUFFER_DTS_IS_VALID(copy)) GST_BUFFER_DTS(copy) += offset;
  return copy;
}

TempDir::TempDir() {
  gchar* dir = g_dir_make_tmp("gst-assetwriter-XXXXXX", nullptr);
  dir_ = dir;
  g_free(dir);
}

TempDir::~TempDir() {
  GDir* dir = g_dir_open(dir_.c_str(), 0, nullptr);
  if (dir) {
    while (const gchar* name = g_dir_read_name(dir)) g_remove(path(name).c_str());
    g_dir_close(dir);
  }
  g_rmdir(dir_.c_str());
}

GstMessage* wait_for(GstBus* bus, int types, GstClockTime timeout) {
  return gst_bus_timed_pop_filtered(bus, timeout, static_cast<GstMessageType>(types));
}

std::string message_text(GstMessage* message) {
  GError* error = nullptr;
  gchar* debug = nullptr;
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
    gst_message_parse_error(message, &error, &debug);
  } else if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_WARNING) {
    gst_message_parse_warning(message, &error, &debug);
  } else {
    return "";
  }
  std::string text = error ? error->message : "";
  g_clear_error(&error);
  g_free(debug);
  return text;
}

bool message_is(GstMessage* message, GQuark domain, int code) {
  GError* error = nullptr;
  gchar* debug = nullptr;
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) gst_message_parse_error(message, &error, &debug);
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_WARNING) gst_message_parse_warning(message, &error, &debug);
  const bool match = error && g_error_matches(error, domain, code);
  g_clear_error(&error);
  g_free(debug);
  return match;
}

BusMessage take_message(GstMessage* message) {
  BusMessage taken;
  if (!message) return taken;
  taken.type = GST_MESSAGE_TYPE(message);
  GError* error = nullptr;
  gchar* debug = nullptr;
  if (taken.type == GST_MESSAGE_ERROR) gst_message_parse_error(message, &error, &debug);
  if (taken.type == GST_MESSAGE_WARNING) gst_message_parse_warning(message, &error, &debug);
  if (error) {
    taken.domain = error->domain;
    taken.code = error->code;
    taken.text = error->message;
  }
  g_clear_error(&error);
  g_free(debug);
  gst_message_unref(message);
  return taken;
}

::testing::AssertionResult is_eos(GstMessage* message) {
  const BusMessage taken = take_message(message);
  if (taken.type == GST_MESSAGE_EOS) return ::testing::AssertionSuccess();
  if (taken.type == GST_MESSAGE_UNKNOWN)
    return ::testing::AssertionFailure() << "neither EOS nor ERROR within the timeout";
  return ::testing::AssertionFailure() << taken.type_name() << " instead of EOS: " << taken.text;
}

std::string run_to_eos(const std::string& launch, const std::function<void(GstMessage*)>& on_element_message) {
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(launch.c_str(), &error);
  if (!pipeline) {
    std::string text = error ? error->message : "parse failed";
    g_clear_error(&error);
    return text;
  }
  GstBus* bus = gst_element_get_bus(pipeline);
  std::string result;
  if (gst_element_set_state(pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) result = "state change failed";
  const int types = GST_MESSAGE_EOS | GST_MESSAGE_ERROR | (on_element_message ? GST_MESSAGE_ELEMENT : 0);
  GstMessage* message = nullptr;
  while ((message = wait_for(bus, types, 60 * GST_SECOND)) && GST_MESSAGE_TYPE(message) == GST_MESSAGE_ELEMENT) {
    on_element_message(message);
    gst_message_unref(message);
  }
  if (!message) {
    result = "timeout";
  } else if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
    result = message_text(message);
  }
  if (message) gst_message_unref(message);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(bus);
  gst_object_unref(pipeline);
  return result;
}

FileInfo::~FileInfo() {
  if (tags) gst_tag_list_unref(tags);
  if (video_tags) gst_tag_list_unref(video_tags);
}

namespace {
std::string string_tag(const GstTagList* tags, const char* name) {
  gchar* value = nullptr;
  if (!tags || !gst_tag_list_get_string(tags, name, &value)) return "";
  std::string out = value;
  g_free(value);
  return out;
}
}  // namespace

std::string FileInfo::tag(const char* name) const { return string_tag(tags, name); }
std::string FileInfo::video_tag(const char* name) const { return string_tag(video_tags, name); }

void discover(const std::string& path, FileInfo* info) {
  GError* error = nullptr;
  GstDiscoverer* discoverer = gst_discoverer_new(20 * GST_SECOND, &error);
  gchar* uri = gst_filename_to_uri(path.c_str(), nullptr);
  GstDiscovererInfo* result = gst_discoverer_discover_uri(discoverer, uri, &error);
  g_free(uri);
  if (!result || gst_discoverer_info_get_result(result) != GST_DISCOVERER_OK) {
    info->error = error ? error->message : "discoverer failed";
  } else {
    info->ok = true;
    info->duration = gst_discoverer_info_get_duration(result);
    if (const GstTagList* tags = gst_discoverer_info_get_tags(result)) info->tags = gst_tag_list_copy(tags);
    GList* videos = gst_discoverer_info_get_video_streams(result);
    GList* audios = gst_discoverer_info_get_audio_streams(result);
    info->video_streams = static_cast<int>(g_list_length(videos));
    info->audio_streams = static_cast<int>(g_list_length(audios));
    if (videos) {
      const GstTagList* tags = gst_discoverer_stream_info_get_tags(GST_DISCOVERER_STREAM_INFO(videos->data));
      if (tags) info->video_tags = gst_tag_list_copy(tags);
    }
    gst_discoverer_stream_info_list_free(videos);
    gst_discoverer_stream_info_list_free(audios);
  }
  g_clear_error(&error);
  if (result) gst_discoverer_info_unref(result);
  gst_object_unref(discoverer);
}

int decoded_video_frames(const std::string& path) {
  const std::string launch = "filesrc location=\"" + path +
                             "\" ! qtdemux ! video/x-h264 ! avdec_h264 ! appsink name=out sync=false";
  EncodedStream frames = capture(launch);
  return frames.caps ? static_cast<int>(frames.buffers.size()) : -1;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> top_level_boxes(const std::string& path) { return aw::test::scan_top_level(path).types(); }

}  // namespace gstaw::test

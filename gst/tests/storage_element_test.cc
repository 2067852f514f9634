// The storage hooks of segment mode (hlssink3's get-init-stream, get-fragment-stream, get-playlist-stream,
// delete-fragment): with every signal answered by a GMemoryOutputStream, the element hands over exactly the
// files the same input writes to disk, and asks to delete what a live window deletes; a handler returning
// NULL is an ERROR naming the file.
#include <gio/gio.h>
#include <gst/check/gstharness.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace gstaw::test {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// What the handlers were asked, in order.
struct Recorded {
  std::string signal;
  std::string location;
  GOutputStream* stream = nullptr;  // a GMemoryOutputStream, referenced
};

struct Recorder {
  std::vector<Recorded> streams;
  std::vector<std::string> deleted;
  ~Recorder() {
    for (Recorded& r : streams) g_object_unref(r.stream);
  }
};

GOutputStream* give_stream(const char* signal, const gchar* location, Recorder* recorder) {
  GOutputStream* stream = g_memory_output_stream_new_resizable();
  recorder->streams.push_back({signal, location, G_OUTPUT_STREAM(g_object_ref(stream))});
  return stream;  // transfer full, as hlssink3's handlers
}
GOutputStream* on_init(GstElement*, const gchar* location, gpointer data) {
  return give_stream("get-init-stream", location, static_cast<Recorder*>(data));
}
GOutputStream* on_fragment(GstElement*, const gchar* location, gpointer data) {
  return give_stream("get-fragment-stream", location, static_cast<Recorder*>(data));
}
GOutputStream* on_playlist(GstElement*, const gchar* location, gpointer data) {
  return give_stream("get-playlist-stream", location, static_cast<Recorder*>(data));
}
gboolean on_delete(GstElement*, const gchar* location, gpointer data) {
  static_cast<Recorder*>(data)->deleted.push_back(location);
  return TRUE;
}
GOutputStream* no_stream(GstElement*, const gchar*, gpointer) { return nullptr; }

std::string bytes_of(GOutputStream* stream) {
  auto* memory = G_MEMORY_OUTPUT_STREAM(stream);
  return std::string(static_cast<const char*>(g_memory_output_stream_get_data(memory)),
                     g_memory_output_stream_get_data_size(memory));
}

// An assetwritersink in segment mode (1/3 s segments of 1/10 s byte-range parts, a live window of 2 with 3
// files kept, a multivariant playlist) writing under `dir`, with its own bus and harness.
struct Sink {
  GstElement* element = nullptr;
  GstBus* bus = nullptr;
  GstHarness* harness = nullptr;

  explicit Sink(const std::string& dir) {
    element = gst_element_factory_make("assetwritersink", nullptr);
    gst_object_ref_sink(element);
    bus = gst_bus_new();
    gst_element_set_bus(element, bus);
    g_object_set(element, "segment-interval", GST_SECOND / 3, "part-interval", GST_SECOND / 10, "location",
                 (dir + "/segment%05d.m4s").c_str(), "init-location", (dir + "/init.mp4").c_str(), "playlist-location",
                 (dir + "/index.m3u8").c_str(), "multivariant-playlist-location", (dir + "/main.m3u8").c_str(),
                 "playlist-length", 2u, "max-files", 3u, "sync-fragments", FALSE, "program-date-time", FALSE, nullptr);
  }
  void start() { harness = gst_harness_new_with_element(element, "video_%u", nullptr); }
  ~Sink() {
    if (harness) gst_harness_teardown(harness);
    gst_element_set_state(element, GST_STATE_NULL);
    gst_object_unref(bus);
    gst_object_unref(element);
  }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
};

TEST(StorageHooks, memory_streams_receive_the_files_the_same_input_writes_to_disk) {
  EncodedStream stream = h264_stream(90);  // 9 GOPs of 1/3 s
  ASSERT_NE(stream.caps, nullptr);
  TempDir dir;
  const std::string on_disk = fs::path(dir.path("x")).parent_path().string();
  const std::string remote = on_disk + "/remote";  // never created: nothing may be written there
  Sink files(on_disk);
  Sink hooked(remote);
  Recorder recorder;
  g_signal_connect(hooked.element, "get-init-stream", G_CALLBACK(on_init), &recorder);
  g_signal_connect(hooked.element, "get-fragment-stream", G_CALLBACK(on_fragment), &recorder);
  g_signal_connect(hooked.element, "get-playlist-stream", G_CALLBACK(on_playlist), &recorder);
  g_signal_connect(hooked.element, "delete-fragment", G_CALLBACK(on_delete), &recorder);
  files.start();
  hooked.start();
  // Buffer by buffer into both, so both movies are made in the same second (their mvhd creation time).
  for (Sink* sink : {&files, &hooked}) gst_harness_set_src_caps(sink->harness, gst_caps_ref(stream.caps));
  for (GstBuffer* buffer : stream.buffers) {
    for (Sink* sink : {&files, &hooked})
      ASSERT_EQ(gst_harness_push(sink->harness, gst_buffer_ref(buffer)), GST_FLOW_OK);
  }
  for (Sink* sink : {&files, &hooked}) {
    gst_harness_push_event(sink->harness, gst_event_new_eos());
    ASSERT_TRUE(is_eos(wait_for(sink->bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR)));
  }
  EXPECT_FALSE(fs::exists(remote));

  // The last stream of each location not deleted since, relative to its directory; every stream closed.
  std::map<std::string, std::string> kept;
  std::map<std::string, std::string> signal_of;
  for (const Recorded& r : recorder.streams) {
    EXPECT_TRUE(g_output_stream_is_closed(r.stream)) << r.location;
    ASSERT_TRUE(r.location.starts_with(remote + "/")) << r.location;
    const std::string name = r.location.substr(remote.size() + 1);
    kept[name] = bytes_of(r.stream);
    signal_of[name] = r.signal;
  }
  std::vector<std::string> deleted;
  for (const std::string& location : recorder.deleted) {
    const std::string name = location.substr(remote.size() + 1);
    EXPECT_EQ(kept.erase(name), 1u) << name << " deleted but never written";
    deleted.push_back(name);
  }
  std::map<std::string, std::string> disk;
  for (const auto& entry : fs::directory_iterator(on_disk)) {
    if (entry.is_regular_file()) disk[entry.path().filename().string()] = read_file(entry.path().string());
  }
  ASSERT_GE(disk.size(), 5u);
  EXPECT_EQ(kept.size(), disk.size());
  for (const auto& [name, bytes] : disk) {
    auto found = kept.find(name);
    ASSERT_NE(found, kept.end()) << name << " is on disk but was not handed to a stream";
    EXPECT_EQ(found->second, bytes) << name << " differs from the file";
  }
  EXPECT_EQ(signal_of.at("init.mp4"), "get-init-stream");
  EXPECT_EQ(signal_of.at("index.m3u8"), "get-playlist-stream");
  EXPECT_EQ(signal_of.at("main.m3u8"), "get-playlist-stream");
  EXPECT_EQ(signal_of.at("segment00008.m4s"), "get-fragment-stream");
  // delete-fragment for exactly the segments the file run deleted (9 written, 3 kept), oldest first.
  EXPECT_EQ(deleted, (std::vector<std::string>{"segment00000.m4s", "segment00001.m4s", "segment00002.m4s",
                                               "segment00003.m4s", "segment00004.m4s", "segment00005.m4s"}));
  // One fragment stream per segment (its parts appended to it), one per playlist version.
  EXPECT_EQ(std::count(deleted.begin(), deleted.end(), "segment00000.m4s"), 1);
  size_t fragment_streams = 0;
  for (const Recorded& r : recorder.streams) fragment_streams += r.signal == "get-fragment-stream";
  EXPECT_EQ(fragment_streams, 9u);
}

TEST(StorageHooks, a_handler_returning_null_is_an_error_naming_the_location) {
  EncodedStream stream = h264_stream(30);
  ASSERT_NE(stream.caps, nullptr);
  TempDir dir;
  const std::string remote = fs::path(dir.path("x")).parent_path().string() + "/remote";
  Sink sink(remote);
  g_signal_connect(sink.element, "get-fragment-stream", G_CALLBACK(no_stream), nullptr);
  Recorder recorder;
  g_signal_connect(sink.element, "get-init-stream", G_CALLBACK(on_init), &recorder);
  g_signal_connect(sink.element, "get-playlist-stream", G_CALLBACK(on_playlist), &recorder);
  sink.start();
  gst_harness_set_src_caps(sink.harness, gst_caps_ref(stream.caps));
  for (GstBuffer* buffer : stream.buffers) {
    if (gst_harness_push(sink.harness, gst_buffer_ref(buffer)) != GST_FLOW_OK) break;
  }
  gst_harness_push_event(sink.harness, gst_event_new_eos());
  const BusMessage said = take_message(wait_for(sink.bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  ASSERT_EQ(said.type, GST_MESSAGE_ERROR);
  EXPECT_TRUE(said.is(GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE)) << said.text;
  EXPECT_NE(said.text.find("get-fragment-stream returned no stream for \"" + remote + "/segment00000.m4s\""),
            std::string::npos)
      << said.text;
  EXPECT_FALSE(fs::exists(remote));
}

}  // namespace
}  // namespace gstaw::test

// Helpers shared by the element tests: GStreamer set-up, encoded streams captured from real encoders,
// bus waits, and independent readers of the written files (qtdemux through GstDiscoverer and decoding).
#pragma once

#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace gstaw::test {

// Buffers and caps of a stream produced by `launch`, a pipeline ending in "appsink name=out".
struct EncodedStream {
  GstCaps* caps = nullptr;
  std::vector<GstBuffer*> buffers;
  EncodedStream() = default;
  EncodedStream(EncodedStream&& other) noexcept;
  EncodedStream(const EncodedStream&) = delete;
  EncodedStream& operator=(const EncodedStream&) = delete;
  ~EncodedStream();
};
EncodedStream capture(const std::string& launch);
// 320x240 H.264 (avc, au) from x264enc, `frames` frames at 30 fps, a key frame every 10.
EncodedStream h264_stream(int frames);
// The same at another size or stream-format ("avc3": parameter sets in band).
EncodedStream h264_stream_sized(int frames, int width, int height, const char* stream_format = "avc");
// AAC (raw, with codec_data) from avenc_aac, `frames` frames of 1024 samples at 48 kHz.
EncodedStream aac_stream(int frames, int channels = 2);
// A copy of `buffer` with its timestamps moved by `offset`.
GstBuffer* shifted(GstBuffer* buffer, GstClockTime offset);

// A fresh directory under the system temp dir, removed with its files on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
};

// The first message of one of `types` within `timeout`, or nullptr.
GstMessage* wait_for(GstBus* bus, int types, GstClockTime timeout = 20 * GST_SECOND);
// "<text>" of an ERROR or WARNING message.
std::string message_text(GstMessage* message);
bool message_is(GstMessage* message, GQuark domain, int code);

// A bus message taken off the bus: its type and, for an ERROR or WARNING, its GError. `type` is
// GST_MESSAGE_UNKNOWN when nothing came within the timeout.
struct BusMessage {
  GstMessageType type = GST_MESSAGE_UNKNOWN;
  GQuark domain = 0;
  int code = 0;
  std::string text;
  bool is(GQuark error_domain, int error_code) const { return domain == error_domain && code == error_code; }
  const char* type_name() const { return gst_message_type_get_name(type); }
};
// Reads and unrefs `message` (which may be null).
BusMessage take_message(GstMessage* message);
// Success when `message` (read and unreffed; may be null) is an EOS; else the text of what came instead.
::testing::AssertionResult is_eos(GstMessage* message);

// Runs `launch` to EOS (or an error, returned as text); `on_element_message`, when given, sees every
// element message on the pipeline's bus before the EOS, in order.
std::string run_to_eos(const std::string& launch,
                       const std::function<void(GstMessage*)>& on_element_message = {});

// What qtdemux reads back (via GstDiscoverer).
struct FileInfo {
  bool ok = false;
  std::string error;
  GstClockTime duration = 0;
  int video_streams = 0;
  int audio_streams = 0;
  GstTagList* tags = nullptr;         // global
  GstTagList* video_tags = nullptr;   // of the first video stream
  FileInfo() = default;
  FileInfo(const FileInfo&) = delete;
  FileInfo& operator=(const FileInfo&) = delete;
  ~FileInfo();
  std::string tag(const char* name) const;
  std::string video_tag(const char* name) const;
};
void discover(const std::string& path, FileInfo* info);

// Frames decoded from the file's first video track (qtdemux ! avdec_h264); -1 on error.
int decoded_video_frames(const std::string& path);

// Top-level box types of an ISO BMFF file, in file order.
std::vector<std::string> top_level_boxes(const std::string& path);
std::string file_bytes(const std::string& path);

}  // namespace gstaw::test

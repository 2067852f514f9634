// The storage hooks: an aw::HlsStorage that asks the application for a GOutputStream per file through
// hlssink3's signals (emitted from the streaming thread, inside the writer's delivery of a segment, with
// the element's state lock held) and falls back to the library's local files for a kind nobody handles.
#include "sink/sink_storage.h"

#include <gio/gio.h>

#include <string>

#define GST_CAT_DEFAULT gst_asset_writer_sink_debug
GST_DEBUG_CATEGORY_EXTERN(gst_asset_writer_sink_debug);

namespace gstaw {
namespace {

enum StorageSignal { kGetInitStream, kGetFragmentStream, kGetPlaylistStream, kDeleteFragment, kStorageSignalCount };
guint signals[kStorageSignalCount];
constexpr const char* kSignalNames[] = {"get-init-stream", "get-fragment-stream", "get-playlist-stream",
                                        "delete-fragment"};
constexpr const char* kRelayKey = "assetwriter-signal-relay";

StorageSignal stream_signal_for(aw::HlsFileKind kind) {
  switch (kind) {
    case aw::HlsFileKind::kInitSegment: return kGetInitStream;
    case aw::HlsFileKind::kMediaSegment:
    case aw::HlsFileKind::kPart: return kGetFragmentStream;
    case aw::HlsFileKind::kPlaylist:
    case aw::HlsFileKind::kMultivariantPlaylist: break;
  }
  return kGetPlaylistStream;
}

// Whether the application handles `signal`: a handler on the element, or on the assetwriterbin relaying it.
bool handled(GstAssetWriterSink* self, StorageSignal signal) {
  const guint id = signals[signal];
  gpointer relay = g_object_get_data(G_OBJECT(self), kRelayKey);
  if (!relay) return g_signal_has_handler_pending(self, id, 0, FALSE);
  const auto mask = static_cast<GSignalMatchType>(G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA);
  const guint blocked = g_signal_handlers_block_matched(self, mask, id, 0, nullptr, nullptr, relay);
  const bool own = g_signal_has_handler_pending(self, id, 0, FALSE);
  if (blocked > 0) g_signal_handlers_unblock_matched(self, mask, id, 0, nullptr, nullptr, relay);
  if (own) return true;
  const guint bin_id = g_signal_lookup(kSignalNames[signal], G_OBJECT_TYPE(relay));
  return bin_id != 0 && g_signal_has_handler_pending(relay, bin_id, 0, FALSE);
}

std::string gio_error(const char* what, const std::string& location, GError* error) {
  std::string text = std::string(what) + " \"" + location + "\" failed: " + (error ? error->message : "unknown error");
  g_clear_error(&error);
  return text;
}

// One file written to the application's stream: all of it, then g_output_stream_close(). A growing segment
// (byte-range parts) is flushed after each part, which a playlist names right after.
class StreamWriter final : public aw::HlsStorageWriter {
 public:
  StreamWriter(GOutputStream* stream, std::string location, bool growing)
      : stream_(stream), location_(std::move(location)), growing_(growing) {}
  ~StreamWriter() override { g_object_unref(stream_); }
  StreamWriter(const StreamWriter&) = delete;
  StreamWriter& operator=(const StreamWriter&) = delete;

  aw::Status write(std::span<const uint8_t> data) override {
    GError* error = nullptr;
    gsize written = 0;
    if (!g_output_stream_write_all(stream_, data.data(), data.size(), &written, nullptr, &error)) {
      return aw::Status(aw::ErrorCode::kIo, gio_error("writing", location_, error));
    }
    if (growing_ && !g_output_stream_flush(stream_, nullptr, &error)) {
      return aw::Status(aw::ErrorCode::kIo, gio_error("flushing", location_, error));
    }
    return aw::Status::ok();
  }
  aw::Status close() override {
    GError* error = nullptr;
    if (!g_output_stream_close(stream_, nullptr, &error)) {
      return aw::Status(aw::ErrorCode::kIo, gio_error("closing the stream of", location_, error));
    }
    return aw::Status::ok();
  }

 private:
  GOutputStream* stream_;  // owned
  const std::string location_;
  const bool growing_;
};

class SinkStorage final : public aw::HlsFileStorage {
 public:
  SinkStorage(GstAssetWriterSink* self, bool sync) : HlsFileStorage(sync), self_(self) {}

  aw::Result<std::unique_ptr<aw::HlsStorageWriter>> open(const std::string& location, aw::HlsFileKind kind,
                                                         aw::HlsWriteMode mode) override {
    const StorageSignal signal = stream_signal_for(kind);
    if (!handled(self_, signal)) return HlsFileStorage::open(location, kind, mode);
    GOutputStream* stream = nullptr;
    g_signal_emit(self_, signals[signal], 0, location.c_str(), &stream);
    if (!stream) {
      return aw::Status(aw::ErrorCode::kIo,
                        std::string(kSignalNames[signal]) + " returned no stream for \"" + location + "\"");
    }
    GST_DEBUG_OBJECT(self_, "%s \"%s\" goes to the stream from %s", aw::to_string(kind), location.c_str(),
                     kSignalNames[signal]);
    return std::unique_ptr<aw::HlsStorageWriter>(
        new StreamWriter(stream, location, mode == aw::HlsWriteMode::kGrowing));
  }

  aw::Status remove(const std::string& location, aw::HlsFileKind kind) override {
    if (!handled(self_, kDeleteFragment)) return HlsFileStorage::remove(location, kind);
    gboolean deleted = FALSE;
    g_signal_emit(self_, signals[kDeleteFragment], 0, location.c_str(), &deleted);
    if (deleted) return aw::Status::ok();
    GST_WARNING_OBJECT(self_, "delete-fragment returned FALSE for \"%s\": it is left behind", location.c_str());
    return aw::Status(aw::ErrorCode::kIo, "delete-fragment returned FALSE for \"" + location + "\"");
  }

  // A kind whose files go to the application's streams needs no local directory.
  aw::Status prepare_directory_of(const std::string& location, aw::HlsFileKind kind) override {
    if (handled(self_, stream_signal_for(kind))) return aw::Status::ok();
    return HlsFileStorage::prepare_directory_of(location, kind);
  }

 private:
  GstAssetWriterSink* self_;  // not referenced: the packager lives in the element's state
};

}  // namespace

void install_storage_signals(GObjectClass* gobject_class) {
  const GType type = G_TYPE_FROM_CLASS(gobject_class);
  // get-init-stream(location) → GOutputStream (transfer full), as hlssink3 / hlscmafsink: segment mode writes
  // the initialization segment to the returned stream instead of the file `location`, then closes it.
  // Emitted from the streaming thread with the element's lock held (a handler must not call back into the
  // element). A handler returning NULL, or a stream that fails, is an ERROR naming the location.
  signals[kGetInitStream] = g_signal_new("get-init-stream", type, G_SIGNAL_RUN_LAST, 0, nullptr, nullptr, nullptr,
                                         G_TYPE_OUTPUT_STREAM, 1, G_TYPE_STRING);
  // get-fragment-stream(location) → GOutputStream: the same for each media segment, and each Low-Latency HLS
  // part file (part-files); with byte-range parts one stream per segment, written part by part (flushed
  // after each) and closed once the segment is complete.
  signals[kGetFragmentStream] = g_signal_new("get-fragment-stream", type, G_SIGNAL_RUN_LAST, 0, nullptr, nullptr,
                                             nullptr, G_TYPE_OUTPUT_STREAM, 1, G_TYPE_STRING);
  // get-playlist-stream(location) → GOutputStream: each version of a media playlist and of the multivariant
  // playlist, one stream per version.
  signals[kGetPlaylistStream] = g_signal_new("get-playlist-stream", type, G_SIGNAL_RUN_LAST, 0, nullptr, nullptr,
                                             nullptr, G_TYPE_OUTPUT_STREAM, 1, G_TYPE_STRING);
  // delete-fragment(location) → gboolean: a segment (or part) file past max-files, instead of deleting the
  // local file; FALSE: it was not deleted (a warning, the stream goes on).
  signals[kDeleteFragment] = g_signal_new("delete-fragment", type, G_SIGNAL_RUN_LAST, 0, nullptr, nullptr, nullptr,
                                          G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
}

std::shared_ptr<aw::HlsStorage> create_sink_storage(GstAssetWriterSink* self, bool sync) {
  return std::make_shared<SinkStorage>(self, sync);
}

void set_storage_signal_relay(GstElement* sink, GstElement* bin) { g_object_set_data(G_OBJECT(sink), kRelayKey, bin); }

}  // namespace gstaw

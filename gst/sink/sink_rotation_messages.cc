#include "sink/sink_rotation_messages.h"

#include "convert/buffer_to_sample.h"

namespace gstaw {
namespace {

class RotationMessages : public aw::RotationDelegate {
 public:
  RotationMessages(GstAssetWriterSink* self, std::vector<std::string> names) : self_(self), names_(std::move(names)) {}

  void did_open_file(const aw::RotatedFile& file) override {
    post(gst_structure_new("assetwritersink-file-opened", "location", G_TYPE_STRING, file.path.c_str(), "index",
                           G_TYPE_UINT64, static_cast<guint64>(file.index), "running-time-start", G_TYPE_UINT64,
                           to_clock_time(file.start), nullptr));
  }

  void did_close_file(const aw::RotatedFile& file) override {
    // Frames per track, by pad name: {video_0: 60, audio_0: 87}.
    GstStructure* frames = gst_structure_new_empty("frames");
    for (size_t i = 0; i < file.sample_counts.size() && i < names_.size(); ++i) {
      gst_structure_set(frames, names_[i].c_str(), G_TYPE_UINT64, static_cast<guint64>(file.sample_counts[i]), nullptr);
    }
    GstStructure* s =
        gst_structure_new("assetwritersink-file-closed", "location", G_TYPE_STRING, file.path.c_str(), "index",
                          G_TYPE_UINT64, static_cast<guint64>(file.index), "running-time-start", G_TYPE_UINT64,
                          to_clock_time(file.start), "running-time-end", G_TYPE_UINT64, to_clock_time(file.end),
                          "bytes", G_TYPE_UINT64, static_cast<guint64>(file.bytes), nullptr);
    gst_structure_set(s, "frames", GST_TYPE_STRUCTURE, frames, nullptr);  // copies
    gst_structure_free(frames);
    post(s);
  }

  void did_delete_file(const aw::RotatedFile& file) override {
    post(gst_structure_new("assetwritersink-file-deleted", "location", G_TYPE_STRING, file.path.c_str(), "index",
                           G_TYPE_UINT64, static_cast<guint64>(file.index), nullptr));
  }

 private:
  void post(GstStructure* s) {
    gst_element_post_message(GST_ELEMENT(self_), gst_message_new_element(GST_OBJECT(self_), s));
  }

  GstAssetWriterSink* self_;
  std::vector<std::string> names_;
};

}  // namespace

std::unique_ptr<aw::RotationDelegate> make_rotation_messages(GstAssetWriterSink* self,
                                                             std::vector<std::string> track_names) {
  return std::make_unique<RotationMessages>(self, std::move(track_names));
}

}  // namespace gstaw

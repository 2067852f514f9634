#include "sink/sink_progress.h"

#include <algorithm>
#include <optional>

#include "convert/buffer_to_sample.h"

namespace gstaw {
namespace {

class ProgressMessages : public aw::WriterObserver {
 public:
  ProgressMessages(GstAssetWriterSink* self, std::string location) : self_(self), location_(std::move(location)) {}

  void did_write_fragment(const aw::FragmentReport& fragment) override {
    // The fragment's media on the running-time timeline: from the earliest presented sample of any track to
    // the latest end.
    std::optional<aw::Time> start, end;
    for (const aw::SegmentTrackReport& track : fragment.tracks) {
      aw::Time track_end = track.earliest_presentation_time + track.duration;
      if (!start || track.earliest_presentation_time < *start) start = track.earliest_presentation_time;
      if (!end || *end < track_end) end = track_end;
    }
    const GstClockTime running_time = start ? to_clock_time(*start) : GST_CLOCK_TIME_NONE;
    const GstClockTime end_time = end ? to_clock_time(*end) : GST_CLOCK_TIME_NONE;
    const GstClockTime duration = GST_CLOCK_TIME_IS_VALID(running_time) && GST_CLOCK_TIME_IS_VALID(end_time)
                                      ? end_time - std::min(running_time, end_time)
                                      : GST_CLOCK_TIME_NONE;
    post(gst_structure_new("assetwritersink-fragment", "location", G_TYPE_STRING, location_.c_str(), "index",
                           G_TYPE_UINT64, static_cast<guint64>(written_++), "sequence-number", G_TYPE_UINT,
                           fragment.sequence_number, "running-time", G_TYPE_UINT64, running_time, "duration",
                           G_TYPE_UINT64, duration, "offset", G_TYPE_UINT64, static_cast<guint64>(fragment.offset),
                           "size", G_TYPE_UINT64, static_cast<guint64>(fragment.size), "synced", G_TYPE_BOOLEAN,
                           fragment.synced, nullptr));
  }

  void did_finish_writing(const aw::FinishReport& report) override {
    post(gst_structure_new("assetwritersink-file-complete", "location", G_TYPE_STRING, report.path.c_str(), "size",
                           G_TYPE_UINT64, static_cast<guint64>(report.size), "duration", G_TYPE_UINT64,
                           to_clock_time(report.duration), "fragments", G_TYPE_UINT64, static_cast<guint64>(written_),
                           nullptr));
  }

 private:
  void post(GstStructure* s) {
    gst_element_post_message(GST_ELEMENT(self_), gst_message_new_element(GST_OBJECT(self_), s));
  }

  GstAssetWriterSink* self_;
  std::string location_;
  uint64_t written_ = 0;
};

}  // namespace

std::unique_ptr<aw::WriterObserver> make_progress_observer(GstAssetWriterSink* self, std::string location) {
  return std::make_unique<ProgressMessages>(self, std::move(location));
}

}  // namespace gstaw

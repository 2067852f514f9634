// WriterCore::change_format: an input whose format changes mid-stream (new parameter sets: a resolution
// change, an encoder restart) gets a further sample description in its track. ISO/IEC 14496-12 8.5.2 lets
// stsd hold several entries and stsc name each chunk's (8.7.4), so one track plays both parts; a decoder
// re-initialises when the description changes.
//
// Fragmented movies and crash-safe recordings (fragments while recording) have their moov out in front of
// the fragments: it is replaced crash-safely by one with the new description (HeaderSpace), and the
// fragments from the change on name it in tfhd (a fragment ends before the change: FragmentWriter). Segment
// output instead starts a new initialization segment with the new description (header_per_description).
#include <mutex>

#include "writer/writer_core.h"

namespace aw {
namespace {

// Tracks bound a hostile stream that changes its format with every sample: stsd entries are read into
// memory by players, and no real recording needs more.
constexpr size_t kMaxSampleDescriptions = 1024;

// What a sample entry is made of: two formats with the same are one description.
bool same_description(const TrackFormat& a, const TrackFormat& b) {
  return a.sample_entry == b.sample_entry && a.config_box == b.config_box && a.config_payload == b.config_payload &&
         a.decoder_specific_info == b.decoder_specific_info && a.width == b.width && a.height == b.height &&
         a.channels == b.channels && a.sample_rate == b.sample_rate;
}

// The track's timescale and sample layout were fixed at start_writing(): only the codec configuration may
// change.
Status check_compatible(const TrackFormat& first, const TrackFormat& next) {
  if (next.codec != first.codec) {
    return Status(ErrorCode::kUnsupported, std::string("format change from ") + to_string(first.codec) + " to " +
                                               to_string(next.codec) + ": a track keeps its codec");
  }
  if (next.media_type == MediaType::kAudio &&
      (next.sample_rate != first.sample_rate || next.pcm_frame_bytes != first.pcm_frame_bytes)) {
    return Status(ErrorCode::kUnsupported,
                  "format change from " + std::to_string(first.sample_rate) + " Hz to " +
                      std::to_string(next.sample_rate) +
                      " Hz or to another PCM layout: the track's timescale and sample size are fixed");
  }
  return Status::ok();
}

}  // namespace

Status WriterCore::change_format(size_t index, FormatDescription format) {
  std::lock_guard lock(mutex_);
  if (status_ == WriterStatus::kUnknown && index < inputs_.size()) {
    // Not writing yet: the input simply has another format.
    inputs_[index]->source_format_ = std::move(format);
    return Status::ok();
  }
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "change_format"));
  if (index >= movie_.tracks.size()) return Status(ErrorCode::kInvalidState, "input is not part of this writer");
  TrackState& track = movie_.tracks[index];
  if (track.finished) return Status(ErrorCode::kInvalidState, track.name + ": change_format after mark_as_finished");
  auto parsed = make_track_format(format);
  if (!parsed) return parsed.status().with_context(track.name);
  AW_RETURN_IF_ERROR(check_compatible(track.format, *parsed).with_context(track.name));

  // Back to a description the track already has (caps going back and forth): reuse it.
  if (same_description(track.format, *parsed)) {
    track.description_index = 1;
    return Status::ok();
  }
  for (size_t i = 0; i < track.later_formats.size(); ++i) {
    if (same_description(track.later_formats[i], *parsed)) {
      track.description_index = static_cast<uint32_t>(i + 2);
      return Status::ok();
    }
  }
  if (track.later_formats.size() + 1 >= kMaxSampleDescriptions) {
    return Status(ErrorCode::kUnsupported, track.name + ": more than " + std::to_string(kMaxSampleDescriptions) +
                                               " format changes in one track");
  }
  track.later_formats.push_back(std::move(parsed).value());
  if (Status s = mode_->format_added(); !s) {
    track.later_formats.pop_back();
    // No room: refused, the file untouched and still writing. A failed write fails the writer.
    if (s.code() == ErrorCode::kUnsupported) return s.with_context(track.name + ": format change");
    return fail(s);
  }
  track.description_index = static_cast<uint32_t>(track.later_formats.size() + 1);
  return Status::ok();
}

}  // namespace aw

// AssetWriterInput mirrors AVAssetWriterInput: one track's configuration and its sample queue.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aw/format_description.h"
#include "aw/media_types.h"
#include "aw/metadata.h"
#include "aw/output_settings.h"
#include "aw/sample.h"
#include "aw/status.h"

namespace aw {

class WriterCore;
class WriterConfigurationCopy;

// Row-major 3x3 transform like CGAffineTransform laid out as the tkhd matrix:
// {a, b, u, c, d, v, tx, ty, w}; a..d,tx,ty in 16.16, u,v,w in 2.30 fixed point as doubles here.
using Transform = std::array<double, 9>;
constexpr Transform kIdentityTransform{1, 0, 0, 0, 1, 0, 0, 0, 1};
// Rotation clockwise by 90, 180 or 270 degrees of a picture of the given size (tkhd convention).
Transform rotation_transform(int degrees, uint32_t width, uint32_t height);

// AVAssetWriterInput track association types: a tref entry from this input's track to another's.
enum class TrackAssociationType {
  kChapterList,     // 'chap': the other (text) track holds this track's chapters
  kSubtitle,        // 'sbtl': the other track is a subtitle of this one (a subtitle track refers to it)
  kForcedSubtitle,  // 'forc': forced subtitles only
  kFollows,         // 'folw': a subtitle track that follows the other track
  kMetadataReferent,// 'cdsc': this (timed metadata) track describes the other track
  kTimecode,        // 'tmcd'
};
const char* to_string(TrackAssociationType type);

struct Size {
  uint32_t width = 0;
  uint32_t height = 0;
};

class AssetWriterInput {
 public:
  // A passthrough input: samples arrive already encoded, described by `source_format`.
  static std::shared_ptr<AssetWriterInput> create(MediaType media_type, FormatDescription source_format,
                                                  std::optional<OutputSettings> output_settings = {});

  MediaType media_type() const { return media_type_; }
  const FormatDescription& source_format() const { return source_format_; }
  const std::optional<OutputSettings>& output_settings() const { return output_settings_; }

  // Configuration: only before the input is added to a writer that started writing.
  int32_t media_time_scale = 0;      // 0: chosen by the writer (audio: sample rate, video: 90000 or finer)
  std::string language_code = "und";  // ISO 639-2/T, e.g. "eng"
  Size natural_size;                  // 0x0: taken from the codec configuration
  Transform transform = kIdentityTransform;
  bool expects_media_data_in_real_time = false;
  Metadata metadata;  // track-level metadata (udta)
  // tkhd: whether the track is enabled for playback (in an input group only the default one is), and
  // the audio volume (1.0 = full).
  bool marks_output_track_as_enabled = true;
  float preferred_volume = 1.0f;
  // A BCP-47 tag when the language needs more than ISO 639-2 ("en-US", "zh-Hant"): written as elng.
  std::string extended_language_tag;
  std::string name;   // used in error messages ("video_0"); defaults to "<type>_<index>"

  // Track metadata and language are written with the index at finish, so unlike the fields above they
  // may change while writing, through these (which synchronise with the writer).
  Status set_metadata(Metadata value);
  Status set_language_code(std::string value);

  // Adds a track reference from this input's track to `other`'s (AVAssetWriterInput.addTrackAssociation).
  // Both inputs must belong to the same writer by start_writing().
  Status add_track_association(const std::shared_ptr<AssetWriterInput>& other, TrackAssociationType type);
  bool can_add_track_association(const std::shared_ptr<AssetWriterInput>& other, TrackAssociationType type) const;

  // True while the writer wants more samples for this input: false when this input is so far ahead of
  // the others that appending more would only grow the interleaving queue.
  bool is_ready_for_more_media_data() const;
  // Appends one sample. A refused sample (bad timing, wrong state) is an error value and leaves the
  // writer writing, so what was accepted can still be finished; an I/O error fails the writer.
  Status append(Sample sample);
  // No more samples will be appended to this input.
  Status mark_as_finished();
  // The samples appended from now on are in `format`: the same codec with a new configuration record
  // (new parameter sets after a resolution change, an encoder restart). Before writing starts it replaces
  // source_format(); while writing, the track gets a further sample description (stsd entry; a format the
  // track already has is reused) in every mode: plain and moov-first movies choose it per chunk (stsc);
  // fragmented movies and crash-safe recordings rewrite the moov in front of their fragments crash-safely
  // and name it in each later fragment's tfhd; segment output sends a new initialization segment. Refused,
  // leaving the writer writing: another codec, another audio sample rate or PCM layout, and a header in
  // front of the fragments with no room left for another description (kUnsupported).
  Status change_format(FormatDescription format);

 private:
  friend class WriterCore;
  friend class WriterConfigurationCopy;  // copies the track associations
  AssetWriterInput(MediaType type, FormatDescription format, std::optional<OutputSettings> settings)
      : media_type_(type), source_format_(std::move(format)), output_settings_(std::move(settings)) {}

  MediaType media_type_;
  FormatDescription source_format_;
  std::optional<OutputSettings> output_settings_;
  std::weak_ptr<WriterCore> core_;
  size_t track_index_ = 0;
  std::vector<std::pair<TrackAssociationType, std::weak_ptr<AssetWriterInput>>> associations_;
};

}  // namespace aw

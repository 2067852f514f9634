// Media types, file types and codecs the writer knows.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aw {

// kText: timed text (subtitles, chapter titles); kMetadata: timed metadata (AVAssetWriterInputMetadataAdaptor).
// Both are sparse: a sample lasts until the next, gaps are filled with empty samples, and the writer never
// waits for them when interleaving.
enum class MediaType { kVideo, kAudio, kText, kMetadata };
const char* to_string(MediaType type);

// AVFileType: the container flavour. Decides brands, allowed codecs and the metadata style.
enum class FileType { kQuickTimeMovie, kMpeg4, kAppleM4V, kAppleM4A, k3Gpp };
const char* to_string(FileType type);
// "mov", "mp4", "m4v", "m4a", "3gp" (also "3gpp", "qt", "quicktime"), case-insensitive.
std::optional<FileType> file_type_from_name(std::string_view name);
// The type for a path's extension, or nullopt when the extension is not a movie extension.
std::optional<FileType> file_type_for_path(std::string_view path);

enum class Codec {
  // Video
  kH264,
  kHevc,
  kAv1,
  kVp9,
  kProRes,
  kJpeg,  // Motion JPEG: one JPEG picture per sample
  // Audio
  kAac,
  kAlac,
  kOpus,
  kFlac,
  kAc3,
  kEac3,
  kMp3,
  kPcm,  // uncompressed; FormatDescription::pcm says how
  // Text
  kTx3g,  // 3GPP timed text (TS 26.245): UTF-8 text, a 16-bit length first; ffmpeg's mov_text
  // Timed metadata
  kMebx,  // boxed timed metadata (QuickTime 'mebx', ISO 14496-12 12.9.4): values keyed by FormatDescription::metadata_keys
};
const char* to_string(Codec codec);
MediaType media_type_of(Codec codec);
// Text and timed metadata: streams with long stretches of nothing.
bool is_sparse(MediaType type);

}  // namespace aw

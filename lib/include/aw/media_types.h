// Media types, file types and codecs the writer knows.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aw {

enum class MediaType { kVideo, kAudio };
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
};
const char* to_string(Codec codec);
MediaType media_type_of(Codec codec);

}  // namespace aw

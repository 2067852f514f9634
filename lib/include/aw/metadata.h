// File and track metadata (AVMetadataItem's common keys).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aw {

enum class MetadataKey {
  kTitle,
  kArtist,
  kAlbum,
  kComment,
  kCreationDate,  // ISO 8601 text, e.g. "2026-11-25" or "2026-11-25T10:00:00Z"
  kEncoder,       // software that wrote the file
  kCopyright,
  kGenre,
  kDescription,
};
const char* to_string(MetadataKey key);

struct MetadataItem {
  MetadataKey key;
  std::string value;  // UTF-8
  std::string language = "und";  // ISO 639-2/T
};

using Metadata = std::vector<MetadataItem>;

}  // namespace aw

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
  kLocation,     // ISO 6709 text, e.g. "+48.8577+002.2950+035.000/"
  kMake,         // camera or device maker
  kModel,        // camera or device model
  kTrackNumber,  // "3" or "3/12"
  kArtwork,      // cover image: `data` holds JPEG or PNG bytes
};
const char* to_string(MetadataKey key);

struct MetadataItem {
  MetadataKey key;
  std::string value;  // UTF-8 (for kArtwork: the image bytes)
  std::string language = "und";  // ISO 639-2/T
};

using Metadata = std::vector<MetadataItem>;

}  // namespace aw

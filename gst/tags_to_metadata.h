// GstTagList → what the library stores: metadata items, the track language and the display rotation.
#pragma once

#include <gst/gst.h>

#include <optional>
#include <string>

#include "aw/metadata.h"

namespace gstaw {

// Title, artist, album, comment, creation date (datetime preferred over date, as ISO 8601 text), encoder,
// copyright, genre, description. Tags without a metadata key are dropped.
aw::Metadata tags_to_metadata(const GstTagList* tags);

// GST_TAG_LANGUAGE_CODE as ISO 639-2/T ("eng"), which is what mdhd holds; nullopt when absent or unknown.
std::optional<std::string> tags_to_language(const GstTagList* tags);

// GST_TAG_IMAGE_ORIENTATION "rotate-0/90/180/270" as clockwise degrees. nullopt when absent or a flip,
// which a tkhd matrix could express but AVAssetWriter's preferred transform users never send.
std::optional<int> tags_to_rotation(const GstTagList* tags);

}  // namespace gstaw

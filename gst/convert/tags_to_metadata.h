// GstTagList → what the library stores: metadata items, the track language and the display rotation.
#pragma once

#include <gst/gst.h>

#include <optional>
#include <string>
#include <vector>

#include "aw/metadata.h"

namespace gstaw {

// Title, artist, album, comment, creation date (datetime preferred over date, as ISO 8601 text), encoder,
// copyright, genre, description. Tags without a metadata key are dropped.
aw::Metadata tags_to_metadata(const GstTagList* tags);

// Whether tags_to_metadata() (or the track's language/rotation) uses the tag `tag`.
bool tag_has_metadata_key(const char* tag);
// The tags of `tags` that nothing in the file holds (a bitrate, the codec names): skipped, not an error.
std::vector<std::string> unmapped_tags(const GstTagList* tags);

// The element's `metadata` property: a GstStructure whose field names are either the library's key names
// (title, artist, album, comment, creation-date, encoder, copyright, genre, description, location, make,
// model, track-number) with a value that reads as text, or GStreamer tag names (device-manufacturer,
// datetime, geo-location-latitude, ...) converted as tags_to_metadata() converts tags. A field that is
// neither, or whose value does not fit, is left out and its name added to `skipped` (when given).
aw::Metadata structure_to_metadata(const GstStructure* structure, std::vector<std::string>* skipped = nullptr);

// `base` with every item of `overrides` put in place of `base`'s items of the same key (added when new).
aw::Metadata merge_metadata(aw::Metadata base, const aw::Metadata& overrides);

// GST_TAG_LANGUAGE_CODE as ISO 639-2/T ("eng"), which is what mdhd holds; nullopt when absent or unknown.
std::optional<std::string> tags_to_language(const GstTagList* tags);

// GST_TAG_IMAGE_ORIENTATION "rotate-0/90/180/270" as clockwise degrees. nullopt when absent or a flip,
// which a tkhd matrix could express but AVAssetWriter's preferred transform users never send.
std::optional<int> tags_to_rotation(const GstTagList* tags);

}  // namespace gstaw

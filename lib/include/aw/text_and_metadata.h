// Payloads of text and timed metadata samples, and chapters: what AVAssetWriter's callers hand over as
// CMSampleBuffers of text or AVTimedMetadataGroups, as plain bytes for AssetWriterInput::append().
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aw/status.h"
#include "aw/time.h"

namespace aw {

// A tx3g (3GPP TS 26.245 5.17) text sample: a 16-bit length, then the UTF-8 text. An empty string is the
// empty sample that clears the screen. Fails for text over 65535 bytes or invalid UTF-8.
Result<std::vector<uint8_t>> make_text_sample(std::string_view utf8);

// One value of a timed metadata sample: `key_index` is the key's position in the track's
// FormatDescription::metadata_keys; `value` the bytes in the key's data type (UTF-8 text, big-endian numbers,
// raw KLV).
struct TimedMetadataValue {
  size_t key_index = 0;
  std::vector<uint8_t> value;
};

// A mebx sample (QTFF "Timed metadata sample data format"): one atom per value, typed by the key's local id
// (key_index + 1), holding the value's bytes. `key_count` is the number of keys the track declares; a value
// naming another key is refused. No values gives the "NULL" sample: one unreferenced 8-byte atom, since a
// metadata sample may not be empty.
Result<std::vector<uint8_t>> make_metadata_sample(std::span<const TimedMetadataValue> values, size_t key_count);

// A chapter of the movie: it starts `start` after the movie's start (the session start) and lasts until the
// next one, the last until the movie ends. See AssetWriter::set_chapters.
struct Chapter {
  Time start;
  std::string title;
};

}  // namespace aw

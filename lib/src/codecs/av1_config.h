// AV1 configuration: the AV1CodecConfigurationRecord (av1C, AV1-ISOBMFF 2.3) and the sequence header OBU
// (AV1 5.5) it is built from.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aw/status.h"

namespace aw {

struct Av1SequenceHeader {
  uint8_t profile = 0;
  uint8_t level_idx_0 = 0;
  uint8_t tier_0 = 0;
  bool high_bitdepth = false;
  bool twelve_bit = false;
  bool monochrome = false;
  uint8_t subsampling_x = 1;
  uint8_t subsampling_y = 1;
  uint8_t chroma_sample_position = 0;
  bool color_description_present = false;
  uint8_t color_primaries = 2;
  uint8_t transfer_characteristics = 2;
  uint8_t matrix_coefficients = 2;
  bool full_range = false;
  uint32_t width = 0;  // max_frame_width_minus_1 + 1
  uint32_t height = 0;
  uint32_t bit_depth() const { return twelve_bit ? 12 : high_bitdepth ? 10 : 8; }
};

// Parses a sequence_header_obu() payload (after the OBU header and size).
Result<Av1SequenceHeader> parse_av1_sequence_header(std::span<const uint8_t> payload);

struct Av1Config {
  Av1SequenceHeader sequence_header;
  std::vector<uint8_t> record;  // the av1C content: 4 header bytes, then the sequence header OBU
};

// The av1C for a stream: from `record` when it holds configOBUs, else from the first sequence header OBU in
// `first_sample` (a temporal unit in low-overhead format, every OBU with its size field).
Result<Av1Config> make_av1_config(std::span<const uint8_t> record, std::span<const uint8_t> first_sample);

// A temporal unit as stored in a sample: without its leading temporal delimiter OBUs, which AV1-ISOBMFF 2.4
// says samples SHOULD NOT contain (encoders and av1parse emit one per temporal unit). A view of `sample`; a
// sample that is nothing but delimiters (or does not parse) is returned whole.
std::span<const uint8_t> without_temporal_delimiters(std::span<const uint8_t> sample);

// RFC-style codecs parameter of AV1-ISOBMFF "Codecs Parameter String": "av01.0.04M.08".
std::string av1_codec_string(const Av1SequenceHeader& header);

}  // namespace aw

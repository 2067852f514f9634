#include "codecs/av1_config.h"

#include <algorithm>
#include <cstdio>

#include "codecs/bit_reader.h"

namespace aw {
namespace {

constexpr uint32_t kObuSequenceHeader = 1;
constexpr uint32_t kObuTemporalDelimiter = 2;

Status malformed(std::string message) { return {ErrorCode::kMalformedConfig, std::move(message)}; }

// uvlc() of AV1 4.10.3.
uint32_t uvlc(BitReader& r) {
  unsigned leading_zeros = 0;
  while (!r.error() && !r.flag()) {
    if (++leading_zeros >= 32) return 0;
  }
  return leading_zeros ? r.bits(leading_zeros) + ((1u << leading_zeros) - 1) : 0;
}

struct Obu {
  uint32_t type = 0;
  std::span<const uint8_t> whole;    // header, size and payload
  std::span<const uint8_t> payload;
};

// Reads the OBU at `pos` (AV1 5.3.1) and advances past it.
Result<Obu> next_obu(std::span<const uint8_t> data, size_t& pos) {
  size_t start = pos;
  if (pos >= data.size()) return malformed("AV1 OBU header is missing");
  uint8_t header = data[pos++];
  if (header & 0x80) return malformed("AV1 OBU forbidden bit is set");
  Obu obu;
  obu.type = header >> 3 & 0x0f;
  if (header & 0x04) ++pos;  // obu_extension_header
  uint64_t size = data.size() - std::min(pos, data.size());
  if (header & 0x02) {
    size = 0;
    for (int i = 0; i < 8; ++i) {
      if (pos >= data.size()) return malformed("AV1 OBU size is truncated");
      uint8_t byte = data[pos++];
      size |= uint64_t{byte & 0x7fu} << (7 * i);
      if (!(byte & 0x80)) break;
    }
  }
  if (pos > data.size() || size > data.size() - pos) {
    return malformed("AV1 OBU of type " + std::to_string(obu.type) + " declares " + std::to_string(size) +
                     " bytes, more than the " + std::to_string(data.size() - std::min(pos, data.size())) + " left");
  }
  obu.payload = data.subspan(pos, size);
  pos += size;
  obu.whole = data.subspan(start, pos - start);
  return obu;
}

// What the operating points need from decoder_model_info().
struct DecoderModelInfo {
  bool present = false;
  uint32_t buffer_delay_length = 0;  // buffer_delay_length_minus_1 + 1
};

// timing_info_present_flag, timing_info() and decoder_model_info() (AV1 5.5.1, 5.5.3, 5.5.4); only the
// decoder model's buffer delay length matters, to skip the operating parameters after it.
DecoderModelInfo read_timing_and_decoder_model_info(BitReader& r) {
  DecoderModelInfo model;
  if (r.flag()) {           // timing_info_present_flag
    r.skip(64);             // num_units_in_display_tick, time_scale
    if (r.flag()) uvlc(r);  // equal_picture_interval → num_ticks_per_picture_minus_1
    model.present = r.flag();
    if (model.present) {
      model.buffer_delay_length = r.bits(5) + 1;
      r.skip(32 + 5 + 5);  // num_units_in_decoding_tick, buffer_removal_time_length, frame_presentation_time_length
    }
  }
  return model;
}

// initial_display_delay_present_flag and the operating points (AV1 5.5.1, with operating_parameters_info()
// of 5.5.5); av1C carries the level and tier of the first.
void read_operating_points(BitReader& r, const DecoderModelInfo& model, Av1SequenceHeader& h) {
  bool initial_display_delay = r.flag();
  uint32_t operating_points = r.bits(5) + 1;
  for (uint32_t i = 0; i < operating_points; ++i) {
    r.skip(12);  // operating_point_idc
    uint8_t level = static_cast<uint8_t>(r.bits(5));
    uint8_t tier = level > 7 ? static_cast<uint8_t>(r.bits(1)) : 0;
    if (i == 0) {
      h.level_idx_0 = level;
      h.tier_0 = tier;
    }
    if (model.present && r.flag()) r.skip(2 * model.buffer_delay_length + 1);
    if (initial_display_delay && r.flag()) r.skip(4);
  }
}

// frame_width_bits_minus_1 through the frame id lengths (AV1 5.5.1).
void read_max_frame_size(BitReader& r, bool reduced, Av1SequenceHeader& h) {
  uint32_t width_bits = r.bits(4) + 1;
  uint32_t height_bits = r.bits(4) + 1;
  h.width = r.bits(width_bits) + 1;
  h.height = r.bits(height_bits) + 1;
  if (!reduced && r.flag()) r.skip(4 + 3);  // frame_id_numbers_present_flag → id lengths
}

// use_128x128_superblock through enable_restoration (AV1 5.5.1): coding tools, only consumed.
void skip_coding_tool_flags(BitReader& r, bool reduced) {
  r.skip(3);  // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
  if (!reduced) {
    r.skip(4);  // interintra, masked compound, warped motion, dual filter
    bool order_hint = r.flag();
    if (order_hint) r.skip(2);  // jnt_comp, ref_frame_mvs
    uint32_t force_screen_content_tools = r.flag() ? 2 : r.bits(1);
    if (force_screen_content_tools > 0 && !r.flag()) r.skip(1);  // seq_choose_integer_mv → seq_force_integer_mv
    if (order_hint) r.skip(3);
  }
  r.skip(3);  // enable_superres, enable_cdef, enable_restoration
}

// color_config() (AV1 5.5.2)
void read_color_config(BitReader& r, Av1SequenceHeader& h) {
  h.high_bitdepth = r.flag();
  if (h.profile == 2 && h.high_bitdepth) h.twelve_bit = r.flag();
  h.monochrome = h.profile == 1 ? false : r.flag();
  h.color_description_present = r.flag();
  if (h.color_description_present) {
    h.color_primaries = static_cast<uint8_t>(r.bits(8));
    h.transfer_characteristics = static_cast<uint8_t>(r.bits(8));
    h.matrix_coefficients = static_cast<uint8_t>(r.bits(8));
  }
  if (h.monochrome) {
    h.full_range = r.flag();
    h.subsampling_x = h.subsampling_y = 1;
  } else if (h.color_primaries == 1 && h.transfer_characteristics == 13 && h.matrix_coefficients == 0) {
    h.full_range = true;  // sRGB
    h.subsampling_x = h.subsampling_y = 0;
  } else {
    h.full_range = r.flag();
    if (h.profile == 0) {
      h.subsampling_x = h.subsampling_y = 1;
    } else if (h.profile == 1) {
      h.subsampling_x = h.subsampling_y = 0;
    } else if (h.bit_depth() == 12) {
      h.subsampling_x = static_cast<uint8_t>(r.bits(1));
      h.subsampling_y = h.subsampling_x ? static_cast<uint8_t>(r.bits(1)) : 0;
    } else {
      h.subsampling_x = 1;
      h.subsampling_y = 0;
    }
    if (h.subsampling_x && h.subsampling_y) h.chroma_sample_position = static_cast<uint8_t>(r.bits(2));
  }
}

}  // namespace

// sequence_header_obu() of AV1 5.5.1.
Result<Av1SequenceHeader> parse_av1_sequence_header(std::span<const uint8_t> payload) {
  BitReader r(payload);
  Av1SequenceHeader h;
  h.profile = static_cast<uint8_t>(r.bits(3));
  if (h.profile > 2) return malformed("AV1 seq_profile " + std::to_string(h.profile) + " is reserved");
  r.skip(1);                // still_picture
  bool reduced = r.flag();  // reduced_still_picture_header
  if (reduced) {
    h.level_idx_0 = static_cast<uint8_t>(r.bits(5));
  } else {
    DecoderModelInfo model = read_timing_and_decoder_model_info(r);
    read_operating_points(r, model, h);
  }
  read_max_frame_size(r, reduced, h);
  skip_coding_tool_flags(r, reduced);
  read_color_config(r, h);
  if (r.error()) return malformed("AV1 sequence header is truncated (" + std::to_string(payload.size()) + " bytes)");
  return h;
}

Result<Av1Config> make_av1_config(std::span<const uint8_t> record, std::span<const uint8_t> first_sample) {
  std::span<const uint8_t> obus;
  if (!record.empty()) {
    if (record.size() < 4) return malformed("av1C length " + std::to_string(record.size()) + " is shorter than 4 bytes");
    if (record[0] != 0x81) {
      return malformed("av1C starts with " + std::to_string(record[0]) + ", not marker 1 and version 1 (0x81)");
    }
    obus = record.subspan(4);
  }
  if (obus.empty()) obus = first_sample;
  if (obus.empty()) return malformed("AV1 needs a sequence header OBU: in the av1C or in the first sample");
  size_t pos = 0;
  while (pos < obus.size()) {
    AW_ASSIGN_OR_RETURN(Obu obu, next_obu(obus, pos));
    if (obu.type != kObuSequenceHeader) continue;
    AW_ASSIGN_OR_RETURN(Av1SequenceHeader h, parse_av1_sequence_header(obu.payload));
    Av1Config config;
    config.sequence_header = h;
    // AV1-ISOBMFF 2.3.3: marker and version, then the sequence header's fields, no initial presentation delay.
    config.record = {0x81, static_cast<uint8_t>(h.profile << 5 | h.level_idx_0),
                     static_cast<uint8_t>(h.tier_0 << 7 | h.high_bitdepth << 6 | h.twelve_bit << 5 |
                                          h.monochrome << 4 | h.subsampling_x << 3 | h.subsampling_y << 2 |
                                          h.chroma_sample_position),
                     0};
    config.record.insert(config.record.end(), obu.whole.begin(), obu.whole.end());
    return config;
  }
  return malformed("AV1 stream has no sequence header OBU in its first temporal unit");
}

std::span<const uint8_t> without_temporal_delimiters(std::span<const uint8_t> sample) {
  size_t pos = 0;
  while (pos < sample.size()) {
    size_t next = pos;
    auto obu = next_obu(sample, next);
    if (!obu.is_ok() || obu->type != kObuTemporalDelimiter) break;
    pos = next;
  }
  return pos < sample.size() ? sample.subspan(pos) : sample;
}

std::string av1_codec_string(const Av1SequenceHeader& h) {
  char text[32];
  std::snprintf(text, sizeof text, "av01.%u.%02u%c.%02u", unsigned{h.profile}, unsigned{h.level_idx_0},
                h.tier_0 ? 'H' : 'M', h.bit_depth());
  return text;
}

}  // namespace aw

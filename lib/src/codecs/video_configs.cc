#include "codecs/video_configs.h"

#include <cstdio>

namespace aw {

uint8_t vp9_level_for(uint32_t width, uint32_t height) {
  // Maximum luma picture sizes of the VP9 levels (VP9 bitstream Annex A).
  struct Level {
    uint64_t max_picture_size;
    uint8_t level;
  };
  constexpr Level kLevels[] = {{36864, 10},    {73728, 11},    {122880, 20},   {245760, 21},
                               {552960, 30},   {983040, 31},   {2228224, 40},  {8912896, 50},
                               {35651584, 60}};
  uint64_t size = uint64_t{width} * height;
  for (const Level& l : kLevels) {
    if (size <= l.max_picture_size) return l.level;
  }
  return 62;
}

Result<std::vector<uint8_t>> make_vpcc(const FormatDescription& format) {
  if (format.profile > 3) {
    return Status(ErrorCode::kInvalidArgument, "VP9 profile " + std::to_string(format.profile) + " is not 0..3");
  }
  uint32_t bit_depth = format.bit_depth ? format.bit_depth : 8;
  if (bit_depth != 8 && bit_depth != 10 && bit_depth != 12) {
    return Status(ErrorCode::kInvalidArgument, "VP9 bit depth " + std::to_string(bit_depth) + " is not 8, 10 or 12");
  }
  if (format.width == 0 || format.height == 0) {
    return Status(ErrorCode::kInvalidArgument, "VP9 needs the picture size (width and height)");
  }
  // chromaSubsampling: 1 = 4:2:0 with chroma co-sited with luma (VP9's own siting), 2 = 4:2:2, 3 = 4:4:4.
  uint8_t chroma = format.chroma_subsampling_x ? (format.chroma_subsampling_y ? 1 : 2) : 3;
  ColorDescription color = format.color.value_or(ColorDescription{});
  std::vector<uint8_t> out = {1, 0, 0, 0};  // version 1, flags 0
  out.push_back(static_cast<uint8_t>(format.profile));
  out.push_back(vp9_level_for(format.width, format.height));
  out.push_back(static_cast<uint8_t>(bit_depth << 4 | chroma << 1 | (color.full_range ? 1 : 0)));
  out.push_back(static_cast<uint8_t>(color.primaries));
  out.push_back(static_cast<uint8_t>(color.transfer));
  out.push_back(static_cast<uint8_t>(color.matrix));
  out.push_back(0);  // codecInitializationDataSize: VP9 has none
  out.push_back(0);
  return out;
}

std::string vp9_codec_string(std::span<const uint8_t> vpcc) {
  char text[32];
  std::snprintf(text, sizeof text, "vp09.%02u.%02u.%02u", unsigned{vpcc[4]}, unsigned{vpcc[5]},
                unsigned{vpcc[6]} >> 4);
  return text;
}

Result<ProResInfo> prores_info(ProResVariant variant) {
  switch (variant) {
    case ProResVariant::kProxy: return ProResInfo{FourCC("apco"), "Apple ProRes 422 Proxy"};
    case ProResVariant::kLt: return ProResInfo{FourCC("apcs"), "Apple ProRes 422 LT"};
    case ProResVariant::kStandard: return ProResInfo{FourCC("apcn"), "Apple ProRes 422"};
    case ProResVariant::kHq: return ProResInfo{FourCC("apch"), "Apple ProRes 422 HQ"};
    case ProResVariant::k4444: return ProResInfo{FourCC("ap4h"), "Apple ProRes 4444"};
    case ProResVariant::k4444Xq: return ProResInfo{FourCC("ap4x"), "Apple ProRes 4444 XQ"};
  }
  return Status(ErrorCode::kInvalidArgument, "unknown ProRes variant");
}

}  // namespace aw

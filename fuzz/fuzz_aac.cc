// AAC: the AudioSpecificConfig parser and the esds ES_Descriptor built around it (whose descriptor sizes
// must add up, whatever the ASC's length).
#include "codecs/aac_config.h"
#include "fuzz_support.h"

namespace {

// Walks descriptors (tag, expandable size, content) in [pos, end); returns false if a size runs past end.
bool descriptors_add_up(std::span<const uint8_t> d, size_t pos, size_t end, int depth) {
  if (depth > 4) return true;
  while (pos < end) {
    uint8_t tag = d[pos++];
    uint32_t length = 0;
    for (int i = 0; i < 4; ++i) {
      if (pos >= end) return false;
      uint8_t b = d[pos++];
      length = length << 7 | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    if (length > end - pos) return false;
    size_t header = tag == 3 ? 3 : tag == 4 ? 13 : 0;  // ES_ID + flags; objectType .. avgBitrate
    if ((tag == 3 || tag == 4) && (header > length || !descriptors_add_up(d, pos + header, pos + length, depth + 1))) {
      return false;
    }
    pos += length;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> asc(data, size);
  auto config = aw::parse_aac_config(asc);
  if (config) {
    AW_FUZZ_CHECK(config->sample_rate > 0 && config->channels > 0, "AAC config without rate or channels");
    (void)aw::aac_codec_string(*config);
  } else {
    AW_FUZZ_CHECK(!config.status().message().empty(), "error without a message");
  }
  aw::EsdsBitrates rates{static_cast<uint32_t>(size * 977), static_cast<uint32_t>(size * 131), 64000};
  std::vector<uint8_t> es = aw::make_es_descriptor(asc, rates);
  AW_FUZZ_CHECK(descriptors_add_up(es, 0, es.size(), 0), "ES_Descriptor sizes do not add up");
  return 0;
}

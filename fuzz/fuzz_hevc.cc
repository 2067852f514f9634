// H.265: the hvcC record (as hvc1 and hev1), its SPS parser, and the hvcC built from an in-band access unit.
// Input: 'S' + an SPS NAL unit, 'A' + an access unit with 4-byte lengths, or an hvcC record.
#include "codecs/hevc_config.h"
#include "codecs/in_band_config.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  if (!in.empty() && in[0] == 'S') {
    auto sps = aw::parse_hevc_sps(in.subspan(1));
    if (sps) AW_FUZZ_CHECK(sps->width > 0 && sps->height > 0 && sps->width <= 65536, "SPS picture size");
    return 0;
  }
  std::vector<uint8_t> record(in.begin(), in.end());
  if (!in.empty() && in[0] == 'A') {
    auto built = aw::hevc_record_from_access_unit(in.subspan(1));
    if (!built) return 0;
    record = std::move(built).value();
    auto parsed = aw::parse_hevc_config(record, true);
    AW_FUZZ_CHECK(parsed.is_ok(), "a built hvcC does not parse: " + parsed.status().message());
  }
  for (bool in_band : {false, true}) {
    auto config = aw::parse_hevc_config(record, in_band);
    if (!config) {
      AW_FUZZ_CHECK(!config.status().message().empty(), "error without a message");
      continue;
    }
    AW_FUZZ_CHECK(config->nal_length_size == 1 || config->nal_length_size == 2 || config->nal_length_size == 4,
                  "NAL length size " + std::to_string(config->nal_length_size));
    AW_FUZZ_CHECK(in_band || config->sps.has_value(), "hvc1 record without an SPS");
    (void)aw::hevc_codec_string(in_band ? aw::FourCC("hev1") : aw::FourCC("hvc1"), *config);
  }
  return 0;
}

// H.264: the avcC record (as avc1 and avc3), its SPS parser, and the avcC built from an in-band access unit.
// Input: 'S' + an SPS NAL unit, 'A' + an access unit with 4-byte lengths, or an avcC record.
#include "codecs/avc_config.h"
#include "codecs/in_band_config.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  if (!in.empty() && in[0] == 'S') {
    auto sps = aw::parse_avc_sps(in.subspan(1));
    if (sps) AW_FUZZ_CHECK(sps->width > 0 && sps->height > 0 && sps->width <= 65536, "SPS picture size");
    return 0;
  }
  std::vector<uint8_t> record(in.begin(), in.end());
  if (!in.empty() && in[0] == 'A') {
    auto built = aw::avc_record_from_access_unit(in.subspan(1));
    if (!built) return 0;
    record = std::move(built).value();
    // What was built from well-formed NAL units must read back as a record (its SPS may still be bad).
    auto parsed = aw::parse_avc_config(record, true);
    AW_FUZZ_CHECK(parsed.is_ok() || parsed.status().message().starts_with("avcC SPS 0:"),
                  "a built avcC does not parse: " + parsed.status().message());
  }
  for (bool in_band : {false, true}) {
    auto config = aw::parse_avc_config(record, in_band);
    if (!config) {
      AW_FUZZ_CHECK(!config.status().message().empty(), "error without a message");
      continue;
    }
    AW_FUZZ_CHECK(config->nal_length_size == 1 || config->nal_length_size == 2 || config->nal_length_size == 4,
                  "NAL length size " + std::to_string(config->nal_length_size));
    AW_FUZZ_CHECK(in_band || config->first_sps.has_value(), "avc1 record without an SPS");
    (void)aw::avc_codec_string(in_band ? aw::FourCC("avc3") : aw::FourCC("avc1"), *config);
  }
  return 0;
}

// AV1: the av1C record and the sequence header OBU it is built from (in the record or a first temporal unit).
// Input: 'C' + an av1C record, 'T' + a temporal unit, or a sequence_header_obu() payload.
#include "codecs/av1_config.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> in(data, size);
  aw::Result<aw::Av1Config> config = aw::Status(aw::ErrorCode::kMalformedConfig, "none");
  if (!in.empty() && in[0] == 'C') {
    config = aw::make_av1_config(in.subspan(1), {});
  } else if (!in.empty() && in[0] == 'T') {
    config = aw::make_av1_config({}, in.subspan(1));
  } else {
    auto header = aw::parse_av1_sequence_header(in);
    if (header) (void)aw::av1_codec_string(*header);
    return 0;
  }
  if (!config) {
    AW_FUZZ_CHECK(!config.status().message().empty(), "error without a message");
    return 0;
  }
  AW_FUZZ_CHECK(config->record.size() > 4 && config->record[0] == 0x81, "av1C without marker and OBUs");
  AW_FUZZ_CHECK(config->sequence_header.width > 0 && config->sequence_header.height > 0, "picture size");
  // The av1C built must be accepted again as it is (the sample entry's record is the round trip).
  auto again = aw::make_av1_config(config->record, {});
  AW_FUZZ_CHECK(again.is_ok() && again->record == config->record, "av1C does not round-trip");
  (void)aw::av1_codec_string(config->sequence_header);
  return 0;
}

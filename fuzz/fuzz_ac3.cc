// AC-3 syncframe → dac3 (codecs/audio_configs.h).
#include "codecs/audio_configs.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto config = aw::make_ac3_config({data, size});
  if (!config) {
    AW_FUZZ_CHECK(!config.status().message().empty(), "error without a message");
    return 0;
  }
  AW_FUZZ_CHECK(config->sample_rate > 0 && config->channels > 0, "configuration without rate or channels");
  AW_FUZZ_CHECK(!config->box_payload.empty(), "empty configuration box");
  return 0;
}

// Audio-only crash-safe (default) recording with a 10 s timestamp gap: append never returns.
#include <cstdio>
#include <memory>
#include <vector>
#include "aw/asset_writer.h"
int main() {
  auto writer = std::move(aw::AssetWriter::create("/tmp/repro/gap.m4a", aw::FileType::kAppleM4A)).value();
  auto audio = aw::AssetWriterInput::create(aw::MediaType::kAudio, {aw::Codec::kAac, {0x11, 0x90}});
  (void)writer->add(audio);
  (void)writer->start_writing();
  (void)writer->start_session(aw::Time::zero());
  auto payload = std::make_shared<std::vector<uint8_t>>(300, 0x22);
  for (int i = 0; i < 200; ++i) {
    int64_t t = i * 1024 + (i >= 100 ? 48000 * 10 : 0);  // 10 s gap after 100 frames (~2.1 s)
    aw::Sample s{*payload, payload, aw::Time::invalid(), aw::Time(t, 48000)};
    std::fprintf(stderr, "append %d at %.3f s\n", i, t / 48000.0);
    if (auto st = audio->append(s); !st) std::fprintf(stderr, "%s\n", st.to_string().c_str());
  }
  std::printf("finish: %s\n", writer->finish_writing().to_string().c_str());
}

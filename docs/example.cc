// Writes a two-second MP4 with one H.264 and one AAC track from synthetic samples.
//
//   docs_example out.mp4
//
// The configuration records are real (x264enc 320x240 and AAC-LC 44.1 kHz stereo, as in
// lib/tests/test_media.h); the payloads are placeholders, so a player reads the structure but does not
// decode pictures. Built and run by tests/meson.build so this example cannot drift from the API.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "aw/asset_writer.h"

namespace {

std::vector<uint8_t> unhex(const std::string& hex) {
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

// One length-prefixed NAL unit (4-byte size, as avcC's lengthSizeMinusOne = 3 says) of `size` bytes.
aw::Sample make_sample(aw::Time pts, size_t size, uint8_t nal_header, bool sync) {
  auto bytes = std::make_shared<std::vector<uint8_t>>(size + 4, 0x5a);
  (*bytes)[0] = static_cast<uint8_t>(size >> 24);
  (*bytes)[1] = static_cast<uint8_t>(size >> 16);
  (*bytes)[2] = static_cast<uint8_t>(size >> 8);
  (*bytes)[3] = static_cast<uint8_t>(size);
  (*bytes)[4] = nal_header;
  aw::Sample sample;
  sample.data = *bytes;
  sample.owner = bytes;  // the writer keeps the bytes alive until they are on disk, then releases them
  sample.presentation_time = pts;
  sample.sync = sync;
  return sample;
}

aw::Status write_movie(const std::string& path) {
  auto created = aw::AssetWriter::create(path, aw::FileType::kMpeg4);
  if (!created) return created.status();
  std::unique_ptr<aw::AssetWriter> writer = std::move(created).value();

  auto video = aw::AssetWriterInput::create(
      aw::MediaType::kVideo,
      {aw::Codec::kH264,
       unhex("01640014ffe1001d67640014acd94141fb016a0c0c0d4a000003000200000300791e28532c01000568ebecb22c")});
  auto audio = aw::AssetWriterInput::create(aw::MediaType::kAudio, {aw::Codec::kAac, unhex("1210")});
  audio->language_code = "eng";
  AW_RETURN_IF_ERROR(writer->add(video));
  AW_RETURN_IF_ERROR(writer->add(audio));
  AW_RETURN_IF_ERROR(writer->set_metadata({{aw::MetadataKey::kTitle, "docs example"}}));

  AW_RETURN_IF_ERROR(writer->start_writing());
  AW_RETURN_IF_ERROR(writer->start_session(aw::Time::zero()));
  // Append in time order across inputs; the writer interleaves them into 500 ms chunks.
  constexpr int kFrames = 60;                     // 2 s at 30 fps
  constexpr int kAudioFrames = 2 * 44100 / 1024;  // 86 AAC frames of 1024 samples
  int a = 0;
  for (int v = 0; v < kFrames; ++v) {
    aw::Time t(v, 30);
    bool key = v % 30 == 0;
    AW_RETURN_IF_ERROR(video->append(make_sample(t, 800, key ? 0x65 : 0x41, key)));
    for (; a < kAudioFrames && aw::Time(a * 1024, 44100) <= t; ++a) {
      AW_RETURN_IF_ERROR(audio->append(make_sample(aw::Time(a * 1024, 44100), 200, 0x21, true)));
    }
  }
  for (; a < kAudioFrames; ++a) {
    AW_RETURN_IF_ERROR(audio->append(make_sample(aw::Time(a * 1024, 44100), 200, 0x21, true)));
  }
  AW_RETURN_IF_ERROR(video->mark_as_finished());
  AW_RETURN_IF_ERROR(audio->mark_as_finished());
  return writer->finish_writing();  // writes moov; status() is now kCompleted
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT.mp4\n", argv[0]);
    return 2;
  }
  aw::Status status = write_movie(argv[1]);
  if (!status) {
    std::fprintf(stderr, "%s\n", status.to_string().c_str());
    return 1;
  }
  return 0;
}

// Real configuration records (from x264enc and avenc_aac) and helpers to build writers in tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "aw/asset_writer.h"
#include "golden.h"

namespace aw::test {

// x264enc, 320x240 I420, High profile level 2.0.
inline std::vector<uint8_t> avcc_320x240() {
  return unhex("01640014ffe1001d67640014acd94141fb016a0c0c0d4a000003000200000300791e28532c01000568ebecb22c");
}
// avenc_aac: AAC-LC, 44100 Hz, stereo.
inline std::vector<uint8_t> asc_44100_stereo() { return unhex("1210"); }

// A writer for `path` with creation time 0, so its bytes are reproducible.
inline std::unique_ptr<AssetWriter> make_writer(const std::string& path, FileType type = FileType::kMpeg4) {
  auto writer = AssetWriter::create(path, type);
  EXPECT_TRUE(writer.is_ok()) << writer.status().to_string();
  EXPECT_TRUE(writer->get()->set_creation_time(0).is_ok());
  return std::move(writer).value();
}

inline std::shared_ptr<AssetWriterInput> h264_input() {
  return AssetWriterInput::create(MediaType::kVideo, {Codec::kH264, avcc_320x240()});
}
inline std::shared_ptr<AssetWriterInput> aac_input() {
  return AssetWriterInput::create(MediaType::kAudio, {Codec::kAac, asc_44100_stereo()});
}

// A unique path in a fresh temporary directory, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "aw-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  size_t entry_count() const {
    size_t n = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(path_)) ++n;
    return n;
  }

 private:
  std::filesystem::path path_;
};

// A file's bytes (a live recording as a kill would leave it), and a file made of given bytes.
inline std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline void write_bytes(const std::string& path, std::span<const uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A sample whose payload is `bytes` (owned by the sample), or `size` bytes of `fill`.
inline Sample make_sample_owning(std::shared_ptr<std::vector<uint8_t>> bytes, Time pts, Time dts, bool sync) {
  Sample s;
  s.data = *bytes;
  s.owner = bytes;
  s.presentation_time = pts;
  s.decode_time = dts;
  s.sync = sync;
  return s;
}

// A whole file's bytes ("" when it cannot be read).
inline std::string file_contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline Sample make_sample(Time pts, Time dts, size_t size, bool sync, uint8_t fill = 0xab) {
  return make_sample_owning(std::make_shared<std::vector<uint8_t>>(size, fill), pts, dts, sync);
}

}  // namespace aw::test

// HlsStorage: the packager writes every file through its storage. An in-memory storage receives, for the
// same input, exactly the files the default file storage leaves on disk (LL-HLS parts, playlists, the
// multivariant playlist, the window's removals included), opened with the right kind and write mode.
#include "aw/hls_storage.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "aw/asset_writer.h"
#include "aw/hls_packager.h"
#include "test_media.h"

namespace aw {
namespace {

// Keeps every file in a map; logs what it was asked.
class MemoryStorage final : public HlsStorage {
 public:
  struct Closed {
    std::string location;
    HlsFileKind kind;
    std::string bytes;
  };
  std::map<std::string, std::string> files;  // committed, not removed
  std::vector<Closed> closed;                // in order
  std::vector<std::pair<std::string, HlsFileKind>> removed;
  std::map<std::string, size_t> growing_writes;  // writes to each kGrowing file
  std::vector<std::string> problems;

  Result<std::unique_ptr<HlsStorageWriter>> open(const std::string& location, HlsFileKind kind,
                                                 HlsWriteMode mode) override {
    const bool segment = kind == HlsFileKind::kMediaSegment;
    if (mode == HlsWriteMode::kGrowing && !segment) problems.push_back(location + ": only a segment grows");
    return std::unique_ptr<HlsStorageWriter>(new Writer(*this, location, kind, mode));
  }
  Status remove(const std::string& location, HlsFileKind kind) override {
    removed.emplace_back(location, kind);
    if (files.erase(location) == 0) problems.push_back("removed " + location + ", which was never written");
    return Status::ok();
  }

 private:
  class Writer final : public HlsStorageWriter {
   public:
    Writer(MemoryStorage& storage, std::string location, HlsFileKind kind, HlsWriteMode mode)
        : storage_(storage), location_(std::move(location)), kind_(kind), mode_(mode) {}
    Status write(std::span<const uint8_t> data) override {
      bytes_.append(reinterpret_cast<const char*>(data.data()), data.size());
      if (mode_ == HlsWriteMode::kGrowing) ++storage_.growing_writes[location_];
      return Status::ok();
    }
    Status close() override {
      storage_.files[location_] = bytes_;
      storage_.closed.push_back({location_, kind_, bytes_});
      return Status::ok();
    }

   private:
    MemoryStorage& storage_;
    std::string location_;
    HlsFileKind kind_;
    HlsWriteMode mode_;
    std::string bytes_;
  };
};

// 8 s of 30 fps video (a keyframe every second) and AAC, in 2 s segments of 0.5 s parts, a live window of
// 2 segments with 3 files kept, and a multivariant playlist; under `root` (a directory, or a prefix the
// memory storage only uses as a name).
struct Run {
  std::vector<std::string> playlists;  // as each part and segment was published
  uint64_t parts = 0;
};

Run write_stream(const std::string& root, bool part_files, std::shared_ptr<HlsStorage> storage) {
  Run run;
  HlsPackagerConfig config;
  config.segment_pattern = root + "/segment%05d.m4s";
  config.playlist_location = root + "/index.m3u8";
  config.multivariant_location = root + "/main.m3u8";
  config.sync = false;
  config.segment_interval_ns = 2'000'000'000;
  config.part_interval_ns = 500'000'000;
  config.part_files = part_files;
  config.playlist_length = 2;
  config.max_files = 3;
  config.storage = std::move(storage);
  HlsPackager::Callbacks callbacks;
  callbacks.part_published = [&](const HlsPublishedPart& part) {
    ++run.parts;
    run.playlists.push_back(part.playlist);
  };
  callbacks.segment_written = [&](const HlsWrittenSegment& segment) { run.playlists.push_back(segment.playlist); };
  callbacks.now_us = [] { return int64_t{1'764'041'440'000'000}; };
  auto packager = std::move(HlsPackager::create(config, callbacks)).value();
  auto writer = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, *packager)).value();
  EXPECT_TRUE(writer->set_creation_time(1'764'041'440).is_ok());  // the init segments' mvhd, the same in both runs
  EXPECT_TRUE(writer->set_preferred_output_segment_interval(Time(2, 1)).is_ok());
  EXPECT_TRUE(writer->set_preferred_output_part_interval(Time(1, 2)).is_ok());
  auto video = test::h264_input();
  auto audio = test::aac_input();
  EXPECT_TRUE(writer->add(video).is_ok());
  EXPECT_TRUE(writer->add(audio).is_ok());
  EXPECT_TRUE(writer->start_writing().is_ok());
  EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
  int next_audio = 0;
  for (int v = 0; v < 8 * 30; ++v) {
    EXPECT_TRUE(video->append(test::make_sample(Time(v, 30), Time(v, 30), 100 + v % 7, v % 30 == 0, 0x11)).is_ok());
    for (; Time(int64_t{next_audio} * 1024, 44100) < Time(v + 1, 30); ++next_audio) {
      Time at(int64_t{next_audio} * 1024, 44100);
      EXPECT_TRUE(audio->append(test::make_sample(at, at, 20, true, 0x22)).is_ok());
    }
  }
  EXPECT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string();
  EXPECT_TRUE(packager->finish().is_ok());
  return run;
}

std::map<std::string, std::string> files_under(const std::string& directory) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    files[entry.path().filename().string()] = test::file_contents(entry.path().string());
  }
  return files;
}

std::map<std::string, std::string> relative_to(const std::map<std::string, std::string>& files,
                                               const std::string& root) {
  std::map<std::string, std::string> relative;
  for (const auto& [location, bytes] : files) relative[location.substr(root.size() + 1)] = bytes;
  return relative;
}

void expect_memory_matches_files(bool part_files) {
  test::TempDir dir;
  const std::string on_disk = dir.file("hls");
  std::filesystem::create_directory(on_disk);
  const Run files_run = write_stream(on_disk, part_files, nullptr);

  auto memory = std::make_shared<MemoryStorage>();
  const std::string root = "memory:/live";  // never a directory: the memory storage only names files by it
  const Run memory_run = write_stream(root, part_files, memory);
  EXPECT_TRUE(memory->problems.empty()) << memory->problems.front();

  // What is left: the same names, byte for byte (the window removed the same files from both).
  const auto disk = files_under(on_disk);
  const auto kept = relative_to(memory->files, root);
  ASSERT_FALSE(disk.empty());
  EXPECT_EQ(disk.size(), kept.size());
  for (const auto& [name, bytes] : disk) {
    auto found = kept.find(name);
    ASSERT_NE(found, kept.end()) << name << " is on disk but not in memory";
    EXPECT_EQ(found->second, bytes) << name;
  }
  // Every playlist version the memory storage received is the one the file run published at that point;
  // the playlists are relative, so the root does not show.
  EXPECT_EQ(files_run.parts, memory_run.parts);
  ASSERT_GT(memory_run.parts, 8u);
  std::vector<std::string> memory_playlists;
  for (const auto& file : memory->closed) {
    if (file.kind == HlsFileKind::kPlaylist) memory_playlists.push_back(file.bytes);
  }
  ASSERT_EQ(memory_playlists.size(), files_run.playlists.size() + 1);  // + the one finish() ends
  for (size_t i = 0; i < files_run.playlists.size(); ++i) {
    EXPECT_EQ(memory_playlists[i], files_run.playlists[i]) << "playlist version " << i;
  }
  EXPECT_EQ(memory_playlists.back(), disk.at("index.m3u8"));

  // The removals: every segment (and part) file written but no longer on disk, with its kind.
  std::map<std::string, HlsFileKind> written;
  for (const auto& file : memory->closed) written[file.location.substr(root.size() + 1)] = file.kind;
  std::vector<std::pair<std::string, HlsFileKind>> expected_removals;
  for (const auto& [name, kind] : written) {
    if (!disk.count(name)) expected_removals.emplace_back(name, kind);
  }
  auto removed = memory->removed;
  for (auto& [location, kind] : removed) location = location.substr(root.size() + 1);
  std::sort(removed.begin(), removed.end());
  EXPECT_EQ(removed, expected_removals);
  ASSERT_FALSE(removed.empty());
  for (const auto& [name, kind] : removed) {
    EXPECT_TRUE(kind == HlsFileKind::kMediaSegment || kind == HlsFileKind::kPart) << name;
  }
  EXPECT_EQ(written.at("init.mp4"), HlsFileKind::kInitSegment);
  EXPECT_EQ(written.at("main.m3u8"), HlsFileKind::kMultivariantPlaylist);
  if (part_files) {
    EXPECT_TRUE(memory->growing_writes.empty());
    EXPECT_EQ(written.at("segment00000.1.m4s"), HlsFileKind::kPart);
  } else {
    // One write per part into the growing segment file, which is then closed.
    size_t writes = 0;
    for (const auto& [location, count] : memory->growing_writes) writes += count;
    EXPECT_EQ(writes, memory_run.parts);
    EXPECT_EQ(written.at("segment00000.m4s"), HlsFileKind::kMediaSegment);
  }
}

TEST(HlsStorage, memory_storage_receives_the_files_the_file_storage_writes_with_byte_range_parts) {
  expect_memory_matches_files(/*part_files=*/false);
}

TEST(HlsStorage, memory_storage_receives_the_files_the_file_storage_writes_with_part_files) {
  expect_memory_matches_files(/*part_files=*/true);
}

// A storage error stops the stream with that error; the first file the packager could not open is named.
class FailingStorage final : public HlsStorage {
 public:
  Result<std::unique_ptr<HlsStorageWriter>> open(const std::string& location, HlsFileKind kind, HlsWriteMode) override {
    return Status(ErrorCode::kIo, std::string("no room for ") + to_string(kind) + " " + location);
  }
  Status remove(const std::string&, HlsFileKind) override { return Status::ok(); }
};

TEST(HlsStorage, an_error_from_the_storage_fails_the_writer_naming_the_file) {
  HlsPackagerConfig config;
  config.segment_pattern = "x/segment%05d.m4s";
  config.segment_interval_ns = 1'000'000'000;
  config.storage = std::make_shared<FailingStorage>();
  auto packager = std::move(HlsPackager::create(config, {})).value();
  auto writer = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, *packager)).value();
  ASSERT_TRUE(writer->set_preferred_output_segment_interval(Time(1, 1)).is_ok());
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  for (int v = 0; v < 60; ++v) (void)video->append(test::make_sample(Time(v, 30), Time(v, 30), 100, v % 30 == 0, 1));
  (void)writer->finish_writing();
  EXPECT_FALSE(packager->error().is_ok());
  EXPECT_NE(packager->error().message().find("no room for init segment x/init.mp4"), std::string::npos)
      << packager->error().to_string();
}

TEST(HlsFileStorage, a_whole_file_appears_only_when_closed_and_an_abandoned_one_leaves_nothing) {
  test::TempDir dir;
  HlsFileStorage storage(/*sync=*/false);
  const std::string path = dir.file("index.m3u8");
  const std::vector<uint8_t> bytes{'#', 'E', 'X', 'T'};
  auto file = std::move(storage.open(path, HlsFileKind::kPlaylist, HlsWriteMode::kWhole)).value();
  ASSERT_TRUE(file->write(bytes).is_ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE(file->close().is_ok());
  EXPECT_EQ(test::file_contents(path), "#EXT");
  {
    auto abandoned = std::move(storage.open(path, HlsFileKind::kPlaylist, HlsWriteMode::kWhole)).value();
    ASSERT_TRUE(abandoned->write(std::vector<uint8_t>{'x'}).is_ok());
  }
  EXPECT_EQ(test::file_contents(path), "#EXT");
  EXPECT_EQ(dir.entry_count(), 1u);  // no NAME.tmp left
  auto growing = std::move(storage.open(dir.file("s.m4s"), HlsFileKind::kMediaSegment, HlsWriteMode::kGrowing)).value();
  ASSERT_TRUE(growing->write(bytes).is_ok());
  EXPECT_EQ(test::file_contents(dir.file("s.m4s")), "#EXT");  // readable before close
  ASSERT_TRUE(growing->close().is_ok());
  EXPECT_TRUE(storage.remove(dir.file("s.m4s"), HlsFileKind::kMediaSegment).is_ok());
  EXPECT_FALSE(std::filesystem::exists(dir.file("s.m4s")));
  EXPECT_TRUE(storage.remove(dir.file("s.m4s"), HlsFileKind::kMediaSegment).is_ok());  // already gone
}

}  // namespace
}  // namespace aw

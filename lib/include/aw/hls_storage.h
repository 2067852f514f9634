// HlsStorage: where the HlsPackager's files go. The packager never touches the file system itself: it opens
// each file it writes through its storage, writes the bytes and closes it (which commits it), and asks the
// storage to remove the segment files that left a live window. The default, HlsFileStorage, writes local
// files; an application sends the stream elsewhere (an HTTP upload, a memory cache, a GIO stream) with one of
// its own.
//
//   class MemoryStorage : public aw::HlsStorage { ... };  // open() returns a writer appending to a map entry
//   aw::HlsPackagerConfig config;
//   config.storage = std::make_shared<MemoryStorage>();
//   auto packager = aw::HlsPackager::create(config, callbacks);
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "aw/status.h"

namespace aw {

// What a file is, so a storage can route it (hlssink3's get-init-stream, get-fragment-stream and
// get-playlist-stream).
enum class HlsFileKind {
  kInitSegment,           // an initialization segment (ftyp+moov), named by EXT-X-MAP
  kMediaSegment,          // a media segment (whole, or growing by byte-range parts)
  kPart,                  // a Low-Latency HLS part file (HlsPackagerConfig::part_files)
  kPlaylist,              // a media playlist
  kMultivariantPlaylist,  // the multivariant playlist
};

const char* to_string(HlsFileKind kind);

// How the bytes of a file may become visible.
enum class HlsWriteMode {
  // Readers see the old content of the location or the whole new one, never part of it: the file counts
  // only once closed (the file storage writes NAME.tmp and renames it over NAME).
  kWhole,
  // A segment whose Low-Latency HLS parts are byte ranges of it: every write() is a part a playlist names
  // right after it returns, so its bytes must be readable at the location by then (the file storage writes
  // in place and, when syncing, flushes to disk after each write).
  kGrowing,
};

// One file being written. Destroyed without close(), the file is abandoned (after an error): the file
// storage removes its temporary, and the location keeps what it had.
class HlsStorageWriter {
 public:
  virtual ~HlsStorageWriter() = default;
  // Appends bytes. An error fails the packager (its message should name the location).
  virtual Status write(std::span<const uint8_t> data) = 0;
  // The file is complete: commits it. Called once; nothing is written after.
  virtual Status close() = 0;
};

// Called by the packager with its lock held, from the thread that feeds the writer: an implementation must
// not call back into the writer or the packager. Locations are the packager's paths (its config's patterns,
// formatted), exactly as its messages and playlists know them.
class HlsStorage {
 public:
  virtual ~HlsStorage() = default;
  virtual Result<std::unique_ptr<HlsStorageWriter>> open(const std::string& location, HlsFileKind kind,
                                                         HlsWriteMode mode) = 0;
  // A segment or part file past HlsPackagerConfig::max_files. A failure is not fatal: the stream goes on
  // and the file is left behind (the packager returns nothing for it).
  virtual Status remove(const std::string& location, HlsFileKind kind) = 0;
  // With one track per header, once per rendition for each of its locations before its first file: the
  // segment pattern (kMediaSegment), the init segment, the media playlist. The file storage creates the
  // directory holding it.
  virtual Status prepare_directory_of(const std::string& location, HlsFileKind kind) {
    (void)location;
    (void)kind;
    return Status::ok();
  }
};

// Local files: kWhole atomically (NAME.tmp, fdatasync when syncing, renamed over NAME, the directory
// fsynced); kGrowing created (truncated) at its final name and appended to; remove() unlinks (a file already
// gone is fine); prepare_directory_of() creates missing directories.
class HlsFileStorage : public HlsStorage {
 public:
  explicit HlsFileStorage(bool sync = true) : sync_(sync) {}
  // Whether files are fsynced from now on (HlsPackager::set_sync forwards here).
  void set_sync(bool sync) { sync_ = sync; }
  bool sync() const { return sync_; }

  Result<std::unique_ptr<HlsStorageWriter>> open(const std::string& location, HlsFileKind kind,
                                                 HlsWriteMode mode) override;
  Status remove(const std::string& location, HlsFileKind kind) override;
  Status prepare_directory_of(const std::string& location, HlsFileKind kind) override;

 private:
  std::atomic<bool> sync_;
};

}  // namespace aw

// Replacing a whole file so that a reader sees the old content or the new, never half of either: what a
// web server serving segments and playlists, or an uploader watching them, needs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "aw/status.h"
#include "io/output_file.h"

namespace aw {

// A file written as `path.tmp` (through OutputFile) and renamed over `path` by commit(): fdatasynced first
// when `sync`, and the directory fsynced after (a rename survives power loss only once its directory is
// synced). On any failure, or destroyed before commit(), the temporary file is removed and `path` is left as
// it was; errors name the file that failed.
class AtomicFile {
 public:
  static Result<AtomicFile> create(const std::string& path, bool sync);
  // A moved-from AtomicFile holds nothing, so its destructor removes nothing.
  AtomicFile(AtomicFile&& other) noexcept
      : path_(std::move(other.path_)), file_(std::move(other.file_)), sync_(other.sync_) {
    other.file_.reset();
  }
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  Status append(std::span<const uint8_t> data);
  Status commit();

 private:
  AtomicFile(std::string path, OutputFile file, bool sync)
      : path_(std::move(path)), file_(std::move(file)), sync_(sync) {}
  Status abandon(Status status);

  std::string path_;
  std::optional<OutputFile> file_;  // the temporary; empty once committed or abandoned
  bool sync_;
};

// The whole file in one go: AtomicFile::create, append, commit.
Status write_file_atomically(const std::string& path, std::span<const uint8_t> data, bool sync);

}  // namespace aw

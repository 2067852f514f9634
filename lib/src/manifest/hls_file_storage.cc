// HlsFileStorage: the HlsPackager's files on the local file system — whole files replaced atomically, the
// growing segment of byte-range parts written in place, deletions by unlink.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "aw/hls_storage.h"
#include "io/atomic_file.h"
#include "io/output_file.h"

namespace aw {
namespace {

class WholeFileWriter final : public HlsStorageWriter {
 public:
  explicit WholeFileWriter(AtomicFile file) : file_(std::move(file)) {}
  Status write(std::span<const uint8_t> data) override { return file_.append(data); }
  Status close() override { return file_.commit(); }

 private:
  AtomicFile file_;
};

// A part is in the file (and on disk, when syncing) before write() returns: a playlist names it next.
class GrowingFileWriter final : public HlsStorageWriter {
 public:
  GrowingFileWriter(OutputFile file, bool sync) : file_(std::move(file)), sync_(sync) {}
  Status write(std::span<const uint8_t> data) override {
    AW_RETURN_IF_ERROR(file_.append(data));
    return sync_ ? file_.flush_to_disk() : Status::ok();
  }
  Status close() override { return file_.close(); }

 private:
  OutputFile file_;
  bool sync_;
};

}  // namespace

const char* to_string(HlsFileKind kind) {
  switch (kind) {
    case HlsFileKind::kInitSegment: return "init segment";
    case HlsFileKind::kMediaSegment: return "segment";
    case HlsFileKind::kPart: return "part";
    case HlsFileKind::kPlaylist: return "playlist";
    case HlsFileKind::kMultivariantPlaylist: return "multivariant playlist";
  }
  return "file";
}

Result<std::unique_ptr<HlsStorageWriter>> HlsFileStorage::open(const std::string& location, HlsFileKind kind,
                                                               HlsWriteMode mode) {
  (void)kind;
  const bool sync = sync_;
  if (mode == HlsWriteMode::kGrowing) {
    auto file = OutputFile::create(location);
    if (!file) return file.status();
    return std::unique_ptr<HlsStorageWriter>(new GrowingFileWriter(std::move(*file), sync));
  }
  auto file = AtomicFile::create(location, sync);
  if (!file) return file.status();
  return std::unique_ptr<HlsStorageWriter>(new WholeFileWriter(std::move(*file)));
}

Status HlsFileStorage::remove(const std::string& location, HlsFileKind kind) {
  if (::unlink(location.c_str()) == 0 || errno == ENOENT) return Status::ok();
  return Status(ErrorCode::kIo,
                std::string("deleting ") + to_string(kind) + " \"" + location + "\" failed: " + std::strerror(errno));
}

Status HlsFileStorage::prepare_directory_of(const std::string& location, HlsFileKind kind) {
  (void)kind;
  const std::filesystem::path parent = std::filesystem::path(location).parent_path();
  if (parent.empty()) return Status::ok();
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (!ec) return Status::ok();
  return Status(ErrorCode::kIo, "could not create the directory \"" + parent.string() + "\": " + ec.message());
}

}  // namespace aw

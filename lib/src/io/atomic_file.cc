#include "io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

namespace aw {
namespace {

// Best effort: the file itself is already complete and in place.
void sync_directory_of(const std::string& path) {
  const std::string directory = std::filesystem::path(path).parent_path().string();
  const int dir = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return;
  ::fsync(dir);
  ::close(dir);
}

}  // namespace

Result<AtomicFile> AtomicFile::create(const std::string& path, bool sync) {
  auto file = OutputFile::create(path + ".tmp");
  if (!file) return file.status();
  return AtomicFile(path, std::move(*file), sync);
}

AtomicFile::~AtomicFile() {
  if (file_) file_->remove();
}

Status AtomicFile::abandon(Status status) {
  if (file_) file_->remove();  // the temporary: its path until the rename succeeded
  file_.reset();
  return status;
}

Status AtomicFile::append(std::span<const uint8_t> data) {
  if (!file_) return Status(ErrorCode::kInvalidState, "\"" + path_ + "\" is already closed");
  Status status = file_->append(data);
  return status ? status : abandon(std::move(status));
}

Status AtomicFile::commit() {
  if (!file_) return Status(ErrorCode::kInvalidState, "\"" + path_ + "\" is already closed");
  Status status = Status::ok();
  if (sync_) status = file_->flush_to_disk();
  if (status) status = file_->close_and_rename_to(path_);
  if (!status) return abandon(std::move(status));
  file_.reset();
  if (sync_) sync_directory_of(path_);
  return Status::ok();
}

Status write_file_atomically(const std::string& path, std::span<const uint8_t> data, bool sync) {
  auto file = AtomicFile::create(path, sync);
  if (!file) return file.status();
  AW_RETURN_IF_ERROR(file->append(data));
  return file->commit();
}

}  // namespace aw

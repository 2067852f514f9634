#include "io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "io/output_file.h"

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

Status write_file_atomically(const std::string& path, std::span<const uint8_t> data, bool sync) {
  auto file = OutputFile::create(path + ".tmp");
  if (!file) return file.status();
  Status status = file->append(data);
  if (status && sync) status = file->flush_to_disk();
  if (status) status = file->close_and_rename_to(path);
  if (!status) {
    file->remove();  // the temporary: its path until the rename succeeded
    return status;
  }
  if (sync) sync_directory_of(path);
  return Status::ok();
}

}  // namespace aw

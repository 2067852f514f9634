#include "recovery/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace aw::recovery {
namespace {

Status errno_status(const std::string& what, const std::string& path) {
  return Status(ErrorCode::kIo, what + " \"" + path + "\" failed: " + std::strerror(errno));
}

}  // namespace

// Opened without blocking: a FIFO would wait for a writer before it could be refused (a regular file
// ignores the flag).
Result<InputFile> InputFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return Status(ErrorCode::kIo, "cannot open \"" + path + "\": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status s = errno_status("stat of", path);
    ::close(fd);
    return s;
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status(ErrorCode::kInvalidArgument, "\"" + path + "\" is not a regular file");
  }
  return InputFile(fd, path, static_cast<uint64_t>(st.st_size), static_cast<uint64_t>(st.st_dev),
                   static_cast<uint64_t>(st.st_ino));
}

InputFile::InputFile(InputFile&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), size_(other.size_), device_(other.device_), inode_(other.inode_) {
  other.fd_ = -1;
}

InputFile& InputFile::operator=(InputFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    size_ = other.size_;
    device_ = other.device_;
    inode_ = other.inode_;
    other.fd_ = -1;
  }
  return *this;
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status InputFile::read_at(uint64_t offset, std::span<uint8_t> out) const {
  if (offset > size_ || out.size() > size_ - offset) {
    return Status(ErrorCode::kInvalidArgument, "\"" + path_ + "\": read of " + std::to_string(out.size()) +
                                                   " bytes at " + std::to_string(offset) + " is past its end");
  }
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("reading", path_);
    }
    if (n == 0) return Status(ErrorCode::kIo, "reading \"" + path_ + "\" failed: the file shrank while being read");
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

Result<std::vector<uint8_t>> InputFile::read_vector(uint64_t offset, uint64_t size) const {
  if (offset > size_ || size > size_ - offset) {
    return Status(ErrorCode::kInvalidArgument, "\"" + path_ + "\": " + std::to_string(size) + " bytes at " +
                                                   std::to_string(offset) + " run past its end");
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  AW_RETURN_IF_ERROR(read_at(offset, bytes));
  return bytes;
}

}  // namespace aw::recovery

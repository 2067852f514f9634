#include "io/output_file.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

namespace aw {

namespace {

// The process's file size limit (ulimit -f), if any. Writing past it would raise SIGXFSZ, which kills the
// process before any error could be reported, so writes are checked against it first.
std::optional<uint64_t> file_size_limit() {
  ::rlimit limit {};
  if (::getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return std::nullopt;
  return static_cast<uint64_t>(limit.rlim_cur);
}

}  // namespace

std::optional<OutputFile::Fault>& OutputFile::injected_fault() {
  static std::optional<Fault> fault;
  return fault;
}

// Opened without blocking (a FIFO would wait for a reader) and truncated only once it is known to be a
// regular file: a device node or FIFO named as the output is refused, never written, truncated or unlinked.
Result<OutputFile> OutputFile::create(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0644);
  if (fd < 0) return Status(ErrorCode::kIo, "cannot open \"" + path + "\" for writing: " + std::strerror(errno));
  OutputFile file(fd, path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return file.io_error("stat of");
  if (!S_ISREG(st.st_mode)) {
    return Status(ErrorCode::kIo, "cannot write \"" + path + "\": not a regular file (a device, FIFO or socket)");
  }
  file.adopt(st);
  if (::ftruncate(fd, 0) != 0) return file.io_error("truncating");
  if (::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) return file.io_error("setting up");
  file.fault_ = injected_fault();
  return file;
}

ssize_t OutputFile::write_vectored(const ::iovec* iov, int count) {
  if (!fault_) return ::pwritev(fd_, iov, count, static_cast<off_t>(position_));
  // Injected fault: write what still fits under the limit, then fail like the device would.
  if (position_ >= fault_->fail_after_bytes) {
    errno = fault_->error;
    return -1;
  }
  uint64_t room = fault_->fail_after_bytes - position_;
  std::vector<::iovec> limited;
  for (int i = 0; i < count && room > 0; ++i) {
    size_t take = static_cast<size_t>(std::min<uint64_t>(room, iov[i].iov_len));
    limited.push_back({iov[i].iov_base, take});
    room -= take;
  }
  return ::pwritev(fd_, limited.data(), static_cast<int>(limited.size()), static_cast<off_t>(position_));
}

Result<OutputFile> OutputFile::create_temporary(const std::string& directory, const std::string& stem) {
  std::string pattern = (directory.empty() ? std::string(".") : directory) + "/." + stem + ".XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    return Status(ErrorCode::kIo, "cannot create a temporary file in \"" + directory + "\": " + std::strerror(errno));
  }
  OutputFile file(fd, name.data());
  struct stat st {};
  if (::fstat(fd, &st) == 0) file.adopt(st);
  return file;
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : fd_(other.fd_),
      path_(std::move(other.path_)),
      position_(other.position_),
      fault_(other.fault_),
      identity_(other.identity_),
      size_limit_(other.size_limit_) {
  other.fd_ = -1;
  other.identity_.reset();
}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    position_ = other.position_;
    fault_ = other.fault_;
    identity_ = other.identity_;
    size_limit_ = other.size_limit_;
    other.fd_ = -1;
    other.identity_.reset();
  }
  return *this;
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status OutputFile::io_error(const char* what) const {
  return Status(ErrorCode::kIo, std::string(what) + " \"" + path_ + "\" failed: " + std::strerror(errno));
}

void OutputFile::adopt(const struct stat& st) {
  identity_ = {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
  size_limit_ = file_size_limit();
}

Status OutputFile::check_size_limit(const char* what, uint64_t end) const {
  if (!size_limit_ || end <= *size_limit_) return Status::ok();
  return Status(ErrorCode::kIo, std::string(what) + " \"" + path_ + "\" failed: " + std::strerror(EFBIG) +
                                    " (the file size limit, ulimit -f, is " + std::to_string(*size_limit_) + " bytes)");
}

Status OutputFile::append_vectored(std::span<const std::span<const uint8_t>> buffers) {
  if (fd_ < 0) return Status(ErrorCode::kInvalidState, "write to closed file \"" + path_ + "\"");
  uint64_t total = 0;
  for (const auto& buffer : buffers) total += buffer.size();
  AW_RETURN_IF_ERROR(check_size_limit("writing", position_ + total));
  std::vector<iovec> iov;
  iov.reserve(std::min<size_t>(buffers.size(), IOV_MAX));
  size_t next = 0;
  while (next < buffers.size()) {
    iov.clear();
    for (; next < buffers.size() && iov.size() < IOV_MAX; ++next) {
      if (buffers[next].empty()) continue;
      iov.push_back({const_cast<uint8_t*>(buffers[next].data()), buffers[next].size()});
    }
    size_t first = 0;
    while (first < iov.size()) {
      ssize_t n = write_vectored(iov.data() + first, static_cast<int>(iov.size() - first));
      if (n < 0) {
        if (errno == EINTR) continue;
        return io_error("writing");
      }
      if (n == 0) {
        errno = ENOSPC;
        return io_error("writing");
      }
      position_ += static_cast<uint64_t>(n);
      // Short write: skip fully written buffers, advance into the partial one.
      auto left = static_cast<size_t>(n);
      while (first < iov.size() && left >= iov[first].iov_len) left -= iov[first++].iov_len;
      if (first < iov.size()) {
        iov[first].iov_base = static_cast<uint8_t*>(iov[first].iov_base) + left;
        iov[first].iov_len -= left;
      }
    }
  }
  return Status::ok();
}

Status OutputFile::write_at(uint64_t offset, std::span<const uint8_t> data) {
  AW_RETURN_IF_ERROR(check_size_limit("patching", offset + data.size()));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("patching");
    }
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

Status OutputFile::append_range_of(int source_fd, const std::string& source_path, uint64_t offset,
                                   uint64_t length) {
  AW_RETURN_IF_ERROR(check_size_limit("copying media into", position_ + length));
  uint64_t remaining = length;
  auto in_offset = static_cast<loff_t>(offset);
  bool kernel_copy = true;
  std::vector<uint8_t> buffer;
  auto read_error = [&](const char* what) {
    return Status(ErrorCode::kIo, std::string(what) + " \"" + source_path + "\" failed: " + std::strerror(errno));
  };
  while (remaining > 0) {
    if (kernel_copy) {
      loff_t out_offset = static_cast<loff_t>(position_);
      ssize_t n = ::copy_file_range(source_fd, &in_offset, fd_, &out_offset,
                                    static_cast<size_t>(std::min<uint64_t>(remaining, 1u << 30)), 0);
      if (n > 0) {
        position_ += static_cast<uint64_t>(n);
        remaining -= static_cast<uint64_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno != EXDEV && errno != ENOSYS && errno != EOPNOTSUPP && errno != EINVAL) {
        return io_error("copying media into");
      }
      // n == 0 (the source shrank) or no kernel copy between these file systems: read/write says which.
      kernel_copy = false;
      buffer.resize(4 << 20);
    }
    ssize_t r = ::pread(source_fd, buffer.data(), static_cast<size_t>(std::min<uint64_t>(remaining, buffer.size())),
                        in_offset);
    if (r < 0) {
      if (errno == EINTR) continue;
      return read_error("reading");
    }
    if (r == 0) {
      errno = EIO;
      return read_error("reading (unexpected end)");
    }
    AW_RETURN_IF_ERROR(append({buffer.data(), static_cast<size_t>(r)}));
    in_offset += r;
    remaining -= static_cast<uint64_t>(r);
  }
  return Status::ok();
}

Status OutputFile::flush_to_disk() {
  if (fd_ >= 0 && ::fdatasync(fd_) != 0) return io_error("syncing");
  return Status::ok();
}

Status OutputFile::close() {
  if (fd_ < 0) return Status::ok();
  int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) return io_error("closing");
  return Status::ok();
}

Status OutputFile::close_and_rename_to(const std::string& target) {
  AW_RETURN_IF_ERROR(close());
  if (std::rename(path_.c_str(), target.c_str()) != 0) {
    return Status(ErrorCode::kIo, "renaming \"" + path_ + "\" to \"" + target + "\" failed: " + std::strerror(errno));
  }
  path_ = target;
  return Status::ok();
}

// Only the file this object created: whatever took its name since (or was never verified) stays.
void OutputFile::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  struct stat st {};
  if (path_.empty() || !identity_ || ::stat(path_.c_str(), &st) != 0) return;
  if (static_cast<uint64_t>(st.st_dev) == identity_->first && static_cast<uint64_t>(st.st_ino) == identity_->second) {
    ::unlink(path_.c_str());
  }
}

}  // namespace aw

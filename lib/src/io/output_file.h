// OutputFile: the file the movie goes to. Appends with vectored writes (one syscall per chunk, not per
// sample) and patches earlier bytes in place. Errors come back as values naming the path.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "aw/status.h"
#include "io/byte_sink.h"

namespace aw {

class OutputFile final : public ByteSink {
 public:
  // Fault injection for tests: every OutputFile created while set fails its appends with `error` (ENOSPC,
  // EIO, ...) once `fail_after_bytes` bytes have been written to it, after writing up to that point, as a
  // full disk does. Reset with `OutputFile::injected_fault() = std::nullopt`.
  struct Fault {
    uint64_t fail_after_bytes = 0;
    int error = 0;
  };
  static std::optional<Fault>& injected_fault();

  // Creates (truncates) the file; refuses a path that is not a regular file (a device node, FIFO, socket).
  static Result<OutputFile> create(const std::string& path);
  // Creates a uniquely named hidden file in `directory` (mkstemp); the caller removes it with remove().
  static Result<OutputFile> create_temporary(const std::string& directory, const std::string& stem);

  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&& other) noexcept;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() override;

  const std::string& path() const { return path_; }
  // Bytes appended so far (the append position).
  uint64_t position() const override { return position_; }

  using ByteSink::append;
  // Appends all buffers in order with as few writev() calls as IOV_MAX allows.
  Status append_vectored(std::span<const std::span<const uint8_t>> buffers) override;
  // Overwrites bytes already written; does not move the append position.
  Status write_at(uint64_t offset, std::span<const uint8_t> data) override;
  // Appends the whole content of `source` (kernel copy where the file system allows).
  Status append_file(OutputFile& source) { return append_range(source, 0, source.position_); }
  // Appends `length` bytes of `source` from `offset`, in one sequential pass.
  Status append_range(OutputFile& source, uint64_t offset, uint64_t length) {
    return append_range_of(source.fd_, source.path_, offset, length);
  }
  // The same from any readable file descriptor (`source_path` names it in errors): copy_file_range where
  // the file systems allow, read and write otherwise.
  Status append_range_of(int source_fd, const std::string& source_path, uint64_t offset, uint64_t length);
  // Closes the file and renames it to `target` (atomically replacing it), which becomes its path.
  Status close_and_rename_to(const std::string& target);
  Status flush_to_disk() override;
  Status close();
  // Closes and unlinks the file, if its path still names the file this object created.
  void remove();

 private:
  OutputFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Status io_error(const char* what) const;
  // Records which file was created (remove() unlinks only it) and the file size limit its writes respect.
  void adopt(const struct stat& st);
  // EFBIG for a write that would end past the process's file size limit (instead of SIGXFSZ).
  Status check_size_limit(const char* what, uint64_t end) const;

  ssize_t write_vectored(const ::iovec* iov, int count);

  int fd_ = -1;
  std::string path_;
  uint64_t position_ = 0;
  std::optional<Fault> fault_;
  std::optional<std::pair<uint64_t, uint64_t>> identity_;  // st_dev, st_ino of the file created
  std::optional<uint64_t> size_limit_;                     // RLIMIT_FSIZE when the file was created
};

}  // namespace aw

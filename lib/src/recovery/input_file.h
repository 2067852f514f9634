// InputFile: a read-only file for the recovery tool (pread at offsets, never the whole file in memory).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aw/status.h"

namespace aw::recovery {

class InputFile {
 public:
  static Result<InputFile> open(const std::string& path);

  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&& other) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  const std::string& path() const { return path_; }
  uint64_t size() const { return size_; }
  // Device and inode, to tell whether another path names the same file.
  uint64_t device() const { return device_; }
  uint64_t inode() const { return inode_; }

  // Reads exactly `out.size()` bytes at `offset`; an error past the end of the file.
  Status read_at(uint64_t offset, std::span<uint8_t> out) const;
  Result<std::vector<uint8_t>> read_vector(uint64_t offset, uint64_t size) const;
  // For copying from it (OutputFile::append_range_of).
  int descriptor() const { return fd_; }

 private:
  InputFile(int fd, std::string path, uint64_t size, uint64_t device, uint64_t inode)
      : fd_(fd), path_(std::move(path)), size_(size), device_(device), inode_(inode) {}

  int fd_ = -1;
  std::string path_;
  uint64_t size_ = 0;
  uint64_t device_ = 0;
  uint64_t inode_ = 0;
};

}  // namespace aw::recovery

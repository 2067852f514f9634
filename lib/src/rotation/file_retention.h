// max_files: the finished files of a rotation still on disk, oldest first, and the deletion of the oldest
// once more than the limit exist (the files being written count).
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "aw/rotating_writer.h"

namespace aw {

class FileRetention {
 public:
  explicit FileRetention(uint32_t max_files) : max_files_(max_files) {}
  void add_finished(RotatedFile file) { finished_.push_back(std::move(file)); }
  // Deletes the oldest finished files while more than max_files exist with `open_files` being written;
  // returns what it deleted. A file already gone is not an error (the application may have moved it).
  std::vector<RotatedFile> enforce(size_t open_files);

 private:
  uint32_t max_files_;
  std::deque<RotatedFile> finished_;
};

}  // namespace aw

#include "rotation/file_retention.h"

#include <filesystem>
#include <system_error>

namespace aw {

std::vector<RotatedFile> FileRetention::enforce(size_t open_files) {
  std::vector<RotatedFile> deleted;
  if (max_files_ == 0) return deleted;
  while (!finished_.empty() && finished_.size() + open_files > max_files_) {
    std::error_code ignored;
    std::filesystem::remove(finished_.front().path, ignored);
    deleted.push_back(std::move(finished_.front()));
    finished_.pop_front();
  }
  return deleted;
}

}  // namespace aw

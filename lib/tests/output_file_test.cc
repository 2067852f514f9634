// OutputFile, the one place the library creates and removes files: it writes only regular files, and
// removes only the file it created.
#include "io/output_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "test_media.h"

namespace aw {
namespace {

bool is_fifo(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

TEST(OutputFile, refuses_a_fifo_at_once_and_leaves_it_in_place) {
  test::TempDir dir;
  const std::string fifo = dir.file("out.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto file = OutputFile::create(fifo);
  ASSERT_FALSE(file.is_ok());
  EXPECT_EQ(file.status().code(), ErrorCode::kIo);
  EXPECT_NE(file.status().message().find("not a regular file"), std::string::npos) << file.status().message();
  EXPECT_TRUE(is_fifo(fifo));
}

TEST(OutputFile, remove_leaves_a_file_that_took_its_name) {
  test::TempDir dir;
  const std::string path = dir.file("movie.mp4");
  auto file = OutputFile::create(path);
  ASSERT_TRUE(file.is_ok());
  // Another file is renamed over ours (a user's, or a second recording's): removing ours must not delete it.
  const std::vector<uint8_t> theirs{1, 2, 3};
  test::write_bytes(dir.file("other.mp4"), theirs);
  std::filesystem::rename(dir.file("other.mp4"), path);
  file->remove();
  EXPECT_EQ(test::read_bytes(path), theirs);

  auto ours = OutputFile::create(dir.file("ours.mp4"));
  ASSERT_TRUE(ours.is_ok());
  ours->remove();
  EXPECT_FALSE(std::filesystem::exists(dir.file("ours.mp4")));
}

}  // namespace
}  // namespace aw

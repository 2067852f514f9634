// OutputFile, the one place the library creates and removes files: it writes only regular files, and
// removes only the file it created.
#include "io/output_file.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

// Under `ulimit -f` a write past the limit raises SIGXFSZ, which kills the process before anything can be
// reported (issue 22): the write is refused with EFBIG instead. In a child process, whose limit is lowered.
TEST(OutputFile, a_write_past_the_file_size_limit_is_an_error_not_a_signal) {
  test::TempDir dir;
  const std::string path = dir.file("limited.mp4");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::rlimit limit{64 * 1024, 64 * 1024};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(10);
    auto file = OutputFile::create(path);
    if (!file.is_ok()) ::_exit(11);
    const std::vector<uint8_t> block(48 * 1024, 7);
    if (!file->append(block).is_ok()) ::_exit(12);  // within the limit
    Status past = file->append(block);
    const bool said = !past.is_ok() && past.code() == ErrorCode::kIo &&
                      past.message().find("ulimit -f") != std::string::npos;
    ::_exit(said ? 0 : 13);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_FALSE(WIFSIGNALED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(std::filesystem::file_size(path), 48u * 1024);  // what was accepted stays
}

}  // namespace
}  // namespace aw

// LD_PRELOAD shim for the end-to-end tests: appends "fdatasync <path>" or "fsync <path>" to the file named by
// $AW_SYNC_LOG for every call, then makes the real call. It shows which files a pipeline synced to disk,
// which no reader of the output can tell.
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

void log_call(const char* call, int fd) {
  const char* log = std::getenv("AW_SYNC_LOG");
  if (!log) return;
  char link[64];
  char path[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = ::readlink(link, path, sizeof path - 1);
  path[n > 0 ? n : 0] = '\0';
  char line[4200];
  const int len = std::snprintf(line, sizeof line, "%s %s\n", call, path);
  const int out = ::open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (out < 0) return;
  // One write per line: O_APPEND keeps lines from several threads whole.
  if (::write(out, line, static_cast<size_t>(len)) < 0) std::perror("sync_counter");
  ::close(out);
}

template <typename Fn>
Fn real(const char* name) {
  return reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" int fdatasync(int fd) {
  log_call("fdatasync", fd);
  static auto next = real<int (*)(int)>("fdatasync");
  return next(fd);
}

extern "C" int fsync(int fd) {
  log_call("fsync", fd);
  static auto next = real<int (*)(int)>("fsync");
  return next(fd);
}

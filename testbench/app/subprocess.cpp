#include "testbench/app/subprocess.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace vmsim {

namespace {

pid_t start(const std::vector<std::string>& argv, const std::string& log, int fd, int as) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid != 0) return pid;
  if (!log.empty()) {
    const int lfd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (lfd < 0) _exit(127);
    dup2(lfd, 1);
    dup2(lfd, 2);
    close(lfd);
  }
  if (fd >= 0 && fd != as) {
    dup2(fd, as);
    close(fd);
  }
  execvp(args[0], args.data());
  _exit(127);
}

}  // namespace

int spawn_program(const std::vector<std::string>& argv, int fd, int as) {
  return start(argv, "", fd, as);
}

int run_program(const std::vector<std::string>& argv, const std::string& log) {
  const pid_t pid = start(argv, log, -1, -1);
  if (pid < 0) return -1;
  return wait_program(pid);
}

int wait_program(int pid) {
  if (pid < 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  const std::string dirs = path ? path : "/usr/bin:/bin";
  for (size_t a = 0; a <= dirs.size();) {
    const size_t b = std::min(dirs.find(':', a), dirs.size());
    const std::string dir = b > a ? dirs.substr(a, b - a) : ".";
    if (access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    a = b + 1;
  }
  return false;
}

}  // namespace vmsim

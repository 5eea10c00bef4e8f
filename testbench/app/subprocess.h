// subprocess.h: running another program (valgrind, cmake, a compressor)
// directly, without a shell, so no argument is ever re-parsed.
#pragma once

#include <string>
#include <vector>

namespace vmsim {

// Runs argv[0] (searched on PATH) with argv; stdout and stderr go to `log`
// (appended) when it is not empty. Its exit status; 127 when it cannot be
// started; 128 + N when signal N ended it; -1 when it could not be run.
int run_program(const std::vector<std::string>& argv, const std::string& log = "");

// Starts argv without waiting; in the child, `fd` (when >= 0) is made
// descriptor `as`. The child's pid, or -1.
int spawn_program(const std::vector<std::string>& argv, int fd = -1, int as = -1);
// Waits for a spawned program; its status as run_program gives it.
int wait_program(int pid);

// Whether `program` is an executable on PATH.
bool on_path(const std::string& program);

}  // namespace vmsim

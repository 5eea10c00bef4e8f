#include "model/file_swap_backend.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace vmsim {

FileSwapBackend::FileSwapBackend(uint64_t slots, uint64_t latency_cycles, const std::string& path)
    : slots_(slots), latency_(latency_cycles) {
  if (path.empty()) {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/vmsim-swap-XXXXXX";
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    fd_ = mkstemp(name.data());
    if (fd_ >= 0) unlink(name.data());  // gone from the file system; freed when closed
  } else {
    // A new file only, never one vmsim did not create; removed at once like
    // the temporary one, so nothing is left behind however the run ends.
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd_ >= 0) unlink(path.c_str());
  }
  if (fd_ < 0) {
    throw std::runtime_error("cannot create the swap file '" +
                             (path.empty() ? std::string("(temporary)") : path) +
                             "': " + std::strerror(errno));
  }
  if (ftruncate(fd_, off_t(slots * kPageSize)) != 0) {
    const std::string why = std::strerror(errno);
    close(fd_);
    throw std::runtime_error("cannot size the swap file to " + std::to_string(slots) + " slots: " + why);
  }
}

FileSwapBackend::~FileSwapBackend() {
  if (fd_ >= 0) close(fd_);
}

bool FileSwapBackend::write_page(uint64_t slot, const uint8_t* page, uint64_t& latency_cycles) {
  latency_cycles = latency_;
  return slot < slots_ && pwrite(fd_, page, kPageSize, off_t(slot * kPageSize)) == ssize_t(kPageSize);
}

bool FileSwapBackend::read_page(uint64_t slot, uint8_t* page, uint64_t& latency_cycles) {
  latency_cycles = latency_;
  return slot < slots_ && pread(fd_, page, kPageSize, off_t(slot * kPageSize)) == ssize_t(kPageSize);
}

}  // namespace vmsim

#include "model/file_swap_backend.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
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
  // Not sized up front: a slot's bytes take host disk only once written, and
  // a write the host refuses (a full disk, a file-size limit) is reported
  // there, when it happens.
}

FileSwapBackend::~FileSwapBackend() {
  if (fd_ >= 0) close(fd_);
}

bool FileSwapBackend::write_page(uint64_t slot, const uint8_t* page, uint64_t& latency_cycles) {
  latency_cycles = latency_;
  if (slot >= slots_) return false;
  const ssize_t n = pwrite(fd_, page, kPageSize, off_t(slot * kPageSize));
  if (n == ssize_t(kPageSize)) return true;
  if (!write_failed_) {  // the first refusal is said at once, with the host's reason
    write_failed_ = true;
    std::fprintf(stderr, "vmsim: the host refused a write to the swap file (slot %llu): %s\n",
                 static_cast<unsigned long long>(slot), n < 0 ? std::strerror(errno) : "short write");
  }
  return false;
}

bool FileSwapBackend::read_page(uint64_t slot, uint8_t* page, uint64_t& latency_cycles) {
  latency_cycles = latency_;
  return slot < slots_ && pread(fd_, page, kPageSize, off_t(slot * kPageSize)) == ssize_t(kPageSize);
}

}  // namespace vmsim

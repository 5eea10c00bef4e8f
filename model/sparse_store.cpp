#include "model/sparse_store.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace vmsim {

SparseStore::SparseStore(uint64_t size_bytes) : size_(size_bytes), data_(nullptr) {
  if (size_bytes == 0) throw std::runtime_error("physical memory size must be non-zero");
  void* p =
      mmap(nullptr, size_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    throw std::runtime_error("cannot reserve " + std::to_string(size_bytes) +
                             " bytes of simulated memory: " + std::strerror(errno));
  }
  data_ = static_cast<uint8_t*>(p);
}

void zero_host_bytes(uint8_t* p, uint64_t len) {
  static const uint64_t host_page = uint64_t(sysconf(_SC_PAGESIZE));
  const auto addr = reinterpret_cast<uintptr_t>(p);
  if (addr % host_page == 0 && len % host_page == 0 && madvise(p, len, MADV_DONTNEED) == 0) return;
  std::memset(p, 0, len);
}

SparseStore::~SparseStore() {
  munmap(data_, size_);
}

}  // namespace vmsim

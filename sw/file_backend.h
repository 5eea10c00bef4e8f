// file_backend.h: the disk that files live on, as the kernel sees it.
//
// Files are numbered (FileId) and made by the kernel on a workload's behalf
// (create, as creat() plus ftruncate()). Their names and sizes are metadata
// the kernel asks for directly; page data moves one whole page at a time,
// through a SystemC/TLM target in co-simulation (model/file_device.h) or
// straight to the host store in the plain harness (model/file_store.h).
//
// A new file's bytes are not zeros but file_pattern(seed, offset), so that a
// read of the wrong page, or of a page never read from the file, shows.
// Past the end of the file, reads give zeros and writes are dropped, as a
// file system does with the tail of the last page.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sw/types.h"

namespace vmsim {

using FileId = Strong<struct FileIdTag>;

// The 8-byte word at `offset` (a multiple of 8) of a new file made with `seed`.
constexpr uint64_t file_pattern(uint64_t seed, uint64_t offset) {
  uint64_t x = (seed + 1) * 0x9E3779B97F4A7C15ull ^ (offset + 0x632BE59BD9B4E019ull);
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  return x ^ (x >> 29);
}

class FileBackend {
 public:
  virtual ~FileBackend() = default;
  // A new file of `bytes` bytes; nullopt when the store has no room for it.
  virtual std::optional<FileId> create(const std::string& name, uint64_t bytes, uint64_t seed) = 0;
  virtual bool exists(FileId f) const = 0;
  virtual uint64_t size(FileId f) const = 0;  // bytes
  virtual std::string name(FileId f) const = 0;
  // Page `index` of the file. Each returns false on an I/O error, or when
  // the file does not exist or the page starts at or past its end;
  // `latency_cycles` is what the transfer cost.
  virtual bool read_page(FileId f, uint64_t index, uint8_t* page, uint64_t& latency_cycles) = 0;
  virtual bool write_page(FileId f, uint64_t index, const uint8_t* page, uint64_t& latency_cycles) = 0;
};

inline uint64_t pages_of_file(uint64_t bytes) {
  return (bytes + kPageSize - 1) / kPageSize;
}

}  // namespace vmsim

#include "model/file_store.h"

#include <algorithm>
#include <cstring>

namespace vmsim {

std::optional<FileId> FileStore::create(const std::string& name, uint64_t bytes, uint64_t seed) {
  if (bytes > kMaxFileBytes) return std::nullopt;
  files_.push_back(File{name, bytes, seed, {}});
  return FileId{files_.size() - 1};
}

bool FileStore::read_page(FileId f, uint64_t index, uint8_t* page, uint64_t& latency_cycles) {
  latency_cycles = latency_;
  if (!in_file(f, index)) return false;
  const File& file = files_[f.value()];
  if (auto it = file.written.find(index); it != file.written.end()) {
    std::memcpy(page, it->second->data(), kPageSize);
    return true;
  }
  const uint64_t base = index * kPageSize;
  const uint64_t valid = std::min(kPageSize, file.bytes - base);  // bytes of the file in this page
  for (uint64_t off = 0; off < kPageSize; off += 8) {
    const uint64_t word = file_pattern(file.seed, base + off);
    std::memcpy(page + off, &word, 8);
  }
  std::memset(page + valid, 0, kPageSize - valid);
  return true;
}

bool FileStore::write_page(FileId f, uint64_t index, const uint8_t* page, uint64_t& latency_cycles) {
  latency_cycles = latency_;
  if (!in_file(f, index) || fail_writes_) return false;
  File& file = files_[f.value()];
  auto it = file.written.find(index);
  if (it == file.written.end()) {
    if (pages_stored_ >= capacity_) return false;  // the disk is full
    it = file.written.emplace(index, std::make_unique<PageData>()).first;
    ++pages_stored_;
  }
  auto& slot = it->second;
  const uint64_t valid = std::min(kPageSize, file.bytes - index * kPageSize);
  std::memcpy(slot->data(), page, valid);  // the tail past the end is not the file's
  std::memset(slot->data() + valid, 0, kPageSize - valid);
  ++pages_written_;
  return true;
}

}  // namespace vmsim

// file_store.h: the files the guest's kernel reads and writes, kept in host
// memory.
//
// A file holds only the pages written to it; a page never written reads as
// its initial pattern (file_pattern in sw/file_backend.h), computed
// when read, so a large file costs the host nothing until it is written.
// Used directly by the plain harness, and behind the SystemC file device's
// TLM socket (model/file_device.h). Tests read it to compare the files with
// a host-side model.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sw/file_backend.h"

namespace vmsim {

class FileStore final : public FileBackend {
 public:
  // Files larger than this are refused (the TLM address map gives each file
  // 2^40 bytes).
  static constexpr uint64_t kMaxFileBytes = uint64_t{1} << 40;
  // The disk's capacity for written pages (host memory holds them), by
  // default: past it a write of a new page fails, as on a full disk, and the
  // kernel keeps the page dirty in memory.
  static constexpr uint64_t kMaxWrittenPages = uint64_t{1} << 20;  // 4 GiB

  explicit FileStore(uint64_t latency_cycles = 0, uint64_t max_written_pages = kMaxWrittenPages)
      : latency_(latency_cycles), capacity_(max_written_pages) {}

  std::optional<FileId> create(const std::string& name, uint64_t bytes, uint64_t seed) override;
  bool exists(FileId f) const override { return f.value() < files_.size(); }
  uint64_t size(FileId f) const override { return exists(f) ? files_[f.value()].bytes : 0; }
  std::string name(FileId f) const override { return exists(f) ? files_[f.value()].name : std::string(); }
  bool read_page(FileId f, uint64_t index, uint8_t* page, uint64_t& latency_cycles) override;
  bool write_page(FileId f, uint64_t index, const uint8_t* page, uint64_t& latency_cycles) override;

  // Tests: every write fails from now on (a full or failing disk).
  void fail_writes(bool on) { fail_writes_ = on; }
  uint64_t pages_written() const { return pages_written_; }
  uint64_t pages_stored() const { return pages_stored_; }  // distinct written pages held

 private:
  using PageData = std::array<uint8_t, kPageSize>;
  struct File {
    std::string name;
    uint64_t bytes = 0;
    uint64_t seed = 0;
    std::unordered_map<uint64_t, std::unique_ptr<PageData>> written;
  };
  bool in_file(FileId f, uint64_t index) const {
    return exists(f) && index < pages_of_file(files_[f.value()].bytes);
  }

  uint64_t latency_;
  uint64_t capacity_;  // written pages the disk holds
  std::vector<File> files_;
  bool fail_writes_ = false;
  uint64_t pages_written_ = 0;
  uint64_t pages_stored_ = 0;
};

}  // namespace vmsim

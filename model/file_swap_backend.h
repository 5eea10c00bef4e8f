// file_swap_backend.h: swap slots stored in a host file.
//
// The file is sparse (written slots only) and disappears when vmsim exits:
// an unnamed temporary file, or, with a path, a new file made there (on the
// disk the user chose) and unlinked at once. An existing file is never
// opened, so no file vmsim did not create is overwritten. Used directly by
// the plain harness and behind the SystemC swap device's TLM socket.
#pragma once

#include <cstdint>
#include <string>

#include "sw/kernel/swap_space.h"

namespace vmsim {

class FileSwapBackend final : public SwapBackend {
 public:
  // Throws std::runtime_error when the file cannot be created.
  FileSwapBackend(uint64_t slots, uint64_t latency_cycles, const std::string& path = {});
  ~FileSwapBackend() override;
  FileSwapBackend(const FileSwapBackend&) = delete;
  FileSwapBackend& operator=(const FileSwapBackend&) = delete;

  uint64_t slots() const override { return slots_; }
  bool write_page(uint64_t slot, const uint8_t* page, uint64_t& latency_cycles) override;
  bool read_page(uint64_t slot, uint8_t* page, uint64_t& latency_cycles) override;
  uint64_t latency_cycles() const { return latency_; }

 private:
  uint64_t slots_;
  uint64_t latency_;
  int fd_ = -1;
  bool write_failed_ = false;
};

}  // namespace vmsim

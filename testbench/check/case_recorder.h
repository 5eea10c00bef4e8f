// case_recorder.h: writes a differential test case as files that any
// simulator can replay, in the formats of `vmsim translate`
// (testbench/formats/text_image.h):
//
//   image.txt     the memory the generator built: ADDR VALUE lines
//   requests.txt  everything that followed, in order: satp, ctl (SUM, MXR,
//                 Svadu), sfence, mem (PTE edits) and translations
//   expected.txt  each translation's answer, as `vmsim translate` prints it
//   replay.sh     the command that replays it through vmsim
//
// The generator writes through memory() and drives port(); both forward to
// the real ones and log what passes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sw/mmu_port.h"
#include "sw/phys_memory.h"

namespace vmsim {

class CaseRecorder {
 public:
  CaseRecorder(PhysMemory& mem, MmuPort& mmu, unsigned xlen);

  PhysMemory& memory() { return memory_; }
  MmuPort& port() { return port_; }
  // From here on, memory writes are requests (`mem` lines), not the image.
  void start_requests() { requests_started_ = true; }
  // Writes the four files into `dir` (created if missing); false on an I/O error.
  bool write(const std::string& dir, uint64_t mem_mib, std::string& error) const;

 private:
  class Memory final : public PhysMemory {
   public:
    explicit Memory(CaseRecorder& r) : r_(r) {}
    uint64_t size_bytes() const override { return r_.mem_.size_bytes(); }
    bool read(PhysAddr pa, void* dst, size_t len) override { return r_.mem_.read(pa, dst, len); }
    bool write(PhysAddr pa, const void* src, size_t len) override;

   private:
    CaseRecorder& r_;
  };
  class Port final : public MmuPort {
   public:
    explicit Port(CaseRecorder& r) : r_(r) {}
    Translation translate(VirtAddr va, Access access, Priv priv) override;
    void translate_batch(const TranslationRequest* reqs, size_t n, Translation* out) override;
    void write_satp(uint64_t satp) override;
    void set_control(const TranslationControl& ctl) override;
    void sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) override;
    uint64_t cycles() const override { return r_.mmu_.cycles(); }

   private:
    CaseRecorder& r_;
  };

  void record(const TranslationRequest& q, const Translation& t);

  PhysMemory& mem_;
  MmuPort& mmu_;
  unsigned xlen_;
  Memory memory_{*this};
  Port port_{*this};
  bool requests_started_ = false;
  std::map<uint64_t, uint64_t> image_;  // address -> value, as built
  std::vector<std::string> requests_, expected_;
};

}  // namespace vmsim

#include "testbench/check/case_recorder.h"

#include <fmt/format.h>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace vmsim {

CaseRecorder::CaseRecorder(PhysMemory& mem, MmuPort& mmu, unsigned xlen)
    : mem_(mem), mmu_(mmu), xlen_(xlen) {}

bool CaseRecorder::Memory::write(PhysAddr pa, const void* src, size_t len) {
  if (!r_.mem_.write(pa, src, len)) return false;
  const unsigned word = r_.xlen_ / 8;
  if (len != word || pa.value() % word) return true;  // only PTE-sized words are part of a case
  uint64_t v = 0;
  std::memcpy(&v, src, len);
  if (r_.requests_started_) {
    r_.requests_.push_back(fmt::format("mem 0x{:x} 0x{:x}", pa.value(), v));
  } else {
    r_.image_[pa.value()] = v;
  }
  return true;
}

Translation CaseRecorder::Port::translate(VirtAddr va, Access access, Priv priv) {
  const Translation t = r_.mmu_.translate(va, access, priv);
  r_.record({va, access, priv}, t);
  return t;
}

// Recorded one by one: the answers do not depend on the order a device
// interleaves them in (nothing changes memory or the MMU during a batch).
void CaseRecorder::Port::translate_batch(const TranslationRequest* reqs, size_t n, Translation* out) {
  r_.mmu_.translate_batch(reqs, n, out);
  for (size_t i = 0; i < n; ++i) r_.record(reqs[i], out[i]);
}

void CaseRecorder::record(const TranslationRequest& q, const Translation& t) {
  const std::string req = fmt::format("0x{:x} {} {}", q.va.value(), to_string(q.access), to_string(q.priv));
  requests_.push_back(req);
  expected_.push_back(
      req + " -> " +
      (t.fault ? "fault " + std::string(to_string(t.cause)) : fmt::format("0x{:x}", t.pa.value())));
}

void CaseRecorder::Port::write_satp(uint64_t satp) {
  r_.requests_.push_back(fmt::format("satp 0x{:x}", satp));
  r_.mmu_.write_satp(satp);
}

void CaseRecorder::Port::set_control(const TranslationControl& ctl) {
  r_.requests_.push_back(fmt::format("ctl sum={:d} mxr={:d} svadu={:d}", ctl.sum, ctl.mxr, ctl.svadu));
  r_.mmu_.set_control(ctl);
}

void CaseRecorder::Port::sfence(std::optional<VirtAddr> va, std::optional<Asid> asid) {
  r_.requests_.push_back(fmt::format("sfence {} {}", va ? fmt::format("0x{:x}", va->value()) : "*",
                                     asid ? fmt::format("0x{:x}", asid->value()) : "*"));
  r_.mmu_.sfence(va, asid);
}

bool CaseRecorder::write(const std::string& dir, uint64_t mem_mib, std::string& error) const {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return error = "cannot create '" + dir + "': " + ec.message(), false;
  const auto put = [&](const std::string& name, const auto& fill) {
    std::ofstream out(dir + "/" + name);
    fill(out);
    out.flush();
    if (!out) error = "cannot write '" + dir + "/" + name + "'";
    return bool(out);
  };
  return put("image.txt",
             [&](std::ostream& o) {
               o << "# physical memory as the generator built it\n";
               for (const auto& [a, v] : image_) o << fmt::format("0x{:x} 0x{:0{}x}\n", a, v, xlen_ / 4);
             }) &&
         put("requests.txt",
             [&](std::ostream& o) {
               for (const auto& l : requests_) o << l << "\n";
             }) &&
         put("expected.txt",
             [&](std::ostream& o) {
               for (const auto& l : expected_) o << l << "\n";
             }) &&
         put("replay.sh", [&](std::ostream& o) {
           o << "#!/bin/sh\n# Replays this case through vmsim; its output must equal expected.txt.\n"
             << fmt::format(
                    "vmsim translate --xlen {} --mem-size {} --image \"$(dirname \"$0\")/image.txt\" --satp "
                    "0 "
                    "--requests \"$(dirname \"$0\")/requests.txt\"\n",
                    xlen_, mem_mib);
         });
}

}  // namespace vmsim

#include "sw/kernel/swap_space.h"

#include <array>

namespace vmsim {

uint32_t crc32(const uint8_t* data, size_t len) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < len; ++i) c = table[(c ^ data[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

SwapSpace::SwapSpace(SwapBackend* backend)
    : backend_(backend), in_use_(backend ? backend->slots() : 0, false), crc_(in_use_.size(), 0) {}

std::optional<uint64_t> SwapSpace::alloc() {
  for (uint64_t i = 0; i < in_use_.size(); ++i) {
    const uint64_t s = (cursor_ + i) % in_use_.size();
    if (!in_use_[s]) {
      in_use_[s] = true;
      ++used_;
      cursor_ = s + 1;
      return s;
    }
  }
  return std::nullopt;
}

void SwapSpace::release(uint64_t slot) {
  if (!in_use(slot)) return;
  in_use_[slot] = false;
  --used_;
}

bool SwapSpace::write(uint64_t slot, const uint8_t* page, uint64_t& latency_cycles) {
  if (!in_use(slot) || !backend_->write_page(slot, page, latency_cycles)) return false;
  crc_[slot] = crc32(page, kPageSize);
  return true;
}

SwapSpace::ReadResult SwapSpace::read(uint64_t slot, uint8_t* page, uint64_t& latency_cycles) {
  if (!in_use(slot) || !backend_->read_page(slot, page, latency_cycles)) return ReadResult::kIoError;
  return crc32(page, kPageSize) == crc_[slot] ? ReadResult::kOk : ReadResult::kCorrupt;
}

}  // namespace vmsim

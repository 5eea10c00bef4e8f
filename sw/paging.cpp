#include "sw/paging.h"

namespace vmsim {

std::optional<PagingMode> parse_paging_mode(std::string_view name) {
  if (name == "bare") return PagingMode::kBare;
  if (name == "sv32") return PagingMode::kSv32;
  if (name == "sv39") return PagingMode::kSv39;
  if (name == "sv48") return PagingMode::kSv48;
  if (name == "sv57") return PagingMode::kSv57;
  return std::nullopt;
}

std::string_view to_string(PagingMode m) {
  switch (m) {
    case PagingMode::kBare:
      return "bare";
    case PagingMode::kSv32:
      return "sv32";
    case PagingMode::kSv39:
      return "sv39";
    case PagingMode::kSv48:
      return "sv48";
    case PagingMode::kSv57:
      return "sv57";
  }
  return "?";
}

bool is_canonical(VirtAddr va, PagingMode m) {
  if (m == PagingMode::kBare) return true;
  if (is_sv32(m)) return (va.value() >> 32) == 0;
  const unsigned bits = va_bits_of(m);
  const int64_t sext = int64_t(va.value() << (64 - bits)) >> (64 - bits);
  return uint64_t(sext) == va.value();
}

}  // namespace vmsim

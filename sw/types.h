// types.h: strong types for addresses and the vocabulary shared by the guest
// runtime, the models and the checker.
//
// VirtAddr, PhysAddr, Vpn, Ppn and Asid are distinct types: mixing a virtual
// with a physical address, or a page number with an address, does not compile.
// Conversions between them are the named functions at the bottom.
#pragma once

#include <compare>
#include <cstdint>
#include <string_view>

namespace vmsim {

inline constexpr unsigned kPageShift = 12;
inline constexpr uint64_t kPageSize = uint64_t{1} << kPageShift;

// A 64-bit value with a tag: explicit construction, explicit value(), ordered.
template <typename Tag>
class Strong {
 public:
  constexpr Strong() = default;
  constexpr explicit Strong(uint64_t v) : v_(v) {}
  constexpr uint64_t value() const { return v_; }
  constexpr auto operator<=>(const Strong&) const = default;

 private:
  uint64_t v_ = 0;
};

using VirtAddr = Strong<struct VirtAddrTag>;
using PhysAddr = Strong<struct PhysAddrTag>;
using Vpn = Strong<struct VpnTag>;
using Ppn = Strong<struct PpnTag>;
using Asid = Strong<struct AsidTag>;

constexpr Vpn vpn_of(VirtAddr va) {
  return Vpn{va.value() >> kPageShift};
}
constexpr Ppn ppn_of(PhysAddr pa) {
  return Ppn{pa.value() >> kPageShift};
}
constexpr PhysAddr base_of(Ppn ppn) {
  return PhysAddr{ppn.value() << kPageShift};
}
constexpr VirtAddr base_of(Vpn vpn) {
  return VirtAddr{vpn.value() << kPageShift};
}
constexpr uint64_t page_offset(VirtAddr va) {
  return va.value() & (kPageSize - 1);
}

enum class Access : uint8_t { kLoad = 0, kStore = 1, kFetch = 2 };
enum class Priv : uint8_t { kUser = 0, kSupervisor = 1 };

// RISC-V exception causes the MMU raises (mcause values).
enum class Cause : uint8_t {
  kNone = 0,
  kFetchAccessFault = 1,
  kLoadAccessFault = 5,
  kStoreAccessFault = 7,
  kFetchPageFault = 12,
  kLoadPageFault = 13,
  kStorePageFault = 15,
};

constexpr Cause page_fault_cause(Access a) {
  return a == Access::kStore   ? Cause::kStorePageFault
         : a == Access::kFetch ? Cause::kFetchPageFault
                               : Cause::kLoadPageFault;
}
constexpr Cause access_fault_cause(Access a) {
  return a == Access::kStore   ? Cause::kStoreAccessFault
         : a == Access::kFetch ? Cause::kFetchAccessFault
                               : Cause::kLoadAccessFault;
}
constexpr bool is_page_fault(Cause c) {
  return c == Cause::kFetchPageFault || c == Cause::kLoadPageFault || c == Cause::kStorePageFault;
}

std::string_view to_string(Access a);
std::string_view to_string(Priv p);
std::string_view to_string(Cause c);  // RISC-V names: "load_page_fault", ...

// What the MMU answers for one translation request.
struct Translation {
  bool fault = false;
  Cause cause = Cause::kNone;
  PhysAddr pa{};
  bool tlb_hit = false;  // served by a TLB, no walk
  bool l2_hit = false;   // that TLB was the L2 (a device with one)
  // PTEs the walk read (0 after a TLB hit), as the device's driver counted
  // them on its memory port; a device without that count leaves 0.
  uint8_t pte_reads = 0;
  // Answered from the walk (or L2 hit) of another request to the same page
  // that was still in flight: a merged miss (a device with several
  // translations outstanding; never with one at a time).
  bool merged = false;
  bool operator==(const Translation&) const = default;
};

}  // namespace vmsim

#include "sw/types.h"

namespace vmsim {

std::string_view to_string(Access a) {
  switch (a) {
    case Access::kLoad:
      return "r";
    case Access::kStore:
      return "w";
    case Access::kFetch:
      return "x";
  }
  return "?";
}

std::string_view to_string(Priv p) {
  return p == Priv::kUser ? "u" : "s";
}

std::string_view to_string(Cause c) {
  switch (c) {
    case Cause::kNone:
      return "none";
    case Cause::kFetchAccessFault:
      return "instruction_access_fault";
    case Cause::kLoadAccessFault:
      return "load_access_fault";
    case Cause::kStoreAccessFault:
      return "store_access_fault";
    case Cause::kFetchPageFault:
      return "instruction_page_fault";
    case Cause::kLoadPageFault:
      return "load_page_fault";
    case Cause::kStorePageFault:
      return "store_page_fault";
  }
  return "unknown_cause";
}

}  // namespace vmsim

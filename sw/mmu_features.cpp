#include "sw/mmu_features.h"

namespace vmsim {

namespace {

constexpr uint32_t bit(PagingMode m) {
  return uint32_t{1} << unsigned(m);
}

std::string quoted(std::string_view s) {
  std::string out(1, '\'');
  out.append(s);
  out.push_back('\'');
  return out;
}

}  // namespace

MmuFeatures MmuFeatures::all(unsigned xlen) {
  MmuFeatures f;
  f.xlen = xlen;
  if (xlen == 32) {
    f.modes = bit(PagingMode::kSv32);
  } else {
    f.modes = bit(PagingMode::kSv39) | bit(PagingMode::kSv48) | bit(PagingMode::kSv57);
    f.svnapot = f.svpbmt = true;
  }
  f.svadu = true;
  return f;
}

std::string MmuFeatures::to_string() const {
  std::string out;
  auto add = [&out](std::string_view s) {
    if (!out.empty()) out += ' ';
    out += s;
  };
  for (PagingMode m : {PagingMode::kSv32, PagingMode::kSv39, PagingMode::kSv48, PagingMode::kSv57}) {
    if (implements(m)) add(vmsim::to_string(m));
  }
  if (svnapot) add("svnapot");
  if (svpbmt) add("svpbmt");
  if (svadu) add("svadu");
  return out;
}

std::optional<MmuFeatures> parse_mmu_features(std::string_view text, unsigned xlen, std::string& error) {
  MmuFeatures f;
  f.xlen = xlen;
  bool any = false;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find_first_of(" ,", pos);
    const std::string_view name = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    if (name.empty()) continue;
    any = true;
    const std::optional<PagingMode> mode = parse_paging_mode(name);
    if (mode && *mode != PagingMode::kBare) {
      if (xlen_of(*mode) != xlen) {
        error = quoted(name).append(" is not a mode of an RV").append(std::to_string(xlen)).append(" MMU");
        return std::nullopt;
      }
      f.modes |= bit(*mode);
    } else if (name == "svnapot" || name == "svpbmt") {
      if (xlen == 32) {
        error = quoted(name).append(" exists only in RV64 (Sv32 PTEs have no bits for it)");
        return std::nullopt;
      }
      (name == "svnapot" ? f.svnapot : f.svpbmt) = true;
    } else if (name == "svadu") {
      f.svadu = true;
    } else {
      error = std::string("unknown feature ")
                  .append(quoted(name))
                  .append(" (paging modes sv32 sv39 sv48 sv57, extensions svnapot svpbmt svadu)");
      return std::nullopt;
    }
  }
  if (!any) return MmuFeatures::all(xlen);
  if (f.modes == 0) {
    error = quoted(text).append(" names no paging mode");
    return std::nullopt;
  }
  return f;
}

}  // namespace vmsim

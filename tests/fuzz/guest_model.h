// guest_model.h: what a guest process may expect of its memory, for the
// runtime fuzz target. Independent of the kernel's own records: it knows
// only the system calls made and the values stored, as a program would.
//
// Per process: the rights of each mapped page (mmap, mprotect, brk; munmap
// and a shrinking brk remove pages), and the last value stored to each
// 8-byte word (a word never stored, or stored before its page was unmapped,
// reads 0; in a private mapping of a file, a word never stored reads the
// file's, which no one writes: file_pattern of the file's seed and offset,
// 0 past the file's end).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "sw/address_space.h"
#include "sw/file_backend.h"
#include "sw/types.h"

namespace vmsim::fuzz {

class GuestModel {
 public:
  void map(uint64_t start, uint64_t pages, Perms perms) {
    for (uint64_t i = 0; i < pages; ++i) pages_[(start >> kPageShift) + i] = perms;
  }
  // A private mapping of [offset, offset + pages) of a file of `bytes` bytes made with `seed`.
  void map_file(uint64_t start, uint64_t pages, Perms perms, uint64_t seed, uint64_t bytes, uint64_t offset) {
    map(start, pages, perms);
    for (uint64_t i = 0; i < pages; ++i)
      file_[(start >> kPageShift) + i] = {seed, bytes, offset + i * kPageSize};
  }
  // Every page of [start, +pages) is a file's (msync may be asked of it).
  bool file_backed(uint64_t start, uint64_t pages) const {
    for (uint64_t i = 0; i < pages; ++i) {
      if (!file_.count((start >> kPageShift) + i)) return false;
    }
    return true;
  }
  void unmap(uint64_t start, uint64_t pages) {
    const uint64_t first = start >> kPageShift;
    file_.erase(file_.lower_bound(first), file_.lower_bound(first + pages));
    for (auto it = pages_.lower_bound(first); it != pages_.end() && it->first < first + pages; ++it)
      remember_gone(it->first << kPageShift);
    pages_.erase(pages_.lower_bound(first), pages_.lower_bound(first + pages));
    values_.erase(values_.lower_bound(start), values_.lower_bound(start + pages * kPageSize));
  }
  // mprotect: the pages mapped in the range take the new rights.
  void protect(uint64_t start, uint64_t pages, Perms perms) {
    const uint64_t first = start >> kPageShift;
    for (auto it = pages_.lower_bound(first); it != pages_.end() && it->first < first + pages; ++it)
      it->second = perms;
  }
  // mremap that succeeded: [old, +old_pages) now at `to`, `new_pages` long;
  // pages past the old length are new, with the rights the range had.
  void remap(uint64_t old, uint64_t old_pages, uint64_t to, uint64_t new_pages) {
    const Perms perms = pages_.at(old >> kPageShift);
    const uint64_t kept = std::min(old_pages, new_pages);
    std::map<uint64_t, uint64_t> moved;
    for (auto it = values_.lower_bound(old); it != values_.end() && it->first < old + kept * kPageSize; ++it)
      moved[it->first - old + to] = it->second;
    std::map<uint64_t, FilePage> moved_file;
    const uint64_t old_vpn = old >> kPageShift, to_vpn = to >> kPageShift;
    for (auto it = file_.lower_bound(old_vpn); it != file_.end() && it->first < old_vpn + kept; ++it)
      moved_file[it->first - old_vpn + to_vpn] = it->second;
    unmap(old, old_pages);
    map(to, new_pages, perms);
    values_.insert(moved.begin(), moved.end());
    file_.insert(moved_file.begin(), moved_file.end());
  }
  bool mapped(uint64_t va) const { return pages_.count(va >> kPageShift) != 0; }
  bool allows(uint64_t va, Access a) const {
    const auto it = pages_.find(va >> kPageShift);
    if (it == pages_.end()) return false;
    const Perms& p = it->second;
    switch (a) {
      case Access::kLoad:
        return p.read;
      case Access::kStore:
        return p.write;
      default:
        return p.exec;
    }
  }
  void stored(uint64_t va, uint64_t v) { values_[va] = v; }
  uint64_t value(uint64_t va) const {
    const auto it = values_.find(va);
    if (it != values_.end()) return it->second;
    const auto f = file_.find(va >> kPageShift);
    if (f == file_.end()) return 0;
    const uint64_t off = f->second.offset + va % kPageSize;
    return off + 8 <= f->second.bytes ? file_pattern(f->second.seed, off) : 0;
  }
  // The n-th mapped page (modulo the count), or nullopt when none is mapped.
  std::optional<uint64_t> page(uint64_t n) const {
    if (pages_.empty()) return std::nullopt;
    auto it = pages_.begin();
    std::advance(it, long(n % pages_.size()));
    return it->first << kPageShift;
  }
  uint64_t mapped_pages() const { return pages_.size(); }
  // One of the last pages unmapped (it may be mapped again since), or
  // nullopt: where a TLB entry a fence missed would still answer.
  std::optional<uint64_t> gone_page(uint64_t n) const {
    if (gone_.empty()) return std::nullopt;
    return gone_[n % gone_.size()];
  }
  uint64_t brk_end = 0;

 private:
  void remember_gone(uint64_t va) {
    if (gone_.size() < 16) return gone_.push_back(va);
    gone_[next_gone_++ % 16] = va;
  }

  std::map<uint64_t, Perms> pages_;  // by VPN
  std::vector<uint64_t> gone_;       // recently unmapped pages (at most 16)
  unsigned next_gone_ = 0;
  std::map<uint64_t, uint64_t> values_;  // by 8-byte aligned VA
  struct FilePage {
    uint64_t seed, bytes, offset;  // the file's seed and size, the page's offset in it
  };
  std::map<uint64_t, FilePage> file_;  // by VPN: pages of private file mappings
};

}  // namespace vmsim::fuzz

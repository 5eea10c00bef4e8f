// anon_file_lists.h: the replacement policy's pages kept as two lists, one
// of anonymous pages and one of file pages, as Linux keeps its LRU lists,
// and which of them reclaim takes from: the swappiness knob.
//
// Each list is an instance of the configured policy (sw/policy/), so every
// policy works on both kinds unchanged. The file list is made when the first
// file page comes in: a run without files sees one policy, exactly as before.
//
// Which list gives the next victim (victim()): with no file pages, or no
// anonymous ones, the other list; with swap full, the file list (anonymous
// pages would need a slot); with swappiness 0, the file list while it has
// pages. Otherwise the lists take turns in proportion to
//
//     anonymous: swappiness x (anonymous pages)    file: (200 - swappiness) x (file pages)
//
// (Linux's get_scan_count, with its anon_prio and file_prio, without the
// rotation feedback), by smooth weighted round robin: deterministic, and
// exact over any run of choices. Swappiness 100 treats both kinds alike.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sw/policy/replacement_policy.h"

namespace vmsim {

class AnonFileLists final : public ReplacementPolicy {
 public:
  // Throws std::invalid_argument as make_policy() does, or for swappiness above 200.
  AnonFileLists(std::string_view policy, const PolicyArgs& args, unsigned swappiness);

  std::string_view name() const override { return anon_->name(); }
  void insert(Page& page) override { list_for_insert(page).insert(page); }
  void remove(Page& page) override;
  Page* victim(AccessedBits& bits) override { return victim(bits, true); }
  // `swap_has_room`: false when no swap slot is free (only file pages, and
  // clean anonymous ones, can go).
  Page* victim(AccessedBits& bits, bool swap_has_room);
  size_t size() const override { return anon_->size() + file_pages(); }
  bool contains(const Page& page) const override;
  uint64_t aging_period() const override { return anon_->aging_period(); }
  void age(AccessedBits& bits) override;
  bool wants_accesses() const override { return anon_->wants_accesses(); }
  void on_access(Page& page, uint64_t position) override;

  size_t anon_pages() const { return anon_->size(); }
  size_t file_pages() const { return file_ ? file_->size() : 0; }
  unsigned swappiness() const { return swappiness_; }

 private:
  static bool is_file(const Page& page) { return page.obj && page.obj->file; }
  ReplacementPolicy& list_for_insert(const Page& page);
  bool take_anon();  // the round robin's next turn

  std::string policy_name_;
  PolicyArgs args_;
  unsigned swappiness_;
  std::unique_ptr<ReplacementPolicy> anon_, file_;
  int64_t anon_credit_ = 0, file_credit_ = 0;  // the round robin's current weights
};

}  // namespace vmsim

// page_records.h: the building blocks of a policy's own state.
//
// PageRecords<R> keeps one record of type R per page the policy holds. The
// page carries only the handle (Page::policy_handle) the policy gave it, so
// finding the record is an index, and the kernel never sees what is in it.
// PageList is a list of pages whose positions live in those records.
#pragma once

#include <cstdint>
#include <list>
#include <vector>

#include "sw/page.h"

namespace vmsim {

template <typename Record>
class PageRecords {
 public:
  // A fresh record for a page the policy did not hold.
  Record& add(Page& p) {
    uint32_t h;
    if (free_.empty()) {
      h = uint32_t(records_.size());
      records_.emplace_back();
    } else {
      h = free_.back();
      free_.pop_back();
      records_[h] = Record{};
    }
    p.policy_handle = h;
    ++size_;
    return records_[h];
  }
  void remove(Page& p) {
    if (!holds(p)) return;
    free_.push_back(p.policy_handle);
    p.policy_handle = Page::kNoPolicyHandle;
    --size_;
  }
  bool holds(const Page& p) const { return p.policy_handle != Page::kNoPolicyHandle; }
  Record& of(const Page& p) { return records_[p.policy_handle]; }
  const Record& of(const Page& p) const { return records_[p.policy_handle]; }
  size_t size() const { return size_; }

 private:
  std::vector<Record> records_;
  std::vector<uint32_t> free_;  // handles to reuse
  size_t size_ = 0;
};

// Where a page sits in a PageList (kept in the policy's record for it).
struct ListPosition {
  int list = -1;  // which PageList, -1 none
  std::list<Page*>::iterator it;
};

class PageList {
 public:
  explicit PageList(int id) : id_(id) {}
  void push_front(Page& p, ListPosition& pos) { place(pos, pages_.insert(pages_.begin(), &p)); }
  void push_back(Page& p, ListPosition& pos) { place(pos, pages_.insert(pages_.end(), &p)); }
  void erase(ListPosition& pos) {
    pages_.erase(pos.it);
    pos.list = -1;
  }
  bool holds(const ListPosition& pos) const { return pos.list == id_; }
  Page* back() const { return pages_.empty() ? nullptr : pages_.back(); }
  Page* front() const { return pages_.empty() ? nullptr : pages_.front(); }
  size_t size() const { return pages_.size(); }
  bool empty() const { return pages_.empty(); }
  const std::list<Page*>& pages() const { return pages_; }

 private:
  void place(ListPosition& pos, std::list<Page*>::iterator it) {
    pos.it = it;
    pos.list = id_;
  }

  int id_;
  std::list<Page*> pages_;
};

}  // namespace vmsim

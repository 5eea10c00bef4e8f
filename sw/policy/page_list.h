// page_list.h: an intrusive-ish list of pages (the Page records its own list
// and position), the building block of the list-based policies.
#pragma once

#include <list>

#include "sw/page.h"

namespace vmsim {

class PageList {
 public:
  explicit PageList(int id) : id_(id) {}
  void push_front(Page& p) { p.lru_pos = pages_.insert(pages_.begin(), &p), p.lru_list = id_; }
  void push_back(Page& p) { p.lru_pos = pages_.insert(pages_.end(), &p), p.lru_list = id_; }
  void erase(Page& p) {
    pages_.erase(p.lru_pos);
    p.lru_list = -1;
  }
  Page* back() const { return pages_.empty() ? nullptr : pages_.back(); }
  Page* front() const { return pages_.empty() ? nullptr : pages_.front(); }
  size_t size() const { return pages_.size(); }
  bool empty() const { return pages_.empty(); }
  bool holds(const Page& p) const { return p.lru_list == id_; }
  const std::list<Page*>& pages() const { return pages_; }

 private:
  int id_;
  std::list<Page*> pages_;
};

}  // namespace vmsim

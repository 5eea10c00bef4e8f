#include "sw/kernel/page_cache.h"

#include <algorithm>
#include <array>

namespace vmsim {

std::shared_ptr<MemoryObject> PageCache::object(FileId f) {
  if (!files_ || !files_->exists(f)) return nullptr;
  auto& obj = objects_[f.value()];
  if (!obj) {
    obj = std::make_shared<MemoryObject>();
    obj->name = files_->name(f);
    obj->shared = true;
    obj->file = f;
    obj->file_pages = pages_of_file(files_->size(f));
  }
  return obj;
}

bool PageCache::fill(Page& page, Ppn frame) {
  std::array<uint8_t, kPageSize> buf;
  uint64_t latency = 0;
  const bool ok = files_->read_page(*page.obj->file, page.index, buf.data(), latency);
  stats_.file_cycles += latency;
  time_.add_io(latency);
  if (!ok) {
    ++stats_.file_read_errors;
    return false;
  }
  mem_.write(base_of(frame), buf.data(), buf.size());
  ++stats_.file_reads;
  resident_.make_resident(page, frame);
  return true;
}

bool PageCache::write(Page& page, uint64_t& latency) {
  std::array<uint8_t, kPageSize> buf;
  mem_.read(base_of(page.frame), buf.data(), buf.size());
  const bool ok = files_->write_page(*page.obj->file, page.index, buf.data(), latency);
  stats_.file_cycles += latency;
  ++(ok ? stats_.file_writes : stats_.file_write_errors);
  return ok;
}

bool PageCache::write_back(Page& page) {
  if (page.state != PageState::kResident) return true;
  const bool mapped_dirty = rmap_.clear_dirty(page);
  if (!mapped_dirty && !page.dirty) return true;
  uint64_t latency = 0;
  const bool ok = write(page, latency);
  page.dirty = !ok;
  time_.add_io(latency);
  return ok;
}

bool PageCache::evict(Page& page) {
  policy_.remove(page);
  const bool was_dirty = rmap_.unmap_all(page) || page.dirty;
  uint64_t latency = 0;
  if (was_dirty) {
    if (!write(page, latency)) {
      resident_.make_resident(page, page.frame);  // back on the lists; mappings come back on the next touch
      page.dirty = true;
      time_.add_io(latency);
      return false;
    }
    ++stats_.file_reclaim_writes;
  } else {
    ++stats_.file_drops;
  }
  page.dirty = false;
  resident_.release_frame(page);
  page.state = PageState::kEmpty;
  time_.add_io(latency);
  return true;
}

bool PageCache::sync(MemoryObject& obj, uint64_t first, uint64_t count) {
  bool ok = true;
  for (auto& [index, page] : obj.pages) {
    if (index >= first && index - first < count) ok = write_back(page) && ok;
  }
  return ok;
}

bool PageCache::sync_all() {
  bool ok = true;
  for (auto& [f, obj] : objects_) ok = sync(*obj, 0, obj->file_pages) && ok;
  return ok;
}

void PageCache::note_access() {
  if (period_ == 0 || objects_.empty() || ++since_flush_ < period_) return;
  since_flush_ = 0;
  KernelTime::Section section(time_);
  ++stats_.file_flushes;
  sync_all();  // a page that fails stays dirty: the next flush, msync or reclaim tries again
}

std::string PageCache::check_clean_page(const Page& page) {
  if (page.state != PageState::kResident || dirty(page)) return {};
  std::array<uint8_t, kPageSize> in_memory, in_file;
  uint64_t latency = 0;
  if (!files_->read_page(*page.obj->file, page.index, in_file.data(), latency))
    return "cannot be read back from its file";
  mem_.read(base_of(page.frame), in_memory.data(), in_memory.size());
  // Past the end of the file the page's bytes are nobody's: a store there
  // is never written back (as in Linux).
  const uint64_t valid = std::min(kPageSize, files_->size(*page.obj->file) - page.index * kPageSize);
  for (size_t i = 0; i < valid; ++i) {
    if (in_memory[i] != in_file[i])
      return "is clean but differs from its file at byte " + std::to_string(i) + " of the page";
  }
  return {};
}

}  // namespace vmsim

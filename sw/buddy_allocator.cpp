#include "sw/buddy_allocator.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace vmsim {

namespace {
uint64_t block_frames(unsigned order) {
  return uint64_t{1} << order;
}
std::string n(uint64_t v) {
  return std::to_string(v);
}
}  // namespace

BuddyAllocator::BuddyAllocator(uint64_t frames, uint64_t base)
    : base_(base),
      frames_(frames),
      max_order_(frames ? std::min<unsigned>({kLargestOrder, unsigned(std::bit_width(frames) - 1),
                                              base ? unsigned(std::countr_zero(base)) : kLargestOrder})
                        : 0),
      head_{std::vector<uint32_t>(max_order_ + 1, kNone), std::vector<uint32_t>(max_order_ + 1, kNone)},
      count_{std::vector<uint64_t>(max_order_ + 1, 0), std::vector<uint64_t>(max_order_ + 1, 0)},
      kind_((frames >> kPageblockOrder) + 1, Mobility::kMovable),
      next_(frames, kNone),
      prev_(frames, kNone),
      order_(frames, kNotFree) {
  if (frames >= kNone) throw std::invalid_argument("more frames than the buddy allocator indexes");
  if (base % block_frames(kPageblockOrder))
    throw std::invalid_argument("a buddy allocator's first frame must start a pageblock");
  for (uint64_t f = 0; f < frames;) {
    unsigned k = std::min<unsigned>(max_order_, f ? std::countr_zero(f) : max_order_);
    while (f + block_frames(k) > frames) --k;
    push(f, k);
    f += block_frames(k);
  }
}

void BuddyAllocator::push(uint64_t start, unsigned order) {
  const uint32_t s = static_cast<uint32_t>(start);
  if (order >= kPageblockOrder) {  // whole pageblocks: free for any use again
    for (uint64_t b = start >> kPageblockOrder; b < (start + block_frames(order)) >> kPageblockOrder; ++b)
      kind_[b] = Mobility::kMovable;
  }
  const auto l = unsigned(list_of(start, order));
  order_[s] = static_cast<int8_t>(order);
  prev_[s] = kNone;
  next_[s] = head_[l][order];
  if (head_[l][order] != kNone) prev_[head_[l][order]] = s;
  head_[l][order] = s;
  ++count_[l][order];
  free_frames_ += block_frames(order);
}

void BuddyAllocator::unlink(uint64_t start) {
  const auto order = static_cast<unsigned>(order_[start]);
  const auto l = unsigned(list_of(start, order));
  if (prev_[start] != kNone)
    next_[prev_[start]] = next_[start];
  else
    head_[l][order] = next_[start];
  if (next_[start] != kNone) prev_[next_[start]] = prev_[start];
  order_[start] = kNotFree;
  --count_[l][order];
  free_frames_ -= block_frames(order);
}

std::optional<std::pair<uint64_t, unsigned>> BuddyAllocator::take_smallest(unsigned from, Mobility list) {
  const auto l = unsigned(list);
  for (unsigned j = from; j <= max_order_; ++j) {
    if (head_[l][j] == kNone) continue;
    const uint64_t start = head_[l][j];
    unlink(start);
    return std::pair{start, j};
  }
  return std::nullopt;
}

// The block at `start` of order `from`, taken off its list, is cut down to
// order `to`: each upper half goes back, on the lists its place says.
void BuddyAllocator::split(uint64_t start, unsigned from, unsigned to) {
  while (from > to) {
    --from;
    push(start + block_frames(from), from);
  }
}

std::optional<Ppn> BuddyAllocator::alloc(unsigned order, Mobility kind) {
  if (order > max_order_) return std::nullopt;
  const Mobility other = kind == Mobility::kMovable ? Mobility::kUnmovable : Mobility::kMovable;
  auto got = take_smallest(order, kind);
  if (!got && kind == Mobility::kUnmovable && max_order_ >= kPageblockOrder) {
    // Claim a whole free pageblock (or more): its first pageblock turns
    // unmovable, and what is left of it waits for the next unmovable request.
    got = take_smallest(std::max(order, kPageblockOrder), Mobility::kMovable);
    if (got) kind_[got->first >> kPageblockOrder] = Mobility::kUnmovable;
  }
  if (!got) got = take_smallest(order, other);  // no block of its kind: mix in where one is free
  if (!got) return std::nullopt;
  split(got->first, got->second, order);
  return Ppn{base_ + got->first};
}

void BuddyAllocator::free(Ppn start, unsigned order) {
  uint64_t s = start.value() - base_;
  while (order < max_order_) {
    const uint64_t buddy = s ^ block_frames(order);
    if (!free_block_at(buddy, order)) break;
    unlink(buddy);
    s = std::min(s, buddy);
    ++order;
  }
  push(s, order);
}

bool BuddyAllocator::take(Ppn frame) {
  if (frame.value() < base_) return false;
  const uint64_t f = frame.value() - base_;
  if (f >= frames_) return false;
  for (unsigned k = 0; k <= max_order_; ++k) {
    uint64_t s = f & ~(block_frames(k) - 1);
    if (!free_block_at(s, k)) continue;
    unlink(s);
    while (k > 0) {  // split towards the frame; the other half stays free
      --k;
      const uint64_t upper = s + block_frames(k);
      if (f >= upper) {
        push(s, k);
        s = upper;
      } else {
        push(upper, k);
      }
    }
    return true;
  }
  return false;
}

int BuddyAllocator::largest_free_order() const {
  for (int k = static_cast<int>(max_order_); k >= 0; --k) {
    if (free_blocks(unsigned(k))) return k;
  }
  return -1;
}

// Each list, walked: its links agree both ways, its blocks carry its order
// and belong on its lists by their place, and it holds as many blocks as its
// count says.
void BuddyAllocator::check_lists(std::vector<std::string>& out, size_t limit) const {
  for (unsigned l = 0; l < 2; ++l) {
    const char* kind = l ? "unmovable" : "movable";
    for (unsigned k = 0; k <= max_order_ && out.size() < limit; ++k) {
      uint64_t seen = 0;
      uint32_t before = kNone;
      for (uint32_t b = head_[l][k]; b != kNone && seen <= frames_; b = next_[b], ++seen) {
        if (order_[b] != static_cast<int8_t>(k) || prev_[b] != before || unsigned(list_of(b, k)) != l) {
          out.push_back(std::string("buddy: the ") + kind + " order-" + n(k) + " free list holds frame " +
                        n(base_ + b) + ", which is not an order-" + n(k) + " block linked there");
          break;
        }
        before = b;
      }
      if (seen != count_[l][k] && out.size() < limit)
        out.push_back(std::string("buddy: the ") + kind + " order-" + n(k) + " free list holds " + n(seen) +
                      " blocks, its count says " + n(count_[l][k]));
    }
  }
}

std::vector<std::string> BuddyAllocator::check(const FrameBitmap& used, size_t limit) const {
  std::vector<std::string> out;
  check_lists(out, limit);
  std::vector<bool> covered(frames_, false);
  for (uint64_t s = 0; s < frames_ && out.size() < limit; ++s) {
    if (order_[s] == kNotFree) continue;
    const auto k = static_cast<unsigned>(order_[s]);
    const uint64_t size = block_frames(k);
    if (s % size != 0 || s + size > frames_) {
      out.push_back("buddy: the order-" + n(k) + " block at frame " + n(base_ + s) +
                    " is unaligned or past the end");
      continue;
    }
    if (k < max_order_ && (s & size) == 0 && free_block_at(s + size, k))  // reported from the lower half
      out.push_back("buddy: the order-" + n(k) + " blocks at frames " + n(base_ + s) + " and " +
                    n(base_ + s + size) + " are free buddies, not merged");
    for (uint64_t f = s; f < s + size; ++f) {
      if (covered[f]) out.push_back("buddy: frame " + n(base_ + f) + " is in two free blocks");
      covered[f] = true;
    }
  }
  for (uint64_t f = 0; f < frames_ && out.size() < limit; ++f) {
    const bool in_use = used.in_use(Ppn{base_ + f});
    if (in_use == covered[f])
      out.push_back("buddy: frame " + n(base_ + f) +
                    (in_use ? " is used in the bitmap but on a free list"
                            : " is free in the bitmap but on no free list"));
  }
  return out;
}

}  // namespace vmsim

// sparse_array.h: a workload's host-side array (a shadow copy of guest
// words, a per-page note) that reads as zero until written.
//
// Sized from the options (every word of a region the workload may touch),
// but backed by a MAP_NORESERVE mapping (model/sparse_store.h): the host
// kernel gives a page of it memory only when the run first writes there, so
// host memory grows with the work a run does, not with the sizes it was
// given. A std::vector of the same size would be zero-filled, and so all
// resident, at once.
#pragma once

#include <cstdint>
#include <memory>
#include <type_traits>

#include "model/sparse_store.h"

namespace vmsim {

template <typename T>
class SparseArray {
  static_assert(std::is_trivially_copyable_v<T>, "the elements live in raw zero-filled memory");

 public:
  SparseArray() = default;
  explicit SparseArray(uint64_t n) : n_(n) {
    if (n) store_ = std::make_unique<SparseStore>(n * sizeof(T));
  }
  uint64_t size() const { return n_; }
  T& operator[](uint64_t i) { return reinterpret_cast<T*>(store_->data())[i]; }
  const T& operator[](uint64_t i) const { return reinterpret_cast<const T*>(store_->data())[i]; }

 private:
  std::unique_ptr<SparseStore> store_;
  uint64_t n_ = 0;
};

}  // namespace vmsim

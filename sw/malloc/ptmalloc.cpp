// The allocator, instantiated for guest memory (through the MMU) and host memory.
#include "sw/malloc/ptmalloc_impl.h"

namespace vmsim {

template class Ptmalloc<GuestHeap>;
template class Ptmalloc<NativeHeap>;

}  // namespace vmsim

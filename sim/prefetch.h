// PrefetchForRead: a hint that the cache line holding *p will be read soon.
//
// Use it instead of a bare __builtin_prefetch. GCC 12 at -O2 deletes a call
// to a small function whose only effect is a __builtin_prefetch when it
// decides not to inline it early (it counts the call as having no effect):
// World::PrefetchSend compiled to nothing that way, in the look-ahead and at
// every workload timer. A volatile asm cannot be deleted. The hint never
// faults and never changes a result.
//
// REQUIRES: p points into a live object. Nothing is loaded into a register.
#pragma once

namespace snapsim {

inline void PrefetchForRead(const void* p) {
#if defined(__x86_64__) || (defined(__i386__) && defined(__SSE__))
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
  asm volatile("" : : "r"(p));  // keeps the call from counting as empty
#endif
}

}  // namespace snapsim

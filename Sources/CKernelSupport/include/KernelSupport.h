// The one thing the GEMM kernels need that Swift cannot say: a prefetch hint.
#ifndef KERNEL_SUPPORT_H
#define KERNEL_SUPPORT_H

/// Asks the CPU to bring the cache line holding `address` close for writing, so that the
/// C tile a micro-kernel will update is in L1 by the time its accumulators are stored.
static inline void kernel_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif

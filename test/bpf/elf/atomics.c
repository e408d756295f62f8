/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Atomics and 32-bit jumps (clang emits them from -mcpu=v3 on; for v1/v2 the
 * same source uses a 64-bit add only; TEST_BPF_CPU is set by the build).
 */

#define SEC(name) __attribute__((section(name), used))

unsigned long total;
unsigned int small;

SEC("test/atomics") unsigned long
atomics(unsigned long a, unsigned long b)
{
    __sync_fetch_and_add(&total, a);
#if TEST_BPF_CPU >= 3
    unsigned long old = __sync_fetch_and_or(&total, b);
    __sync_fetch_and_add(&small, (unsigned int)b);
    unsigned int prev = __sync_val_compare_and_swap(&small, (unsigned int)b, 7u);
    return old + prev + total + small;
#else
    return total + b;
#endif
}

SEC("test/compare32") unsigned long
compare32(unsigned long a, unsigned long b)
{
    if ((int)a < (int)b)
    {
        return (unsigned long)(signed char)a;
    }
    return (unsigned int)(a * b);
}

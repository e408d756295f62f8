/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A test plugin for the ELF loader, compiled at build time with
 * clang -O2 -target bpf -mcpu=v1|v2|v3. It exercises what real pluglets use:
 * globals in .data and .bss, constant tables in .rodata, string literals
 * (.rodata.str1.1), pointers to strings in constant data (R_BPF_64_ABS64),
 * several functions per object (named sections and .text), local calls to
 * static and global functions, and helpers called by name.
 */

#define SEC(name) __attribute__((section(name), used))

/* Helpers of the test host, resolved by name (R_BPF_64_32 against undefined symbols). */
extern unsigned long host_add(unsigned long a, unsigned long b);
extern unsigned long host_strlen(const char* s);
extern unsigned long host_sum(const void* p, unsigned long len);

static const unsigned int primes[8] = {2, 3, 5, 7, 11, 13, 17, 19};
static unsigned long counter = 5;
static unsigned long accumulated;
const char* const greetings[2] = {"hello", "bonjour"};

static __attribute__((noinline)) unsigned long
square(unsigned long x)
{
    return x * x;
}

__attribute__((noinline)) unsigned long
cube(unsigned long x)
{
    return square(x) * x;
}

SEC("test/count") unsigned long
count(unsigned long step)
{
    counter += step;
    accumulated += counter;
    return counter * 1000 + accumulated;
}

SEC("test/tables") unsigned long
tables(unsigned long i)
{
    return primes[i & 7] + square(i) + cube(2);
}

SEC("test/strings") unsigned long
strings(unsigned long which)
{
    return host_strlen(greetings[which & 1]) * 100 + host_strlen("literal!");
}

SEC("test/helpers") unsigned long
helpers(unsigned long a)
{
    unsigned char buffer[16];
    for (int i = 0; i < 16; i++)
    {
        buffer[i] = (unsigned char)(i * a);
    }
    return host_add(a, host_sum(buffer, sizeof buffer));
}

unsigned long
in_text(unsigned long x)
{
    return cube(x) + 1;
}

/* Hostile: reads as far past the table as the caller asks. */
SEC("test/oob") unsigned long
oob(unsigned long i)
{
    return primes[i];
}

/* Hostile: writes into constant data through a cast. */
SEC("test/rowrite") unsigned long
rowrite(unsigned long v)
{
    *(volatile unsigned int*)&primes[1] = (unsigned int)v;
    return 0;
}

/* A loop the verifier cannot prove finite; the budget ends it. */
SEC("test/spin") unsigned long
spin(unsigned long n)
{
    volatile unsigned long x = 0;
    while (n != 7)
    {
        x += n;
        n = x;
    }
    return x;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Shared bits of the wire-format libFuzzer harnesses.
 */

#ifndef QUIC_FUZZ_COMMON_H
#define QUIC_FUZZ_COMMON_H

#include <cstdio>
#include <cstdlib>

/**
 * \brief Abort the fuzzer run with a message when an oracle fails.
 * \param cond the condition that must hold
 * \param what what it means
 */
#define QUIC_FUZZ_CHECK(cond, what)                                                                \
    do                                                                                             \
    {                                                                                              \
        if (!(cond))                                                                               \
        {                                                                                          \
            std::fprintf(stderr,                                                                   \
                         "%s:%d: oracle failed: %s (%s)\n",                                        \
                         __FILE__,                                                                 \
                         __LINE__,                                                                 \
                         #cond,                                                                    \
                         what);                                                                    \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

#endif /* QUIC_FUZZ_COMMON_H */

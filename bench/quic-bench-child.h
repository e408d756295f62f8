/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What the benchmarks share: running one configuration in a forked child, so that its peak
 * memory and CPU time are its own and do not bleed into the next configuration's figures.
 */

#ifndef QUIC_BENCH_CHILD_H
#define QUIC_BENCH_CHILD_H

#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace quicbench
{

/// \return this process's peak resident set size in KiB (VmHWM), 0 if unknown
inline uint64_t
PeakRssKiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
    {
        if (line.rfind("VmHWM:", 0) == 0)
        {
            return std::stoull(line.substr(6));
        }
    }
    return 0;
}

/**
 * Runs a function in a forked child and reads back what it returned, with the child's CPU
 * time (user + system) written into result.cpuSeconds.
 * \param run returns the figures (a trivially copyable struct with a cpuSeconds member)
 * \param [out] result the figures
 * \return false if the child failed
 */
template <typename Result, typename Run>
bool
RunInChild(Run run, Result& result)
{
    int fds[2];
    if (pipe(fds) != 0)
    {
        return false;
    }
    std::cout.flush();
    pid_t pid = fork();
    if (pid < 0)
    {
        return false;
    }
    if (pid == 0)
    {
        close(fds[0]);
        Result mine = run();
        ssize_t n = write(fds[1], &mine, sizeof(mine));
        _exit(n == sizeof(mine) ? 0 : 1);
    }
    close(fds[1]);
    ssize_t n = read(fds[0], &result, sizeof(result));
    close(fds[0]);
    int status = 0;
    struct rusage usage;
    wait4(pid, &status, 0, &usage);
    result.cpuSeconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                        usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
    return n == sizeof(result) && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace quicbench

#endif /* QUIC_BENCH_CHILD_H */

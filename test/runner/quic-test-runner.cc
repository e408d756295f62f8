/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Standalone test runner: the quic module's TestSuites, linked into one program and
 * run by ns-3's own TestRunner, so they behave exactly as under test.py in-tree.
 * Usage is TestRunner's: --list, --suite=<name>, --fullness=QUICK|EXTENSIVE|TAKES_FOREVER,
 * --verbose, ...
 */

#include "ns3/test.h"

int
main(int argc, char* argv[])
{
    return ns3::TestRunner::Run(argc, argv);
}

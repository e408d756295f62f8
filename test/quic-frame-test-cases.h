/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Frame (QuicSubheader) test cases of the quic-header suite, kept in their own
 * file for size, and small helpers shared by the wire-format tests.
 */

#ifndef QUIC_FRAME_TEST_CASES_H
#define QUIC_FRAME_TEST_CASES_H

#include "ns3/test.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace quictest
{

/**
 * \brief Bytes from a hex string; spaces are ignored.
 * \param hex e.g. "c3 0000 0001"
 * \return the bytes
 */
std::vector<uint8_t> FromHex(const std::string& hex);

/**
 * \brief Lower-case hex of bytes.
 * \param bytes the bytes
 * \return the hex string
 */
std::string ToHex(const std::vector<uint8_t>& bytes);

/**
 * \brief The frame test cases registered in the quic-header suite.
 * \return one test case per concern, ownership to the caller (the suite)
 */
std::vector<std::unique_ptr<TestCase>> CreateQuicFrameTestCases();

} // namespace quictest
} // namespace ns3

#endif /* QUIC_FRAME_TEST_CASES_H */

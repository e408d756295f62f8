/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The helper functions pluglets call (plugins/include/quic-plugin-api.h is their C side).
 */

#ifndef QUIC_PLUGIN_API_H_HOST
#define QUIC_PLUGIN_API_H_HOST

#include <memory>

namespace ebpf
{
class HelperTable;
} // namespace ebpf

namespace ns3
{

/**
 * \ingroup quic
 * \return the helper table every plugin object is verified and run against (built once).
 * Each helper finds its QuicPluginInstance through the VM's user data and refuses
 * (HelperContext::Fail: the plugin faults) bad handles, out-of-range fields, writes from
 * pre/post anchors and out-of-bounds buffers.
 */
std::shared_ptr<const ebpf::HelperTable> QuicPluginHelpers();

} // namespace ns3

#endif /* QUIC_PLUGIN_API_H_HOST */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Cost of calling a protocol operation through a connection's QuicProtoopTable with
 * nothing attached (the path every connection without plugins takes), next to a plain
 * indirect call of the same function, and with one pre and one post hook of C++ (the
 * dispatch cost a plugin adds besides running its bytecode), and with the monitoring
 * plugin's on_packet_sent pluglet (JIT) when the plugins are built, measured in the same run.
 * Prints one figure per line with its unit.
 *
 *   quic-protoop-bench [--calls=N]
 */

#include "ns3/core-module.h"
#include "ns3/quic-plugin-helper.h"
#include "ns3/quic-protoop-table.h"
#include "ns3/quic-socket-base.h"

#include <chrono>
#include <iostream>

using namespace ns3;

namespace
{

uint64_t
Native(QuicSocketBase& c, QuicProtoopArgs& a)
{
    return a.in[0] + 1;
}

/// A hook doing nothing but count, so that only the dispatch is measured.
class CountingHook : public QuicProtoopHook
{
  public:
    uint64_t Run(QuicSocketBase&, QuicProtoopArgs& args) override
    {
        m_runs += args.in[0] & 1;
        return 0;
    }

    const std::string& GetOwner() const override
    {
        return m_owner;
    }

    uint64_t m_runs{0};                //!< odd inputs seen
    std::string m_owner{"bench-hook"}; //!< owner name
};

/// \return seconds taken by f()
template <class F>
double
WallSeconds(F f)
{
    auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int
main(int argc, char* argv[])
{
    uint64_t calls = 50000000;
    CommandLine cmd(__FILE__);
    cmd.AddValue("calls", "Calls per measurement", calls);
    cmd.Parse(argc, argv);

    Ptr<QuicSocketBase> conn = CreateObject<QuicSocketBase>();
    QuicProtoopTable& table = conn->GetProtoops();
    QuicProtoopId id = QuicProtoopRegistry::Intern("bench_operation");
    table.SetNative(id, kQuicNoParam, &Native);
    // Frame-type parameters exist on the real table: measure a parameterised slot too.
    table.SetNative(id, 0x08, &Native);
    QuicProtoopId hookedId = QuicProtoopRegistry::Intern("bench_hooked_operation");
    table.SetNative(hookedId, kQuicNoParam, &Native);
    auto hook = std::make_shared<CountingHook>();
    std::string error;
    table.Attach(hookedId, kQuicNoParam, QuicProtoopAnchor::PRE, hook, error);
    table.Attach(hookedId, kQuicNoParam, QuicProtoopAnchor::POST, hook, error);

    volatile QuicProtoopNativeFn direct = &Native;
    uint64_t sink = 0;
    double tDirect = WallSeconds([&]() {
        QuicProtoopArgs a;
        for (uint64_t i = 0; i < calls; ++i)
        {
            a.in[0] = i;
            sink += direct(*conn, a);
        }
    });
    double tTable = WallSeconds([&]() {
        QuicProtoopArgs a;
        for (uint64_t i = 0; i < calls; ++i)
        {
            a.in[0] = i;
            sink += table.Call(*conn, id, a);
        }
    });
    double tParam = WallSeconds([&]() {
        QuicProtoopArgs a;
        a.param = 0x08;
        for (uint64_t i = 0; i < calls; ++i)
        {
            a.in[0] = i;
            sink += table.Call(*conn, id, a);
        }
    });
    double tHooked = WallSeconds([&]() {
        QuicProtoopArgs a;
        for (uint64_t i = 0; i < calls; ++i)
        {
            a.in[0] = i;
            sink += table.Call(*conn, hookedId, a);
        }
    });
    std::cout << "direct indirect call: " << tDirect / calls * 1e9 << " ns/call\n"
              << "protoop call, no hook: " << tTable / calls * 1e9 << " ns/call\n"
              << "protoop call with a frame-type parameter, no hook: " << tParam / calls * 1e9
              << " ns/call\n"
              << "dispatch overhead: " << (tTable - tDirect) / calls * 1e9 << " ns/call\n"
              << "protoop call, one pre and one post C++ hook: " << tHooked / calls * 1e9
              << " ns/call\n";
    // A real pluglet: monitoring's on_packet_sent (two slot reads, two writes, JIT).
    Ptr<QuicSocketBase> monitored = CreateObject<QuicSocketBase>();
    if (monitored->LoadPlugin(QuicPluginHelper::Resolve("monitoring"), error))
    {
        QuicProtoopId sent = QuicSocketBase::GetProtoopIds().onPacketSent;
        QuicProtoopTable& t = monitored->GetProtoops();
        double tPluglet = WallSeconds([&]() {
            for (uint64_t i = 0; i < calls / 10; ++i)
            {
                QuicProtoopArgs a = QuicProtoopArgs::Inputs({i, 1200, 2});
                sink += t.Call(*monitored, sent, a);
            }
        });
        std::cout << "protoop call, monitoring post pluglet (JIT): "
                  << tPluglet / (calls / 10) * 1e9 << " ns/call\n";
    }
    else
    {
        std::cout << "monitoring plugin not loaded (" << error << "): pluglet figure skipped\n";
    }
    std::cout << "(checksum " << (sink + hook->m_runs) % 10 << ")\n";
    conn->Dispose();
    return 0;
}

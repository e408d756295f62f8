/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-protoop.h"

#include "ns3/abort.h"

#include <cstdlib>
#include <unordered_map>

namespace ns3
{

namespace
{

/// The registry's state: one per process, filled by the core at start-up and by plugins.
struct Registry
{
    std::unordered_map<std::string, QuicProtoopId> ids;   //!< name → id
    std::vector<std::string> names;                       //!< id → name
    std::vector<std::vector<QuicProtoopArgKind>> inputs;  //!< id → input kinds
    std::vector<std::vector<QuicProtoopArgKind>> outputs; //!< id → output kinds
};

Registry&
GetRegistry()
{
    static Registry registry;
    return registry;
}

} // namespace

void
QuicProtoopArgs::AbortTooManyInputs(std::size_t count)
{
    NS_ABORT_MSG("QuicProtoopArgs: at most " << kMaxArgs << " inputs, got " << count);
    std::abort(); // NS_ABORT_MSG does not return; this tells the compiler
}

QuicProtoopId
QuicProtoopRegistry::Intern(const std::string& name,
                            const std::vector<QuicProtoopArgKind>& inputs,
                            const std::vector<QuicProtoopArgKind>& outputs)
{
    NS_ABORT_MSG_IF(name.empty(), "QuicProtoopRegistry::Intern: empty operation name");
    NS_ABORT_MSG_IF(inputs.size() > QuicProtoopArgs::kMaxArgs ||
                        outputs.size() > QuicProtoopArgs::kMaxArgs,
                    "QuicProtoopRegistry::Intern(" << name << "): too many arguments");
    Registry& r = GetRegistry();
    auto it = r.ids.find(name);
    if (it != r.ids.end())
    {
        QuicProtoopId id = it->second;
        // A plugin may name an operation before the core declares its arguments.
        if (r.inputs[id].empty() && !inputs.empty())
        {
            r.inputs[id] = inputs;
        }
        if (r.outputs[id].empty() && !outputs.empty())
        {
            r.outputs[id] = outputs;
        }
        return id;
    }
    auto id = static_cast<QuicProtoopId>(r.names.size());
    r.ids.emplace(name, id);
    r.names.push_back(name);
    r.inputs.push_back(inputs);
    r.outputs.push_back(outputs);
    return id;
}

bool
QuicProtoopRegistry::Find(const std::string& name, QuicProtoopId& id)
{
    Registry& r = GetRegistry();
    auto it = r.ids.find(name);
    if (it == r.ids.end())
    {
        return false;
    }
    id = it->second;
    return true;
}

const std::string&
QuicProtoopRegistry::GetName(QuicProtoopId id)
{
    static const std::string unknown;
    const Registry& r = GetRegistry();
    return id < r.names.size() ? r.names[id] : unknown;
}

const std::vector<QuicProtoopArgKind>&
QuicProtoopRegistry::GetInputKinds(QuicProtoopId id)
{
    static const std::vector<QuicProtoopArgKind> none;
    const Registry& r = GetRegistry();
    return id < r.inputs.size() ? r.inputs[id] : none;
}

const std::vector<QuicProtoopArgKind>&
QuicProtoopRegistry::GetOutputKinds(QuicProtoopId id)
{
    static const std::vector<QuicProtoopArgKind> none;
    const Registry& r = GetRegistry();
    return id < r.outputs.size() ? r.outputs[id] : none;
}

std::size_t
QuicProtoopRegistry::GetCount()
{
    return GetRegistry().names.size();
}

} // namespace ns3

#pragma once
// The host's interface statistics, handed on to the app: the app may use the
// engine but not host/ (design/architecture.md), and the sampler needs no engine state.

#include "host/net_stats.h"

namespace wiretop::engine {

using InterfaceStatsSampler = host::NetStatsSampler;
using InterfaceSample = host::NetSample;

}  // namespace wiretop::engine

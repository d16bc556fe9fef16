// The workloads a scenario can name, and their construction.
#pragma once

#include <memory>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/workload.h"
#include "sim/workloads/bank.h"
#include "sim/workloads/bots.h"
#include "sim/workloads/rpc.h"
#include "sim/workloads/script.h"
#include "sim/workloads/tokens.h"

namespace snapsim {

using WorkloadConfig = std::variant<TokensConfig, BankConfig, RpcConfig, ScriptConfig, BotsConfig>;

std::unique_ptr<Workload> MakeWorkload(const WorkloadConfig& config);

// Names and one-line descriptions, for `snapsim list`.
struct WorkloadInfo {
  std::string_view name;
  std::string_view summary;
};
const std::vector<WorkloadInfo>& Workloads();

}  // namespace snapsim

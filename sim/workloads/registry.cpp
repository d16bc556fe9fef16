#include "sim/workloads/registry.h"

namespace snapsim {

std::unique_ptr<Workload> MakeWorkload(const WorkloadConfig& config) {
  struct Maker {
    std::unique_ptr<Workload> operator()(const TokensConfig& c) const {
      return std::make_unique<TokensWorkload>(c);
    }
    std::unique_ptr<Workload> operator()(const BankConfig& c) const {
      return std::make_unique<BankWorkload>(c);
    }
    std::unique_ptr<Workload> operator()(const RpcConfig& c) const {
      return std::make_unique<RpcWorkload>(c);
    }
    std::unique_ptr<Workload> operator()(const ScriptConfig& c) const {
      return std::make_unique<ScriptWorkload>(c);
    }
    std::unique_ptr<Workload> operator()(const BotsConfig& c) const {
      return std::make_unique<BotsWorkload>(c);
    }
  };
  return std::visit(Maker{}, config);
}

const std::vector<WorkloadInfo>& Workloads() {
  static const std::vector<WorkloadInfo> kAll = {
      {"tokens", "N tokens passed between in-group neighbours; total conserved"},
      {"bank", "random transfers between in-group neighbours; total money conserved"},
      {"rpc",
       "clients call services via gateways; services call external services "
       "whose replies and callbacks re-enter (hidden causality)"},
      {"script", "hand-written sends at given times, for golden tests; total conserved"},
      {"bots",
       "Beaver's anomalous-access use case: legitimate requests visit service 1 "
       "then 2 through the client, bots only 2"},
  };
  return kAll;
}

}  // namespace snapsim

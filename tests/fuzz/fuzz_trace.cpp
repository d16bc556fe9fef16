// libFuzzer target: JSON Lines text -> the checker's verdicts (with
// witnesses) or a located error; never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <variant>

#include "checker/offline_checker.h"
#include "checker/trace_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  auto read = snapsim::checker::ReadTrace(in);
  if (auto* trace = std::get_if<snapsim::checker::CompactTrace>(&read))
    snapsim::checker::CheckTrace(*trace, /*witnesses=*/true);
  return 0;
}

// The scenarios shipped in experiments/, for tests that run every one.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace snapsim {

// Every experiments/*.yaml of the source tree, sorted by path.
inline std::vector<std::filesystem::path> ShippedScenarioFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(SNAPSIM_SOURCE_DIR) + "/experiments"))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace snapsim

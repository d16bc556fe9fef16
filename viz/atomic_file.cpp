#include "viz/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

namespace snapsim::viz {

std::string WriteFileAtomically(const std::string& path,
                                const std::function<void(std::ostream&)>& write) {
  const std::string tmp = path + ".tmp";
  {
    std::vector<char> buffer(1 << 20);
    std::ofstream out;
    out.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    out.open(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return std::string("cannot create ") + tmp + ": " + std::strerror(errno);
    write(out);
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return std::string("cannot write ") + tmp;
    }
    out.close();
    if (out.fail()) {
      std::remove(tmp.c_str());
      return std::string("cannot write ") + tmp;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return "cannot rename " + tmp + " to " + path + ": " + why;
  }
  return {};
}

}  // namespace snapsim::viz

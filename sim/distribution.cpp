#include "sim/distribution.h"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace snapsim {

std::string_view DistKindName(DistKind kind) {
  switch (kind) {
    case DistKind::kConstant:
      return "constant";
    case DistKind::kUniform:
      return "uniform";
    case DistKind::kExponential:
      return "exponential";
    case DistKind::kLognormal:
      return "lognormal";
    case DistKind::kNormal:
      return "normal";
    case DistKind::kEmpirical:
      return "empirical";
  }
  return "?";
}

const std::vector<DistKind>& AllDistKinds() {
  static const std::vector<DistKind> kAll = {DistKind::kConstant,    DistKind::kUniform,
                                             DistKind::kExponential, DistKind::kLognormal,
                                             DistKind::kNormal,      DistKind::kEmpirical};
  return kAll;
}

Distribution Distribution::Constant(std::int64_t ns) {
  Distribution d;
  d.kind = DistKind::kConstant;
  d.p1 = static_cast<double>(ns);
  return d;
}
Distribution Distribution::Uniform(std::int64_t min_ns, std::int64_t max_ns) {
  Distribution d;
  d.kind = DistKind::kUniform;
  d.p1 = static_cast<double>(min_ns);
  d.p2 = static_cast<double>(max_ns);
  return d;
}
Distribution Distribution::Exponential(double mean_ns) {
  Distribution d;
  d.kind = DistKind::kExponential;
  d.p1 = mean_ns;
  return d;
}
Distribution Distribution::Lognormal(double median_ns, double sigma) {
  Distribution d;
  d.kind = DistKind::kLognormal;
  d.p1 = median_ns;
  d.p2 = sigma;
  return d;
}
Distribution Distribution::Normal(double mean_ns, double stddev_ns) {
  Distribution d;
  d.kind = DistKind::kNormal;
  d.p1 = mean_ns;
  d.p2 = stddev_ns;
  return d;
}

std::int64_t Distribution::SampleOther(RandomStream& rng) const {
  double x = 0;
  switch (kind) {
    case DistKind::kConstant:
      return Round(p1) + shift_ns;
    case DistKind::kUniform: {
      boost::random::uniform_int_distribution<std::int64_t> u(Round(p1), Round(p2));
      return u(rng) + shift_ns;
    }
    case DistKind::kExponential:
      return SampleExponential(rng);
    case DistKind::kLognormal:
      // Boost's lognormal takes the mean and sigma of the underlying normal.
      x = boost::random::lognormal_distribution<double>(std::log(p1), p2)(rng);
      break;
    case DistKind::kNormal:
      x = boost::random::normal_distribution<double>(p1, p2)(rng);
      break;
    case DistKind::kEmpirical:
      x = static_cast<double>((*samples)[rng.Below(samples->size())]) * scale;
      break;
  }
  return Round(x) + shift_ns;
}

double Distribution::Mean() const {
  double m = 0;
  switch (kind) {
    case DistKind::kConstant:
      m = p1;
      break;
    case DistKind::kUniform:
      m = (p1 + p2) / 2;
      break;
    case DistKind::kExponential:
      m = p1;
      break;
    case DistKind::kLognormal:
      m = p1 * std::exp(p2 * p2 / 2);
      break;
    case DistKind::kNormal:
      m = p1;
      break;
    case DistKind::kEmpirical: {
      long double sum = std::accumulate(samples->begin(), samples->end(), 0.0L);
      m = static_cast<double>(sum / samples->size()) * scale;
      break;
    }
  }
  return m + static_cast<double>(shift_ns);
}

double Distribution::Min() const {
  double m = 0;
  switch (kind) {
    case DistKind::kConstant:
      m = p1;
      break;
    case DistKind::kUniform:
      m = p1;
      break;
    case DistKind::kExponential:
      m = 0;
      break;
    case DistKind::kLognormal:
      m = 0;
      break;
    case DistKind::kNormal:
      m = -std::numeric_limits<double>::infinity();
      break;
    case DistKind::kEmpirical:
      m = static_cast<double>(*std::min_element(samples->begin(), samples->end())) * scale;
      break;
  }
  return m + static_cast<double>(shift_ns);
}

}  // namespace snapsim

#!/usr/bin/env bash
# Installs the Debian packages snapsim needs, if any is missing. Run as root
# (or with sudo) on Debian bookworm. Idempotent: does nothing when all are there.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build git
  libboost-graph-dev libeigen3-dev libyaml-cpp-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev librapidcheck-dev
  nlohmann-json3-dev libfmt-dev robin-map-dev python3-matplotlib
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "snapsim: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Installs the Debian packages that only the test suite needs (headless
# Chromium, for the snapsim draw HTML page test), if any is missing. Run as
# root (or with sudo) on Debian bookworm. Idempotent: does nothing when all are
# there. Exits non-zero when a package is missing and cannot be installed;
# tests that need it then skip.
set -euo pipefail
PACKAGES=(chromium libopenmpi-dev openmpi-bin)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
  else
    echo "snapsim: cannot install ${missing[*]} (not root, no sudo)" >&2
    exit 1
  fi
fi
echo "snapsim: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Installs the Debian 12 packages detente builds and tests with — the one list
# of third-party code the project uses. Idempotent: installs only what is
# missing, and does nothing (not even apt-get update) when all is present.
set -euo pipefail

PACKAGES=(
  # build
  g++ cmake ninja-build pkg-config make git ca-certificates clang-format
  # libraries
  libtomlplusplus-dev   # treaty specs (TOML)
  nlohmann-json3-dev    # --json output
  libcli11-dev          # command line
  libsqlite3-dev        # embedded store
  libsodium-dev         # Ed25519
  libssl-dev            # SHA-256 (uses the CPU's SHA extensions)
  libfmt-dev            # formatting
  libxxhash-dev         # fingerprints (XXH3, header-only: base/fingerprint.h)
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # detente sweep --mpi (optional at configure time; make test runs mpirun)
  libopenmpi-dev openmpi-bin
  # the NumPy reference of bench/stability_benchmark (Debian's /usr/bin/python3)
  python3-numpy
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: missing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-deps: installing packages needs root; run as root or install sudo:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${#missing[@]} packages"

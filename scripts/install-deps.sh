#!/usr/bin/env bash
# Install what building and testing idc needs on Debian 12, and nothing that
# is already there.  Idempotent: a second run installs nothing and makes no
# network request.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libcurl4-openssl-dev libcjson-dev libxdg-basedir-dev libssl-dev
  libcmocka-dev libqrencode-dev libexpat1-dev
  clang clang-format clang-tidy cppcheck valgrind openssl ca-certificates curl
  python3 iproute2 procps awscli
  hyperfine time zsh fish
  dpkg-dev file man-db bsdextrautils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# The simulator and the interop tests use botocore/boto3; the machine image
# ships them for its python3, Debian packages them otherwise.
if ! python3 -c 'import boto3, botocore' >/dev/null 2>&1; then
  missing+=(python3-boto3 python3-botocore)
fi

# The admin tests run moto's server (identitystore, sso-admin, STS) behind
# a SigV4-checking front (tests/sim/sigv4_front.py); the image ships moto,
# Debian packages it otherwise.
if ! python3 -c 'import moto.server' >/dev/null 2>&1; then
  missing+=(python3-moto)
fi

# The wizard tests drive idc through a pseudo-terminal with pexpect.
if ! python3 -c 'import pexpect' >/dev/null 2>&1; then
  missing+=(python3-pexpect)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

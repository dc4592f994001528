#!/usr/bin/env bash
# Graft's one entry point on a fresh machine.
#   ./graft.sh demo      set up what is missing, then train on the embedded sample and print accuracy
#   ./graft.sh test      set up what is missing, then run the whole test suite (prints "N passed, N failed")
#   ./graft.sh setup     only check/install prerequisites
#   ./graft.sh bench     run the benchmarks (long; not part of the tests), results in bench/results/
#   ./graft.sh <args>    run the graft command line tool, e.g. ./graft.sh inspect mobilenet_v1_0.75
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# System libraries Graft calls at run time (JPEG decoding) or benchmarks against (OpenBLAS).
APT_PACKAGES="libturbojpeg0 libopenblas0"

setup() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "graft: the .NET 10 SDK is missing. Install it (Debian: apt-get install dotnet-sdk-10.0) and rerun." >&2
    exit 2
  fi
  if ! command -v npm >/dev/null 2>&1; then
    # The demo's sample and the nsfwjs models come from the npm registry.
    if [ "$(id -u)" = 0 ]; then APT_PACKAGES="$APT_PACKAGES npm"; else echo "graft: npm is missing; run: sudo apt-get install -y npm" >&2; fi
  fi
  local missing=()
  for p in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "graft: installing ${missing[*]} with apt" >&2
      (apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
        (apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null)) ||
        { echo "graft: apt could not install ${missing[*]}" >&2; exit 2; }
    else
      echo "graft: missing system packages; run: sudo apt-get install -y ${missing[*]}" >&2
      exit 2
    fi
  fi
}

build() {
  local out
  out=$(dotnet build "$ROOT/Graft.slnx" -c Release -nologo -v quiet -clp:ErrorsOnly "$@" 2>&1) || { echo "$out" >&2; echo "graft: the build failed" >&2; exit 1; }
}

cli() {
  dotnet "$ROOT/src/Graft.Cli/bin/Release/net10.0/Graft.Cli.dll" "$@"
}

run_tests() {
  build
  local results="$ROOT/artifacts/test-results"
  rm -rf "$results"; mkdir -p "$results"
  local passed=0 failed=0 status=0
  run_one() { # name, filter, env...
    local name=$1 filter=$2; shift 2
    local args=(test "$ROOT/tests/Graft.Tests/Graft.Tests.csproj" -c Release --no-build --nologo
      --logger "trx;LogFileName=$name.trx" --results-directory "$results")
    [ -n "$filter" ] && args+=(--filter "$filter")
    echo "== tests: $name"
    env "$@" dotnet "${args[@]}" || status=1
    local trx="$results/$name.trx"
    if [ -f "$trx" ]; then
      local counters
      counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
      passed=$((passed + $(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')))
      failed=$((failed + $(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')))
    else
      status=1
    fi
  }
  run_one all ""
  # Every SIMD path must also hold with the wider instruction sets switched off.
  # .NET 10 reads DOTNET_EnableAVX512; DOTNET_EnableAVX512F alone leaves Vector512 accelerated.
  run_one no-avx512 "Category=Kernels" DOTNET_EnableAVX512=0 DOTNET_EnableAVX512F=0
  run_one no-avx2 "Category=Kernels" DOTNET_EnableAVX2=0
  run_one scalar "Category=Kernels" DOTNET_EnableHWIntrinsic=0
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && return $status || return 1
}

cmd=${1:-demo}
case "$cmd" in
  setup) setup ;;
  test) setup; run_tests ;;
  demo) setup; build; shift || true; cli demo "$@" ;;
  bench) setup; build; shift; dotnet "$ROOT/bench/Graft.Bench/bin/Release/net10.0/Graft.Bench.dll" "$@" ;;
  *) setup; build; cli "$@" ;;
esac

#!/usr/bin/env bash
# SGEMM benchmark: Graft vs OpenBLAS -> bench/results/gemm.{json,md}. Extra arguments go to the program
# (--quick, --threads 1,2, --out DIR). Keep the machine otherwise idle: it takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's OpenBLAS 0.3.21 does not recognise recent AVX-512 CPUs and falls back to slow generic kernels
# (about 6x slower); the variable must be in the environment before the library is loaded. Forced, not
# defaulted: shells on these machines may already export OPENBLAS_CORETYPE=Haswell, which is 2x slower.
export OPENBLAS_CORETYPE=SkylakeX
dotnet build bench/Graft.Bench/Graft.Bench.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet bench/Graft.Bench/bin/Release/net10.0/Graft.Bench.dll gemm "$@"

#!/usr/bin/env bash
# Graft's inference and fine-tune throughput against its peers, all in one run on this machine, then
# bench/results/perf.{jsonl,json,md} with Graft/peer ratios. The machine is shared and its speed drifts, so
# only figures from the same run are compared; each line records the 1-minute load average.
#   bench/run-perf.sh                 everything (about 9 minutes, 4.5 of them the transfer runs)
#   SKIP_PEERS=1 bench/run-perf.sh    Graft only
#   SKIP_TRANSFER=1 bench/run-perf.sh without the 10-epoch transfer runs on the flowers folder
# Peers, where available: PyTorch (Debian's /usr/bin/python3 with torch 1.13) through the shared anchors'
# bench_torch.py, and ONNX Runtime 1.30 (npm onnxruntime-node, installed into /tmp/ortbench on first use)
# on the nsfwjs MobileNetV2 export. Knobs: ITERS, WARMUP, REPS (Graft), FT_ITERS (fine-tune and head steps), EPOCHS (transfer), BATCH,
# THREADS. Models: the zoo's nsfwjs MobileNetV2 / InceptionV3 and MobileNet v1 0.75 (cached in ~/.cache/graft).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${GRAFT_SHARED:-$ROOT/../shared}
ANCHORS=$SHARED/anchors
ITERS=${ITERS:-10} WARMUP=${WARMUP:-3} REPS=${REPS:-3} FT_ITERS=${FT_ITERS:-5} BATCH=${BATCH:-32} THREADS=${THREADS:-2}
OUT=$ROOT/bench/results
LINES=$OUT/perf.jsonl
mkdir -p "$OUT"
: > "$LINES"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Debian's OpenBLAS does not recognise this CPU and would fall back to slow kernels (see anchors/perf.md).
export OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=$THREADS

dotnet build "$ROOT/Graft.slnx" -c Release -nologo -v quiet -clp:ErrorsOnly
BENCH=(dotnet "$ROOT/bench/Graft.Bench/bin/Release/net10.0/Graft.Bench.dll")

load() { cut -d' ' -f1 /proc/loadavg; }

graft() { # subcommand args...
  echo "== graft $*" >&2
  "${BENCH[@]}" "$@" --batch "$BATCH" --threads "$THREADS" | tail -1 | tee -a "$LINES"
}

# A peer's JSON line, wrapped with what the report needs; peak RSS from /usr/bin/time.
peer() { # bench impl model command...
  local bench=$1 impl=$2 model=$3; shift 3
  echo "== $impl $model $bench" >&2
  local l0 rss line tmp
  l0=$(load); tmp=$(mktemp)
  if line=$(/usr/bin/time -f %M -o "$tmp" "$@" 2>/dev/null | grep '^{' | tail -1) && [ -n "$line" ]; then
    rss=$(tail -1 "$tmp")
    echo "{\"bench\":\"$bench\",\"impl\":\"$impl\",\"model\":\"$model\",\"batch\":$BATCH,\"threads\":$THREADS,\"peak_working_set_mib\":$((rss / 1024)),\"load_avg_1m\":$l0,\"raw\":$line}" | tee -a "$LINES"
  else
    echo "   ($impl unavailable or failed; skipped)" >&2
  fi
  rm -f "$tmp"
}

have_torch() { [ -z "${SKIP_PEERS:-}" ] && [ -f "$ANCHORS/scripts/bench_torch.py" ] && /usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null; }

have_ort() {
  [ -z "${SKIP_PEERS:-}" ] && [ -f "$ANCHORS/scripts/ort_bench.js" ] && command -v node >/dev/null || return 1
  if [ ! -d /tmp/ortbench/node_modules/onnxruntime-node ]; then
    # Its post-install step looks for CUDA binaries on a NuGet feed and fails; the CPU runtime is in the package.
    (mkdir -p /tmp/ortbench && cd /tmp/ortbench && { [ -f package.json ] || npm init -y >/dev/null; } &&
      ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30.0 >/dev/null 2>&1) || return 1
  fi
}

torch() { peer "$1" pytorch "torchvision_mobilenet_v2" /usr/bin/python3 "$ANCHORS/scripts/bench_torch.py" mobilenet_v2 "$1" "$2" \
  --batch "$BATCH" --threads "$THREADS" --iters "$3" --warmup "$WARMUP"; }

# Inference of the whole zoo network (trunk + head as the file defines it), interleaved so that drift in the
# machine's load hits everyone alike. ONNX Runtime runs the same network and weights (the nsfwjs export).
MV2=zoo:nsfwjs-mobilenet_v2
graft infer --engine plan --model $MV2 --iters "$ITERS" --warmup "$WARMUP" --reps "$REPS"
if have_ort; then
  peer infer onnxruntime nsfwjs_mobilenet_v2 env NODE_PATH=/tmp/ortbench/node_modules node "$ANCHORS/scripts/ort_bench.js" \
    "$ANCHORS/onnx/nsfwjs_mobilenet_v2.onnx" "$BATCH" $((ITERS * REPS)) "$WARMUP" "$THREADS"
fi
if have_torch; then torch infer cl_jitopt $((ITERS * REPS)); torch infer plain "$ITERS"; fi
graft infer --engine forward --model $MV2 --iters "$ITERS" --warmup "$WARMUP" --reps 1
graft infer --engine plan --model zoo:mobilenet_v1_0.75 --iters "$ITERS" --warmup "$WARMUP" --reps 1
graft infer --engine plan --model zoo:nsfwjs-inception_v3 --iters 3 --warmup 1 --reps 1
if have_torch; then
  for v in cl_jitfreeze plain; do
    peer infer pytorch torchvision_inception_v3 /usr/bin/python3 "$ANCHORS/scripts/bench_torch.py" inception_v3 infer $v \
      --batch "$BATCH" --threads "$THREADS" --iters 3 --warmup 1
  done
fi

# Full fine-tune step on the real network, every layer trainable, BatchNorm in training mode.
graft finetune --model $MV2 --iters "$FT_ITERS" --warmup 2 --reps "$REPS"
if have_torch; then torch finetune cl "$FT_ITERS"; torch finetune plain "$FT_ITERS"; fi

# Transfer on the flowers folder: PyTorch's loop recomputes the frozen trunk on every step, so its head-only
# step rate prices its epochs; Graft runs the frozen part once per image (decode and caching timed).
if have_torch; then torch head cl "$FT_ITERS"; torch head plain "$FT_ITERS"; fi
if [ -z "${SKIP_TRANSFER:-}" ] && [ -d "$SHARED/datasets/flowers" ]; then
  for mode in head finetune; do
    echo "== graft transfer $mode" >&2
    "${BENCH[@]}" transfer --mode $mode --model $MV2 --data "$SHARED/datasets/flowers" --epochs "${EPOCHS:-10}" \
      --batch "$BATCH" --threads "$THREADS" | tail -1 | tee -a "$LINES"
  done
fi

"${BENCH[@]}" report "$LINES" "$OUT"

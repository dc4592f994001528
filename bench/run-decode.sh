#!/usr/bin/env bash
# Decode benchmark: Graft's decode + resize to 224x224 beside Pillow's, in the same run, on ../shared/datasets/flowers.
# Writes bench/results/decode.json (both sides) plus the two halves. Not a test; takes a minute or two.
#   bench/run-decode.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=3
[ "${1:-}" = "--runs" ] && RUNS=$2
DATA=${GRAFT_SHARED:-$ROOT/../shared}/datasets/flowers
OUT=$ROOT/bench/results
mkdir -p "$OUT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$ROOT/bench/Graft.Bench/Graft.Bench.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
echo "== Pillow"
/usr/bin/python3 "$ROOT/bench/decode_pillow.py" --data "$DATA" --runs "$RUNS" --out "$OUT/decode-pillow.json"
echo "== Graft"
dotnet "$ROOT/bench/Graft.Bench/bin/Release/net10.0/Graft.Bench.dll" decode --data "$DATA" --runs "$RUNS" --out "$OUT/decode-graft.json"
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys, os, platform, datetime
out = sys.argv[1]
g = json.load(open(os.path.join(out, "decode-graft.json")))
p = json.load(open(os.path.join(out, "decode-pillow.json")))
ratio = {k: round(g["results"][k] / v, 2) for k, v in p["results"].items() if k in g["results"]}
load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else []
doc = {"benchmark": "decode + resize to 224x224, flowers train+val", "date": datetime.date.today().isoformat(),
       "machine": f"{os.cpu_count()} cores, {platform.machine()}",
       "load_average_after_run": load,
       "note": "the machine is shared: compare Graft with Pillow only as the same-run ratio", "graft": g, "pillow": p, "graft_over_pillow_same_run": ratio}
json.dump(doc, open(os.path.join(out, "decode.json"), "w"), indent=2)
print("graft / pillow (1 thread):", ratio)
PY
echo "wrote $OUT/decode.json"

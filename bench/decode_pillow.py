#!/usr/bin/python3
"""Pillow's side of the decode benchmark: open + convert('RGB') + resize((224, 224), BILINEAR) + np.asarray,
on one thread, over the same files as DecodeBenchmark (train/ and val/ of the flowers set). Images/second,
median of --runs runs after a warm-up. Writes JSON to --out."""
import argparse, json, os, statistics, time
import numpy as np
import PIL
from PIL import Image

ap = argparse.ArgumentParser()
ap.add_argument("--data", required=True)
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--out", required=True)
a = ap.parse_args()

files = sorted(os.path.join(r, f) for split in ("train", "val") for r, _, fs in os.walk(os.path.join(a.data, split))
               for f in fs if f.lower().endswith((".jpg", ".jpeg", ".png")))


def decode_only():
    for f in files:
        with Image.open(f) as im:
            im.convert("RGB").load()


def decode_resize():
    for f in files:
        with Image.open(f) as im:
            np.asarray(im.convert("RGB").resize((224, 224), Image.BILINEAR))


def rate(fn):
    t = time.perf_counter()
    fn()
    return len(files) / (time.perf_counter() - t)


for f in files[:300]:
    with Image.open(f) as im:
        im.convert("RGB").resize((224, 224), Image.BILINEAR)
res = {
    "decode_only_1_thread": round(statistics.median(rate(decode_only) for _ in range(a.runs)), 1),
    "decode_resize224_1_thread": round(statistics.median(rate(decode_resize) for _ in range(a.runs)), 1),
}
for k, v in res.items():
    print(f"  pillow {k:<33} {v:9.1f} images/s")
json.dump({"engine": f"Pillow {PIL.__version__} (Debian python3-pil, libjpeg-turbo)", "images": len(files), "runs": a.runs,
           "unit": "images/second, median of runs", "results": res}, open(a.out, "w"), indent=2)

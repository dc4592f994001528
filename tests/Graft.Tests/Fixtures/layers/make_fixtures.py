#!/usr/bin/python3
"""Regenerates the reference outputs for Graft's BatchNormalization and pooling tests.

Run from anywhere with Debian's python3-torch: `/usr/bin/python3 make_fixtures.py`. Writes one JSON file per case
beside this script. Tensors are NHWC float32 lists, flattened row-major; torch works in NCHW, so inputs
are permuted on the way in and outputs on the way out.

Keras semantics that torch does not share are built explicitly from torch primitives:
- BatchNormalization: Keras 3 moves the moving variance toward the *biased* batch variance with
  moving = moving * momentum + batch * (1 - momentum); torch's running_var uses the unbiased one and the
  opposite momentum convention, so the moving statistics are computed here by hand.
- "same" pooling: TensorFlow pads (total // 2) on top/left and the rest on bottom/right, and average
  pooling divides by the number of real (unpadded) cells. Max pads with -inf; average divides a sum pool
  of zero-padded x by a sum pool of a zero-padded mask of ones.
"""
import json
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def nhwc(t):
    return t.permute(0, 2, 3, 1).contiguous()


def nchw(t):
    return t.permute(0, 3, 1, 2).contiguous()


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def save(name, case):
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(case, f, separators=(",", ":"))
        f.write("\n")


def batchnorm_cases(g):
    n, h, w, c = 4, 5, 3, 7
    momentum, eps = 0.9, 1e-3
    x = torch.randn(n, h, w, c, generator=g) * 2 + 0.5
    gamma = torch.rand(c, generator=g) + 0.5
    beta = torch.randn(c, generator=g)
    mm = torch.randn(c, generator=g) * 0.3
    mv = torch.rand(c, generator=g) + 0.5
    base = {"shape": [n, h, w, c], "momentum": momentum, "epsilon": eps, "x": flat(x),
            "gamma": flat(gamma), "beta": flat(beta), "moving_mean": flat(mm), "moving_variance": flat(mv)}

    y = nhwc(F.batch_norm(nchw(x), mm, mv, gamma, beta, training=False, eps=eps))
    save("batchnorm_inference", dict(base, y=flat(y), moving_mean_after=flat(mm), moving_variance_after=flat(mv)))

    y = nhwc(F.batch_norm(nchw(x), None, None, gamma, beta, training=True, eps=eps))
    mean = x.mean(dim=(0, 1, 2))
    var = ((x - mean) ** 2).mean(dim=(0, 1, 2))
    save("batchnorm_training", dict(base, y=flat(y),
                                    moving_mean_after=flat(mm * momentum + mean * (1 - momentum)),
                                    moving_variance_after=flat(mv * momentum + var * (1 - momentum))))


def same_pads(size, pool, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + pool - size, 0)
    return total // 2, total - total // 2


def pool_case(g, kind, n, h, w, c, pool, stride, padding):
    x = torch.randn(n, h, w, c, generator=g)
    xc = nchw(x)
    if padding == "same":
        top, bottom = same_pads(h, pool, stride)
        left, right = same_pads(w, pool, stride)
    else:
        top = bottom = left = right = 0
    pads = (left, right, top, bottom)
    if kind == "max":
        y = F.max_pool2d(F.pad(xc, pads, value=float("-inf")), pool, stride)
    else:
        sums = F.avg_pool2d(F.pad(xc, pads, value=0.0), pool, stride) * (pool * pool)
        counts = F.avg_pool2d(F.pad(torch.ones_like(xc), pads, value=0.0), pool, stride) * (pool * pool)
        y = sums / counts
    name = f"{kind}pool_{h}x{w}x{c}_p{pool}_s{stride}_{padding}"
    save(name, {"shape": [n, h, w, c], "pool": pool, "stride": stride, "padding": padding,
                "x": flat(x), "y_shape": list(nhwc(y).shape), "y": flat(nhwc(y))})
    return name


def main():
    g = torch.Generator().manual_seed(20261122)
    batchnorm_cases(g)
    names = []
    for kind in ("max", "avg"):
        for (n, h, w, c, pool, stride, padding) in [
            (2, 6, 7, 3, 2, 2, "valid"),
            (2, 5, 5, 17, 3, 1, "same"),
            (2, 13, 13, 5, 3, 2, "same"),
            (2, 5, 6, 7, 2, 2, "same"),     # odd total padding: the extra row/column goes bottom/right
            (1, 1, 5, 33, 2, 2, "same"),    # a one-pixel-high image
            (2, 7, 7, 1, 3, 2, "valid"),
        ]:
            names.append(pool_case(g, kind, n, h, w, c, pool, stride, padding))
    print("wrote batchnorm_inference, batchnorm_training, " + ", ".join(names))


if __name__ == "__main__":
    main()

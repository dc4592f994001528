#!/usr/bin/python3
"""Regenerates conv_cases.json: Conv2D and DepthwiseConv2D forward outputs computed by PyTorch.

Run with Debian's python3-torch: /usr/bin/python3 make_fixtures.py (from this folder).
Inputs are NHWC and weights in Keras's layouts (HWIO; depthwise (KH, KW, C, DM)); they are converted to
PyTorch's NCHW/OIHW here. TensorFlow's "same" padding (the odd pixel at the bottom/right) is applied
explicitly with F.pad, because PyTorch's own padding is symmetric. Expected outputs are computed in float64
from float32 inputs.
"""
import json
import math

import numpy as np
import torch
import torch.nn.functional as F


def same_amounts(size, k, stride, dilation):
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def values(rng, shape):
    # Multiples of 1/256 are exact in float32 and short in JSON.
    return (np.round(rng.uniform(-1, 1, size=shape) * 256) / 256).astype(np.float32)


def run_case(rng, name, layer, n, h, w, c, k, strides, padding, dilation, filters=None, dm=None):
    kh, kw = k
    sh, sw = strides
    dh, dw = dilation
    x = values(rng, (n, h, w, c))
    if layer == "Conv2D":
        kernel = values(rng, (kh, kw, c, filters))
        cout = filters
    else:
        kernel = values(rng, (kh, kw, c, dm))
        cout = c * dm
    bias = values(rng, (cout,))

    xt = torch.from_numpy(x.astype(np.float64)).permute(0, 3, 1, 2)
    if padding == "same":
        top, bottom = same_amounts(h, kh, sh, dh)
        left, right = same_amounts(w, kw, sw, dw)
        xt = F.pad(xt, (left, right, top, bottom))
    kt = torch.from_numpy(kernel.astype(np.float64))
    if layer == "Conv2D":
        weight = kt.permute(3, 2, 0, 1)  # HWIO -> OIHW
        groups = 1
    else:
        # (KH, KW, C, DM) -> (C*DM, 1, KH, KW): output channel c*DM + m uses filter m of channel c.
        weight = kt.reshape(kh, kw, c * dm).permute(2, 0, 1).unsqueeze(1)
        groups = c
    y = F.conv2d(xt, weight, torch.from_numpy(bias.astype(np.float64)), stride=(sh, sw), dilation=(dh, dw), groups=groups)
    y = y.permute(0, 2, 3, 1).contiguous().numpy()

    case = {
        "name": name,
        "class_name": layer,
        "config": {
            "kernel_size": [kh, kw],
            "strides": [sh, sw],
            "padding": padding,
            "dilation_rate": [dh, dw],
            "use_bias": True,
            "activation": "linear",
            "data_format": "channels_last",
        },
        "input_shape": [n, h, w, c],
        "input": [float(v) for v in x.ravel()],
        "kernel": [float(v) for v in kernel.ravel()],
        "bias": [float(v) for v in bias.ravel()],
        "output_shape": list(y.shape),
        "output": [round(float(v), 6) for v in y.ravel()],
    }
    if layer == "Conv2D":
        case["config"]["filters"] = filters
    else:
        case["config"]["depth_multiplier"] = dm
    return case


def main():
    rng = np.random.default_rng(20240601)
    cases = [
        run_case(rng, "conv_3x3_same", "Conv2D", 2, 5, 5, 3, (3, 3), (1, 1), "same", (1, 1), filters=4),
        run_case(rng, "conv_3x3_stride2_same_even", "Conv2D", 1, 6, 6, 3, (3, 3), (2, 2), "same", (1, 1), filters=5),
        run_case(rng, "conv_5x5_stride2_same_mixed", "Conv2D", 1, 7, 8, 2, (5, 5), (2, 2), "same", (1, 1), filters=3),
        run_case(rng, "conv_3x3_dilation2_valid", "Conv2D", 1, 9, 9, 3, (3, 3), (1, 1), "valid", (2, 2), filters=2),
        run_case(rng, "conv_3x3_dilation2_same", "Conv2D", 1, 6, 7, 2, (3, 3), (1, 1), "same", (2, 2), filters=3),
        run_case(rng, "conv_1x1_pointwise", "Conv2D", 2, 4, 4, 7, (1, 1), (1, 1), "valid", (1, 1), filters=5),
        run_case(rng, "conv_1x3_stride2x1_same", "Conv2D", 1, 5, 6, 3, (1, 3), (2, 1), "same", (1, 1), filters=4),
        run_case(rng, "dw_3x3_same", "DepthwiseConv2D", 2, 5, 5, 3, (3, 3), (1, 1), "same", (1, 1), dm=1),
        run_case(rng, "dw_3x3_stride2_same_dm2", "DepthwiseConv2D", 1, 6, 6, 4, (3, 3), (2, 2), "same", (1, 1), dm=2),
        run_case(rng, "dw_3x3_dilation2_same_dm2", "DepthwiseConv2D", 1, 7, 7, 3, (3, 3), (1, 1), "same", (2, 2), dm=2),
        run_case(rng, "dw_5x5_stride2_valid_c17", "DepthwiseConv2D", 1, 9, 9, 17, (5, 5), (2, 2), "valid", (1, 1), dm=1),
        run_case(rng, "dw_3x3_stride2_same_c33", "DepthwiseConv2D", 1, 8, 8, 33, (3, 3), (2, 2), "same", (1, 1), dm=1),
    ]
    with open("conv_cases.json", "w") as f:
        json.dump({"generator": "make_fixtures.py (PyTorch " + torch.__version__ + ")", "cases": cases}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Regenerates the loss and optimizer fixtures from PyTorch (Debian python3-torch 1.13).

    python3 tests/Graft.Tests/Fixtures/optim/make_fixtures.py

cross_entropy.json: losses and gradients in Keras's semantics, computed with torch.
optimizers.json:    a 4-5-3 tanh MLP trained 5 steps on a fixed batch by torch.optim; weights after each run.
Weights are written in Graft's layout: Dense kernels are (in, out), torch Linear weights are (out, in).
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_default_dtype(torch.float32)
HERE = os.path.dirname(os.path.abspath(__file__))


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def cross_entropy_cases():
    n, c = 6, 5
    logits = torch.randn(n, c) * 2
    labels = torch.tensor([0, 3, 1, 4, 4, 2])
    weights = torch.tensor([0.5, 2.0, 1.0, 1.5, 0.25])
    # Probabilities for the categorical loss: softmax rows scaled by a factor so that they do not sum to 1 and
    # Keras's normalisation is exercised, kept away from the clip bounds.
    probs = (F.softmax(logits, dim=1) * 0.8 + 0.04) * torch.tensor([[1.0], [1.3], [0.7], [1.0], [2.0], [0.9]])
    cases = []
    for ls in (0.0, 0.1):
        for weighted in (False, True):
            # Softmax cross-entropy: torch's per-row loss with label_smoothing equals Keras's per-row
            # categorical cross-entropy on smoothed one-hot targets. Keras weights each row by class_weight[label]
            # and divides by the number of rows; torch's weight= would divide by the sum of the row weights and
            # also weight the smoothing term per class, so the weights are applied here to reduction='none' rows.
            z = logits.clone().requires_grad_(True)
            rows = F.cross_entropy(z, labels, label_smoothing=ls, reduction='none')
            w = weights[labels] if weighted else torch.ones(n)
            loss = (rows * w).sum() / n
            loss.backward()
            cases.append({"loss": "softmax", "label_smoothing": ls, "weighted": weighted,
                          "value": float(loss), "grad": flat(z.grad)})
            if weighted and ls == 0:
                # The same number via torch's own weighted mean, rescaled from Σw to N: a check on the comment above.
                t = F.cross_entropy(logits, labels, weight=weights) * w.sum() / n
                assert abs(float(t) - float(loss)) < 1e-5
            # Categorical cross-entropy on probabilities, Keras's from_logits=False arithmetic.
            p = probs.clone().requires_grad_(True)
            y = F.one_hot(labels, c).float() * (1 - ls) + ls / c
            q = torch.clamp(p / p.sum(dim=1, keepdim=True), 1e-7, 1 - 1e-7)
            loss = ((-(y * torch.log(q)).sum(dim=1)) * w).sum() / n
            loss.backward()
            cases.append({"loss": "categorical", "label_smoothing": ls, "weighted": weighted,
                          "value": float(loss), "grad": flat(p.grad)})
    # Binary cross-entropy, element-wise over a (4, 3) output.
    bl = torch.randn(4, 3) * 2
    targets = torch.randint(0, 2, (4, 3)).float()
    for ls in (0.0, 0.2):
        y = targets * (1 - ls) + 0.5 * ls
        x = bl.clone().requires_grad_(True)
        loss = F.binary_cross_entropy_with_logits(x, y)
        loss.backward()
        cases.append({"loss": "binary_logits", "label_smoothing": ls, "weighted": False, "value": float(loss), "grad": flat(x.grad)})
        p = torch.sigmoid(bl).clone().requires_grad_(True)
        pc = torch.clamp(p, 1e-7, 1 - 1e-7)
        loss = -(y * torch.log(pc + 1e-7) + (1 - y) * torch.log(1 - pc + 1e-7)).mean()
        loss.backward()
        cases.append({"loss": "binary", "label_smoothing": ls, "weighted": False, "value": float(loss), "grad": flat(p.grad)})
    return {"logits": flat(logits), "probs": flat(probs), "labels": labels.tolist(), "classes": c,
            "class_weights": flat(weights), "binary_logits": flat(bl), "binary_probs": flat(torch.sigmoid(bl)),
            "binary_targets": [int(v) for v in targets.reshape(-1)], "cases": cases}


def optimizer_cases():
    steps = 5
    x = torch.randn(8, 4)
    labels = torch.randint(0, 3, (8,))
    l1, l2 = torch.nn.Linear(4, 5), torch.nn.Linear(5, 3)
    init = {k: v.detach().clone() for k, v in
            {"w1": l1.weight, "b1": l1.bias, "w2": l2.weight, "b2": l2.bias}.items()}

    def graft_layout(w1, b1, w2, b2):
        return {"hidden/kernel": flat(w1.t()), "hidden/bias": flat(b1), "out/kernel": flat(w2.t()), "out/bias": flat(b2)}

    def run(make, name, hyper):
        w1, b1, w2, b2 = (init[k].clone().requires_grad_(True) for k in ("w1", "b1", "w2", "b2"))
        opt = make(w1, b1, w2, b2)
        losses = []
        for _ in range(steps):
            opt.zero_grad()
            loss = F.cross_entropy(F.linear(torch.tanh(F.linear(x, w1, b1)), w2, b2), labels)
            loss.backward()
            opt.step()
            losses.append(float(loss))
        return {"name": name, "hyper": hyper, "losses": losses, "params": graft_layout(w1, b1, w2, b2)}

    cases = [
        run(lambda *p: torch.optim.SGD(p, lr=0.1), "sgd", {"lr": 0.1}),
        run(lambda *p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01), "sgd_nesterov",
            {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
        run(lambda *p: torch.optim.SGD(p, lr=0.05, momentum=0.8), "sgd_momentum", {"lr": 0.05, "momentum": 0.8}),
        run(lambda *p: torch.optim.Adam(p, lr=0.01, eps=1e-8), "adam", {"lr": 0.01, "eps": 1e-8}),
        run(lambda *p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-7, weight_decay=0.1), "adam_l2",
            {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-7, "weight_decay": 0.1}),
        run(lambda *p: torch.optim.AdamW(p, lr=0.01, eps=1e-8, weight_decay=0.1), "adamw",
            {"lr": 0.01, "eps": 1e-8, "weight_decay": 0.1}),
        # Discriminative fine-tuning: the hidden layer at a tenth of the rate, biases without decay.
        run(lambda w1, b1, w2, b2: torch.optim.AdamW([
                {"params": [w1], "lr": 0.001},
                {"params": [b1], "lr": 0.001, "weight_decay": 0.0},
                {"params": [b2], "weight_decay": 0.0},
                {"params": [w2]}], lr=0.01, eps=1e-8, weight_decay=0.1), "adamw_groups",
            {"lr": 0.01, "eps": 1e-8, "weight_decay": 0.1, "hidden_lr_multiplier": 0.1, "bias_weight_decay": 0.0}),
    ]
    return {"steps": steps, "x": flat(x), "labels": labels.tolist(), "init": graft_layout(*init.values()), "cases": cases}


def one_cycle():
    out = []
    for three in (False, True):
        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([p], lr=0.1)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=20, pct_start=0.25,
                                                    three_phase=three, cycle_momentum=False)
        lrs = []
        for _ in range(20):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            if len(lrs) < 20:
                sched.step()
        out.append({"three_phase": three, "max_lr": 0.1, "total_steps": 20, "pct_start": 0.25, "lrs": lrs})
    return out


def dump(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


dump("cross_entropy.json", cross_entropy_cases())
dump("optimizers.json", {**optimizer_cases(), "one_cycle": one_cycle()})

#!/usr/bin/env python3
"""PyTorch peer for the end-to-end training benchmark (never used by tests or CI).

Trains the same MLP as the C# benchmark on MNIST with plain cross-entropy and with the
Jacobian penalty (n_proj = 1, random unit projection per example, double backward through
autograd's create_graph), and prints one JSON line per configuration with the measured
throughput in samples per second.

Usage: python3 torch_train.py --mnist DIR --hidden 200,200 --batch 64 --threads 1 --seconds 10
"""
import argparse
import gzip
import json
import os
import struct
import time

import torch


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def find(folder, stem):
    for name in (stem, stem + ".gz"):
        p = os.path.join(folder, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(os.path.join(folder, stem))


def build(hidden, seed):
    torch.manual_seed(seed)
    sizes = [784] + hidden + [10]
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        torch.nn.init.xavier_uniform_(lin.weight)
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def penalty(x, z):
    # One random unit projection per example: R_i = C * ||v_i^T J_i||^2.
    v = torch.randn_like(z)
    v = v / v.norm(dim=1, keepdim=True)
    (jv,) = torch.autograd.grad(z, x, grad_outputs=v, create_graph=True)
    return z.shape[1] * (jv ** 2).sum(dim=1)


def run(images, labels, hidden, batch, lam, seconds, seed):
    model = build(hidden, seed)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    ce = torch.nn.CrossEntropyLoss()
    n = images.shape[0]
    perm = torch.randperm(n)
    steps, samples, start, warm = 0, 0, None, 20
    pos = 0
    while True:
        if pos + batch > n:
            perm, pos = torch.randperm(n), 0
        idx = perm[pos:pos + batch]
        pos += batch
        x = images[idx]
        y = labels[idx]
        if lam > 0:
            x.requires_grad_(True)
        z = model(x)
        loss = ce(z, y)
        if lam > 0:
            loss = loss + lam / 2 * penalty(x, z).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        steps += 1
        if steps == warm:
            start = time.perf_counter()
            samples = 0
        elif steps > warm:
            samples += batch
            if time.perf_counter() - start >= seconds:
                break
    elapsed = time.perf_counter() - start
    return samples / elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mnist", required=True)
    ap.add_argument("--hidden", default="200,200")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--lam", type=float, default=0.1)
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    hidden = [int(h) for h in args.hidden.split(",")]
    images = read_idx(find(args.mnist, "train-images-idx3-ubyte")).reshape(-1, 784).float() / 255.0
    images = (images - 0.1307) / 0.3081
    labels = read_idx(find(args.mnist, "train-labels-idx1-ubyte")).long()
    for lam, mode in ((0.0, "plain"), (args.lam, "jacobian")):
        sps = run(images, labels, hidden, args.batch, lam, args.seconds, args.seed)
        print(json.dumps({"peer": "pytorch " + torch.__version__, "mode": mode, "hidden": hidden,
                          "batch": args.batch, "threads": args.threads, "samples_per_second": sps}), flush=True)


if __name__ == "__main__":
    main()

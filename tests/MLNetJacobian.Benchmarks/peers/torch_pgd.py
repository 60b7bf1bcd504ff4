#!/usr/bin/env python3
"""PyTorch peer for the PGD throughput benchmark (never used by tests or CI).

Loads an MLP's weights written by the C# benchmark (float32 little endian, per dense layer W [out, in] then b [out]),
runs PGD L-inf with random start over the MNIST test set (x_{t+1} = clip(proj(x_t + step * sign(grad CE))), [0, 1]),
and prints one JSON line: the median seconds over the rounds, images per second and the robust accuracy of the last
iterate.

Usage: python3 torch_pgd.py --weights FILE --sizes 784,200,200,10 --mnist DIR --eps 0.1 --steps 40 --step 0.00625
                            --batch 500 --threads 1 --rounds 3
"""
import argparse
import gzip
import json
import os
import statistics
import struct
import time

import torch

import peer_blas


def read_idx(folder, stem):
    path = os.path.join(folder, stem)
    opener = open
    if not os.path.exists(path):
        path, opener = path + ".gz", gzip.open
    with opener(path, "rb") as f:
        data = f.read()
    dims = struct.unpack(">I", data[:4])[0] & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def load_model(path, sizes):
    flat = torch.frombuffer(bytearray(open(path, "rb").read()), dtype=torch.float32)
    layers, offset = [], 0
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        n_w, n_b = sizes[i + 1] * sizes[i], sizes[i + 1]
        with torch.no_grad():
            lin.weight.copy_(flat[offset:offset + n_w].reshape(sizes[i + 1], sizes[i]))
            lin.bias.copy_(flat[offset + n_w:offset + n_w + n_b])
        offset += n_w + n_b
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    assert offset == flat.numel(), "weights file does not match the sizes"
    model = torch.nn.Sequential(*layers)
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def pgd(model, x, y, eps, steps, step):
    x_adv = (x + torch.empty_like(x).uniform_(-eps, eps)).clamp(0, 1)
    for _ in range(steps):
        x_adv.requires_grad_(True)
        loss = torch.nn.functional.cross_entropy(model(x_adv), y, reduction="sum")
        (grad,) = torch.autograd.grad(loss, x_adv)
        with torch.no_grad():
            x_adv = x_adv + step * grad.sign()
            x_adv = torch.min(torch.max(x_adv, x - eps), x + eps).clamp(0, 1)
    return x_adv.detach()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--weights", required=True)
    parser.add_argument("--sizes", default="784,200,200,10")
    parser.add_argument("--mnist", required=True)
    parser.add_argument("--eps", type=float, default=0.1)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--step", type=float, default=0.00625)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = load_model(args.weights, [int(s) for s in args.sizes.split(",")])
    x_all = read_idx(args.mnist, "t10k-images-idx3-ubyte").reshape(-1, 784).float() / 255.0
    y_all = read_idx(args.mnist, "t10k-labels-idx1-ubyte").long()
    with torch.no_grad():
        clean = (model(x_all).argmax(1) == y_all).float().mean().item()
    pgd(model, x_all[:args.batch], y_all[:args.batch], args.eps, 2, args.step)  # warm-up
    times, robust = [], 0.0
    for _ in range(args.rounds):
        correct = 0
        start = time.perf_counter()
        for i in range(0, x_all.shape[0], args.batch):
            x, y = x_all[i:i + args.batch], y_all[i:i + args.batch]
            x_adv = pgd(model, x, y, args.eps, args.steps, args.step)
            with torch.no_grad():
                correct += (model(x_adv).argmax(1) == y).sum().item()
        times.append(time.perf_counter() - start)
        robust = correct / x_all.shape[0]
    seconds = statistics.median(times)
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "batch": args.batch, "seconds": seconds,
                      "images_per_second": x_all.shape[0] / seconds, "clean_accuracy": clean, "robust_accuracy": robust,
                      "blas": peer_blas.describe()}))


if __name__ == "__main__":
    main()

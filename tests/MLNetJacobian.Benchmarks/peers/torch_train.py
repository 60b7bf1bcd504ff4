#!/usr/bin/env python3
"""PyTorch peer for the end-to-end training benchmark (never used by tests or CI).

Trains the same MLP as the C# benchmark (784-hidden-10 ReLU, Xavier-uniform, SGD lr 0.01 momentum 0.9 weight decay
5e-4) on standardised MNIST, or (--rows FILE, the tabular-table command) a D-hidden-1 regression MLP with squared
error on rows the C# benchmark prepared (int32 N, int32 D, N*D float32 features, N float32 targets), with one of four
objectives (on one output the projected penalty is exact: the single unit vector is +-1):
  plain       cross-entropy only
  jacobian    + (lambda/2) mean_i C ||v_i^T J_i||^2, one random unit projection per row, double backward
              through autograd's create_graph (the reference implementation's method)
  subsampled  the same penalty on a random fraction p of each batch (a separate forward of those rows so the
              double backward only runs over them), which keeps it unbiased
  exact       + (lambda/2) mean_i ||J_i||_F^2 by C backward passes seeded with the basis vectors
A request with "layers": "lenet" (the conv-table command) trains LeNet-5 instead of the MLP: conv 6 5 pad 2, tanh,
maxpool 2, conv 16 5, tanh, maxpool 2, dense 120, tanh, dropout 0.5, dense 84, tanh, dropout 0.5, dense 10, on the
1x28x28 standardised images, Glorot-uniform weights and zero biases, the same objectives and optimizer.

Two ways to run:
  one-shot:  python3 torch_train.py --mnist DIR --hidden 200,200 --batch 64 --threads 1 --seconds 10
             prints one JSON line per objective with the throughput in samples per second
  serve:     python3 torch_train.py --mnist DIR --serve
             reads one JSON request per stdin line, {"hidden": [200, 200], "batch": 64, "mode": "jacobian",
             "threads": 1, "seconds": 1.5, "warmup_steps": 0}, trains that configuration (its model and optimizer
             persist between requests) for the given seconds and answers one JSON line; lets the C# benchmark
             interleave its rounds with the peer's in the same run.
"""
import argparse
import gzip
import json
import os
import resource
import struct
import sys
import time

import torch

import peer_blas

MEAN, STD = 0.1307, 0.3081


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


def load(folder, prefix):
    images = read_idx(find(folder, prefix + "-images-idx3-ubyte")).reshape(-1, 784).float() / 255.0
    labels = read_idx(find(folder, prefix + "-labels-idx1-ubyte")).long()
    return (images - MEAN) / STD, labels


def load_rows(path):
    with open(path, "rb") as f:
        data = f.read()
    n, d = struct.unpack("<ii", data[:8])
    values = torch.frombuffer(bytearray(data[8:]), dtype=torch.float32)
    return values[:n * d].reshape(n, d).clone(), values[n * d:n * d + n].clone()


def build(hidden, seed, inputs=784, outputs=10):
    torch.manual_seed(seed)
    sizes = [inputs] + hidden + [outputs]
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        torch.nn.init.xavier_uniform_(lin.weight)
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def build_lenet(seed):
    torch.manual_seed(seed)
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.Tanh(), nn.Dropout(0.5),
        nn.Linear(120, 84), nn.Tanh(), nn.Dropout(0.5),
        nn.Linear(84, 10))
    for layer in model:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)
    return model


def conv_kernels():
    """Which convolution kernels autograd picks for LeNet's first layer on a batch that requires its gradient."""
    x = torch.zeros(100, 1, 28, 28, requires_grad=True)
    w = torch.zeros(6, 1, 5, 5, requires_grad=True)
    try:
        backend = str(torch._C._select_conv_backend(x, w, None, [1, 1], [2, 2], [1, 1], False, [0, 0], 1))
    except (AttributeError, RuntimeError, TypeError) as error:
        backend = "unknown (" + str(error) + ")"
    return {"mkldnn_available": torch.backends.mkldnn.is_available(), "conv_backend": backend}


def projected_norms(x, z):
    """R_i = C ||v_i^T J_i||^2 with v_i uniform on the unit sphere, differentiable (create_graph)."""
    v = torch.randn_like(z)
    v = v / v.norm(dim=1, keepdim=True)
    (jv,) = torch.autograd.grad(z, x, grad_outputs=v, create_graph=True)
    return z.shape[1] * (jv ** 2).flatten(1).sum(dim=1)


def exact_norms(x, z):
    """||J_i||_F^2 by one backward pass per class, differentiable (create_graph)."""
    total = torch.zeros(z.shape[0])
    for c in range(z.shape[1]):
        e = torch.zeros_like(z)
        e[:, c] = 1.0
        (row,) = torch.autograd.grad(z, x, grad_outputs=e, create_graph=True, retain_graph=True)
        total = total + (row ** 2).flatten(1).sum(dim=1)
    return total


class Trainer:
    """One configuration's model, optimizer and position in its shuffled rows; steps persist across calls."""

    def __init__(self, images, labels, hidden, batch, mode, lam, fraction, seed, layers=None):
        self.images, self.labels = images, labels
        regression = labels.dtype == torch.float32
        if layers == "lenet":
            self.images = images.reshape(-1, 1, 28, 28)
            self.model = build_lenet(seed)
        else:
            self.model = build(hidden, seed, images.shape[1], 1 if regression else 10)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
        if regression:
            mse = torch.nn.MSELoss()
            self.ce = lambda z, y: mse(z.squeeze(1), y)
        else:
            self.ce = torch.nn.CrossEntropyLoss()
        self.batch, self.mode, self.lam, self.fraction = batch, mode, lam, fraction
        self.perm, self.pos = torch.randperm(images.shape[0]), 0

    def step(self):
        n, b = self.images.shape[0], self.batch
        if self.pos + b > n:
            self.perm, self.pos = torch.randperm(n), 0
        idx = self.perm[self.pos:self.pos + b]
        self.pos += b
        x, y = self.images[idx], self.labels[idx]
        if self.mode == "plain":
            loss = self.ce(self.model(x), y)
        elif self.mode == "subsampled":
            m = max(1, min(b, int(round(self.fraction * b))))
            xs = x[:m].clone().requires_grad_(True)   # rows are already in random order
            zs = self.model(xs)
            z = torch.cat((zs, self.model(x[m:]))) if m < b else zs
            loss = self.ce(z, y) + self.lam / 2 * projected_norms(xs, zs).mean()
        else:
            x.requires_grad_(True)
            z = self.model(x)
            norms = exact_norms(x, z) if self.mode == "exact" else projected_norms(x, z)
            loss = self.ce(z, y) + self.lam / 2 * norms.mean()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()

    def run(self, seconds, warmup_steps):
        for _ in range(warmup_steps):
            self.step()
        steps = 0
        start = time.perf_counter()
        while True:
            self.step()
            steps += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return steps * self.batch / elapsed, steps


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def serve(images, labels, args):
    trainers = {}
    print(json.dumps({"ready": True, "peer": "pytorch " + torch.__version__, "blas": peer_blas.describe(), "kernels": conv_kernels()}), flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request = json.loads(line)
        hidden, batch, mode, threads = request["hidden"], request["batch"], request["mode"], request["threads"]
        torch.set_num_threads(threads)
        layers = request.get("layers")
        key = (tuple(hidden), batch, mode, threads, layers)
        if key not in trainers:
            trainers[key] = Trainer(images, labels, hidden, batch, mode, args.lam, args.fraction, args.seed, layers)
        sps, steps = trainers[key].run(request["seconds"], request.get("warmup_steps", 0))
        print(json.dumps({"samples_per_second": sps, "steps": steps, "peak_rss_mb": peak_rss_mb()}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    data = ap.add_mutually_exclusive_group(required=True)
    data.add_argument("--mnist")
    data.add_argument("--rows")
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--hidden", default="200,200")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--lam", type=float, default=0.1)
    ap.add_argument("--fraction", type=float, default=0.25)
    ap.add_argument("--modes", default="plain,jacobian")
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    images, labels = load_rows(args.rows) if args.rows else load(args.mnist, "train")
    if args.serve:
        serve(images, labels, args)
        return
    torch.set_num_threads(args.threads)
    hidden = [int(h) for h in args.hidden.split(",")]
    for mode in args.modes.split(","):
        trainer = Trainer(images, labels, hidden, args.batch, mode, args.lam, args.fraction, args.seed)
        sps, _ = trainer.run(args.seconds, 20)
        print(json.dumps({"peer": "pytorch " + torch.__version__, "mode": mode, "hidden": hidden, "batch": args.batch,
                          "threads": args.threads, "samples_per_second": sps, "peak_rss_mb": peak_rss_mb()}), flush=True)


if __name__ == "__main__":
    main()

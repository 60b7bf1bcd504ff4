#!/usr/bin/env python3
"""PyTorch side of the mnist-ablation benchmark (never used by tests or CI).

Trains the reference implementation's MNIST setting (facebookresearch/jacobian_regularizer, examples/mnist.py):
784-200-200-10 ReLU, nn.Linear layers whose weights are then re-drawn Xavier-uniform (the biases keep nn.Linear's
default U(-1/sqrt(fan_in), 1/sqrt(fan_in))), SGD lr 0.01 momentum 0.9 weight decay 5e-4 on every parameter, batch
64 from a DataLoader-like full permutation each epoch (last batch partial), 5 epochs, lambda 0.1, one random unit
projection per row, standardised pixels. Prints one JSON line: test accuracy and the mean exact ||J||_F over the
10,000 test images (logits w.r.t. the standardised input).

  python3 torch_reference_mnist.py --mnist DIR --seed 1 [--bias zero] [--lam 0.1] [--epochs 5] [--threads 1]

--bias zero sets the biases to 0 after construction (the ablation's question: does the bias initialization explain
a gap?). Run with OMP_WAIT_POLICY=PASSIVE on a shared machine.
"""
import argparse
import json
import time

import torch

from torch_train import load, projected_norms


def build(seed, zero_bias):
    torch.manual_seed(seed)
    layers = [torch.nn.Linear(784, 200), torch.nn.Linear(200, 200), torch.nn.Linear(200, 10)]
    for layer in layers:
        torch.nn.init.xavier_uniform_(layer.weight)
        if zero_bias:
            torch.nn.init.zeros_(layer.bias)
    return torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2])


def mean_exact_norm(model, images):
    total = 0.0
    for start in range(0, images.shape[0], 500):
        x = images[start:start + 500].clone().requires_grad_(True)
        z = model(x)
        squares = torch.zeros(x.shape[0])
        for c in range(z.shape[1]):
            (row,) = torch.autograd.grad(z[:, c].sum(), x, retain_graph=True)
            squares += (row ** 2).sum(dim=1)
        total += squares.sqrt().sum().item()
    return total / images.shape[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mnist", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bias", choices=["default", "zero"], default="default")
    ap.add_argument("--lam", type=float, default=0.1)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    train_x, train_y = load(args.mnist, "train")
    test_x, test_y = load(args.mnist, "t10k")
    model = build(args.seed, args.bias == "zero")
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    ce = torch.nn.CrossEntropyLoss()
    start = time.perf_counter()
    for _ in range(args.epochs):
        order = torch.randperm(train_x.shape[0])
        for first in range(0, train_x.shape[0], 64):
            idx = order[first:first + 64]
            x = train_x[idx].clone().requires_grad_(True)
            z = model(x)
            loss = ce(z, train_y[idx])
            if args.lam > 0:
                loss = loss + args.lam / 2 * projected_norms(x, z).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        accuracy = (model(test_x).argmax(dim=1) == test_y).float().mean().item()
    print(json.dumps({"Configuration": "pytorch-bias-" + args.bias + ("" if args.lam == 0.1 else "@" + str(args.lam)),
                      "Lambda": args.lam, "Seed": args.seed, "Epochs": args.epochs, "Accuracy": accuracy,
                      "MeanJacobianNorm": mean_exact_norm(model, test_x), "TrainingSeconds": seconds}), flush=True)


if __name__ == "__main__":
    main()

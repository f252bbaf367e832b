"""Writes five disjoint 500-image MNIST training sets and the first 2,000 test images as CSV tables (784 pixel columns
p0..p783 and the digit as a class name d0..d9), for measuring AutoML on a small wide table.

    /usr/bin/python3 bench/mnist_wide_subsets.py ../shared/datasets/mnist OUT_DIR
"""
import gzip
import os
import sys

import numpy as np


def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def write(path, images, labels):
    with open(path, "w") as f:
        f.write(",".join("p%d" % i for i in range(784)) + ",digit\n")
        for row, label in zip(images, labels):
            f.write(",".join(map(str, row)) + ",d%d\n" % label)


def main(mnist, out):
    os.makedirs(out, exist_ok=True)
    images = idx(os.path.join(mnist, "train-images-idx3-ubyte.gz")).reshape(-1, 784)
    labels = idx(os.path.join(mnist, "train-labels-idx1-ubyte.gz"))
    order = np.random.default_rng(0).permutation(len(images))
    for k in range(5):
        rows = order[k * 500:(k + 1) * 500]
        write(os.path.join(out, "train%d.csv" % k), images[rows], labels[rows])
    test_images = idx(os.path.join(mnist, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784)
    test_labels = idx(os.path.join(mnist, "t10k-labels-idx1-ubyte.gz"))
    write(os.path.join(out, "test.csv"), test_images[:2000], test_labels[:2000])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

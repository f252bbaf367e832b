#!/usr/bin/env python3
"""Writes the MNIST subset the tests ship: the first 2,000 training and 500 test images, IDX .gz, same bytes."""
import gzip
import struct
import sys

SUBSETS = [("train-images-idx3-ubyte.gz", 2000, True), ("train-labels-idx1-ubyte.gz", 2000, False),
           ("t10k-images-idx3-ubyte.gz", 500, True), ("t10k-labels-idx1-ubyte.gz", 500, False)]


def write_subset(source, target, count, images):
    raw = gzip.open(source).read()
    header_length, record_length = (16, 28 * 28) if images else (8, 1)
    header = raw[:4] + struct.pack(">i", count) + raw[8:header_length]
    body = raw[header_length:header_length + count * record_length]
    with open(target, "wb") as file, gzip.GzipFile(fileobj=file, mode="wb", mtime=0, filename="") as stream:
        stream.write(header + body)


if __name__ == "__main__":
    source_dir, target_dir = sys.argv[1], sys.argv[2]
    for name, count, images in SUBSETS:
        write_subset(f"{source_dir}/{name}", f"{target_dir}/{name}", count, images)

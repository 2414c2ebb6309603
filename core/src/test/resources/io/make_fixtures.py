#!/usr/bin/env python3
"""Writes the tiny .npy fixtures for NpyFileTest and expected.txt with their values, using numpy itself.

Run from this directory: python3 make_fixtures.py. The outputs are committed; rerun only to change them.
expected.txt has one line per file: name, shape as comma-separated dims, then the values in C order.
"""
import numpy as np
from numpy.lib import format as npformat

MATRIX = [[1.5, -2.25, 0.0], [100.0, 3.1, -7.0]]
INTS = [[0, -3, 7], [42, 2147483647, -2147483648]]
UBYTES = [[0, 1, 127], [128, 200, 255]]

fixtures = {
    # every supported dtype, format version 1
    "f4_v1.npy": (np.array(MATRIX, dtype="<f4"), (1, 0)),
    "f8_v1.npy": (np.array(MATRIX, dtype="<f8"), (1, 0)),
    "i4_v1.npy": (np.array(INTS, dtype="<i4"), (1, 0)),
    "i8_v1.npy": (np.array(INTS, dtype="<i8"), (1, 0)),
    "u1_v1.npy": (np.array(UBYTES, dtype="|u1"), (1, 0)),
    # big-endian variants
    "f4_be_v1.npy": (np.array(MATRIX, dtype=">f4"), (1, 0)),
    "f8_be_v1.npy": (np.array(MATRIX, dtype=">f8"), (1, 0)),
    "i8_be_v1.npy": (np.array(INTS, dtype=">i8"), (1, 0)),
    # format versions 2 and 3 (4-byte header length; version 3 declares a UTF-8 header)
    "f4_v2.npy": (np.array(MATRIX, dtype="<f4"), (2, 0)),
    "f4_v3.npy": (np.array(MATRIX, dtype="<f4"), (3, 0)),
    "i8_v3.npy": (np.array(INTS, dtype="<i8"), (3, 0)),
    # 1-D arrays: a vector, labels with NaN as unlabeled, integer labels
    "f4_1d_v1.npy": (np.array([0.25, -1.0, 3.5, 8.0], dtype="<f4"), (1, 0)),
    "labels_f8.npy": (np.array([0.0, np.nan, 2.0, -1.0, 9.0], dtype="<f8"), (1, 0)),
    "labels_i8.npy": (np.array([3, -1, 0, 7], dtype="<i8"), (1, 0)),
    # edge lists
    "edges_f8.npy": (np.array([[0, 1, 0.5], [1, 2, 1.0], [2, 0, 2.0]], dtype="<f8"), (1, 0)),
    "edges_i4.npy": (np.array([[0, 1], [3, 2]], dtype="<i4"), (1, 0)),
    # Fortran order, which the reader rejects
    "fortran_f4.npy": (np.asfortranarray(np.array(MATRIX, dtype="<f4")), (1, 0)),
}

with open("expected.txt", "w") as expected:
    for name, (array, version) in fixtures.items():
        with open(name, "wb") as f:
            npformat.write_array(f, array, version=version)
        shape = ",".join(str(d) for d in array.shape)
        values = " ".join(repr(float(v)) for v in array.ravel(order="C"))
        expected.write(f"{name} {shape} {values}\n")

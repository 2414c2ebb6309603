"""scikit-learn on the split `labelprop bench fashion-mnist --labels-out FILE` used, for side-by-side ratios.

Run with Debian's scikit-learn (apt-get install python3-sklearn): /usr/bin/python3 sklearn_baseline.py LABELS.npy
Prints one JSON object: LabelSpreading(kernel='knn', n_neighbors=10) stage times and accuracy on the hidden
rows, and NumPy/OpenBLAS SGEMM GFLOP/s on a distance-tile shape (the machine limit for the exact kNN).
"""
import gzip
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.neighbors import NearestNeighbors
from sklearn.semi_supervised import LabelSpreading

DIR = "/usr/share/datasets/fashion-mnist/"


def idx(name):
    with gzip.open(DIR + name) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


labels = np.load(sys.argv[1]).astype(np.int64)
n = len(labels)
x = np.concatenate([idx("train-images-idx3-ubyte.gz"), idx("t10k-images-idx3-ubyte.gz")]).reshape(70000, -1)[:n]
truth = np.concatenate([idx("train-labels-idx1-ubyte.gz"), idx("t10k-labels-idx1-ubyte.gz")])[:n]
x = x.astype(np.float64) / 255.0
hidden = labels < 0

t0 = time.perf_counter()
NearestNeighbors(n_neighbors=10).fit(x).kneighbors_graph(x, 10, mode="connectivity")
knn_s = time.perf_counter() - t0
t0 = time.perf_counter()
model = LabelSpreading(kernel="knn", n_neighbors=10).fit(x, labels)
total_s = time.perf_counter() - t0
accuracy = float((model.transduction_[hidden] == truth[hidden]).mean())

a = np.random.default_rng(0).random((2048, 784), dtype=np.float32)
a @ a.T
best = min((lambda t: (a @ a.T, time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(5))
print(json.dumps({"sklearn": sklearn.__version__, "rows": n, "knn_graph_seconds": round(knn_s, 2),
                  "label_spreading_total_seconds": round(total_s, 2), "accuracy": round(accuracy, 4),
                  "numpy_sgemm_GFLOPs": round(2 * 2048 * 2048 * 784 / best / 1e9, 1)}))

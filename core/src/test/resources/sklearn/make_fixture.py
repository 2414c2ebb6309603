"""Writes the scikit-learn reference for SklearnParityTest.

Run from this folder with scikit-learn 1.2 (Debian's python3-sklearn): /usr/bin/python3 make_fixture.py
Blobs with overlapping classes, so the distributions are not trivially one-hot; continuous features, so
no distance ties make the neighbour sets ambiguous.
"""
import numpy as np
import sklearn
from sklearn.semi_supervised import LabelPropagation, LabelSpreading

rng = np.random.default_rng(20261124)
n, d, classes = 150, 5, 3
centres = rng.normal(scale=2.0, size=(classes, d))
y_true = np.arange(n) % classes
X = (centres[y_true] + rng.normal(scale=1.5, size=(n, d))).astype(np.float32)
y = np.full(n, -1)
labeled = rng.choice(n, size=12, replace=False)
y[labeled] = y_true[labeled]
# A gap in the label values: classes 0, 2 and 5.
y = np.where(y >= 0, np.array([0, 2, 5])[np.maximum(y, 0)], -1)

np.savetxt("features.csv", X, delimiter=",", fmt="%.9g")
np.savetxt("labels.csv", y, fmt="%d")
for name, model in [("propagation", LabelPropagation(kernel="knn", n_neighbors=7)),
                    ("spreading", LabelSpreading(kernel="knn", n_neighbors=7))]:
    model.fit(X.astype(np.float64), y)
    np.savetxt(f"expected_{name}.csv", model.label_distributions_, delimiter=",", fmt="%.12g",
               header=f"sklearn {sklearn.__version__} n_iter={model.n_iter_} classes={list(model.classes_)}")

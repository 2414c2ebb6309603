"""scikit-learn reference for the model-based techniques (issue 3) on the split FashionMnistModels wrote.

Run: java ... org.labelprop.bench.FashionMnistModels /tmp/split.npy, then /usr/bin/python3 sklearn_self_training.py /tmp/split.npy
(Debian python3-sklearn). Prints supervised LogisticRegression and SelfTrainingClassifier accuracy on the hidden rows.
"""
import gzip, sys, time, numpy as np, sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.semi_supervised import SelfTrainingClassifier
d = "/usr/share/datasets/fashion-mnist/"
def images(f):
    with gzip.open(d + f) as g: return np.frombuffer(g.read(), np.uint8, offset=16).reshape(-1, 784)
def labels(f):
    with gzip.open(d + f) as g: return np.frombuffer(g.read(), np.uint8, offset=8)
X = np.vstack([images("train-images-idx3-ubyte.gz"), images("t10k-images-idx3-ubyte.gz")]).astype(np.float64) / 255
y_true = np.concatenate([labels("train-labels-idx1-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz")])
y = np.load(sys.argv[1]).astype(np.int64)
hidden = y < 0
print("sklearn", sklearn.__version__, "labeled", (~hidden).sum())
t = time.time(); lr = LogisticRegression().fit(X[~hidden], y[~hidden])
print("supervised LogisticRegression: %.2f%% %.1f s" % (100 * (lr.predict(X[hidden]) == y_true[hidden]).mean(), time.time() - t))
t = time.time(); st = SelfTrainingClassifier(LogisticRegression(), threshold=0.8, max_iter=10).fit(X, y)
print("SelfTrainingClassifier(LogisticRegression(), threshold=0.8, max_iter=10): %.2f%% %.1f s, %d pseudo-labeled, %s, iterations %d"
      % (100 * (st.predict(X[hidden]) == y_true[hidden]).mean(), time.time() - t, (st.labeled_iter_ > 0).sum(),
         st.termination_condition_, st.n_iter_))

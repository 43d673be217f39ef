"""scikit-learn's side of `npm run bench`: prints one JSON object.

    $PYTHON bench/sklearn.py --data rows.csv --scaler scaler.pkl --svc svc.pkl [--seconds 1] [--samples 2000]

  batch_rows_per_second   scaler.transform + svc.predict on all rows at once, repeated for --seconds
  single_p50_us/p99_us    the same for one row at a time (a 1 x F array), --samples calls
  fit_seconds             StandardScaler on all rows + SVC(C=1, gamma='scale') fit on the notebook's
                          80 % split (random_state=42); null when the CSV has no label column

The CSV needs a header naming the scaler's features (line_voltage, c1, c2, c3, feeder for the notebook's).
Pickles load as notebooks/pickle_to_onnx.py loads them (numpy 2 pickles work on numpy 1).
"""
import argparse
import csv
import json
import os
import platform
import sys
import time
import warnings

# This file is named sklearn.py: keep its folder off the import path so `import sklearn` finds scikit-learn.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

sys.path.insert(0, os.path.join(_HERE, "..", "notebooks"))
from pickle_to_onnx import load_pickle  # noqa: E402

FEATURES = ["line_voltage", "c1", "c2", "c3", "feeder"]
LABELS = {"normal": 0, "c1": 1, "c2": 2, "c3": 3}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--scaler", required=True)
    ap.add_argument("--svc", required=True)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--samples", type=int, default=2000)
    args = ap.parse_args()
    warnings.simplefilter("ignore")  # version and feature-name warnings would only clutter the JSON

    scaler, _ = load_pickle(args.scaler)
    svc, _ = load_pickle(args.svc)
    names = [str(n) for n in getattr(scaler, "feature_names_in_", FEATURES)]
    with open(args.data, newline="") as fh:
        rows = list(csv.DictReader(fh))
    X = np.array([[float(r[f]) for f in names] for r in rows])

    predict = lambda x: svc.predict(scaler.transform(x))  # noqa: E731
    for _ in range(3):
        predict(X)
    runs, start = 0, time.perf_counter()
    while True:
        predict(X)
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= args.seconds:
            break
    batch = runs * len(X) / elapsed

    times = []
    for i in range(-min(100, args.samples), args.samples):
        row = X[i % len(X)].reshape(1, -1)
        t0 = time.perf_counter_ns()
        predict(row)
        t1 = time.perf_counter_ns()
        if i >= 0:
            times.append((t1 - t0) / 1000)
    times.sort()

    fit_seconds = None
    if rows and "label" in rows[0]:
        # The notebook's pipeline, column-major as pandas hands it over.
        Xf = np.asfortranarray(X)
        y = np.array([LABELS[r["label"]] for r in rows])
        t0 = time.perf_counter()
        xs = StandardScaler().fit_transform(Xf)
        x_train, _, y_train, _ = train_test_split(xs, y, test_size=0.2, random_state=42)
        SVC(kernel="rbf", C=1.0, gamma="scale", random_state=42).fit(x_train, y_train)
        fit_seconds = time.perf_counter() - t0

    print(json.dumps({
        "rows": len(X),
        "batch_rows_per_second": batch,
        "single_p50_us": times[len(times) // 2],
        "single_p99_us": times[min(len(times) - 1, int(0.99 * len(times)))],
        "fit_seconds": fit_seconds,
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scikit-learn": sklearn.__version__},
    }))


if __name__ == "__main__":
    main()

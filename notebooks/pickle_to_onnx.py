"""Converts a joblib StandardScaler + SVC pair into one ONNX model.

    $PYTHON notebooks/pickle_to_onnx.py --scaler scaler.pkl --svc svc.pkl \
        --class-names normal,c1,c2,c3 --out model.onnx [--precision float32|float64]

`--svc` may also be a Pipeline of exactly [StandardScaler, SVC]; then `--scaler` is left out.

The graph (the same layout `npm run export:onnx` writes from our JSON artifacts):

  input  features: raw feature rows, [N, F]
  output label:    class name per row, string [N]
  output scores:   one-vs-one decision values, [N, K(K-1)/2], pairs (0,1), (0,2), ..., (1,2), ...;
                   a positive value votes for the pair's first class (libsvm's sign, which is
                   scikit-learn's decision_function(decision_function_shape='ovo') for K > 2
                   and its negative for K = 2, where scikit-learn flips the sign).

precision float32: ai.onnx.ml Scaler + SVMClassifier, float input. onnxruntime computes these
  in float32 whatever the input type, so scores differ from scikit-learn by about 1e-6 and a row
  whose decision value is that close to 0 may change label.
precision float64: the same math from standard ops (Sub, Div, Exp, MatMul, ArgMax, Gather) on
  double tensors; scores agree with scikit-learn to rounding, so labels agree on every row.

Built with the `onnx` package only (onnx.helper), checked with onnx.checker. Anything that
cannot be converted exactly is refused with exit code 3 and the reason; a pickle that this
Python cannot load exits with 4 and names the versions involved. Nothing is written then.
"""
import argparse
import contextlib
import copy
import hashlib
import os
import platform
import re
import sys
import tempfile
import warnings

EXIT_REFUSED = 3
EXIT_ENVIRONMENT = 4

INSTALL_HINT = (
    "install them with `apt-get install python3-sklearn python3-onnx` (Debian) or "
    "`pip install scikit-learn onnx`, and point $PYTHON at that interpreter"
)

try:
    import joblib
    import numpy as np
    import onnx
    import sklearn
    from onnx import TensorProto, checker, helper, numpy_helper
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
except ImportError as err:  # pragma: no cover - depends on the machine
    print(f"pickle_to_onnx.py needs numpy, scikit-learn, joblib and onnx ({err}); {INSTALL_HINT}", file=sys.stderr)
    sys.exit(EXIT_ENVIRONMENT)

# Keep these in step with train/onnx/onnx-graph.ts: both writers emit this layout.
IR_VERSION = 8
OPSET_ONNX = 17
OPSET_ML = 3
INPUT_NAME = "features"
LABEL_NAME = "label"
SCORES_NAME = "scores"
ONNX_KERNELS = {"linear": "LINEAR", "poly": "POLY", "rbf": "RBF", "sigmoid": "SIGMOID"}
SCORES_DOC = (
    "one-vs-one decision values, pairs (0,1),(0,2),...,(1,2),...; "
    "positive votes for the pair's first class (libsvm's sign)"
)
# Classes a joblib pickle of a fitted StandardScaler/SVC legitimately names. Anything else
# (os.system, builtins.eval, ...) is refused before it is called.
ALLOWED_GLOBALS = re.compile(
    r"^(sklearn\.[\w.]+|numpy(\._core|\.core)?(\.multiarray|\.numeric)?|joblib\.numpy_pickle|copyreg|_codecs)$"
)


class Refusal(Exception):
    """The input is valid but this converter cannot reproduce it exactly."""


class EnvironmentProblem(Exception):
    """The pickle cannot be loaded by this Python's packages."""


def runtime_versions():
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "onnx": onnx.__version__,
    }


@contextlib.contextmanager
def numpy2_aliases():
    """numpy 2 pickles name `numpy._core`; numpy 1.x has the same functions under `numpy.core`."""
    if int(np.__version__.split(".")[0]) >= 2:
        yield False
        return
    import numpy.core.multiarray  # noqa: F401 - make the submodules importable for the alias
    import numpy.core.numeric  # noqa: F401

    names = ["", ".multiarray", ".numeric"]
    added = [f"numpy._core{n}" for n in names if f"numpy._core{n}" not in sys.modules]
    for n in names:
        sys.modules.setdefault(f"numpy._core{n}", sys.modules[f"numpy.core{n}"])
    try:
        yield True
    finally:
        for name in added:
            del sys.modules[name]


def load_pickle(path):
    """joblib.load with an allowlist of globals, the numpy 2 alias, and the writer's versions recorded."""
    from joblib import numpy_pickle

    names = []
    original = numpy_pickle.NumpyUnpickler.find_class

    def find_class(self, module, name):
        names.append(f"{module}.{name}")
        if not ALLOWED_GLOBALS.match(module):
            raise Refusal(f"{path}: the pickle calls {module}.{name}, which a fitted scikit-learn estimator never needs; refusing to load it")
        return original(self, module, name)

    numpy_pickle.NumpyUnpickler.find_class = find_class
    try:
        with numpy2_aliases(), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                obj = joblib.load(path)
            except (ModuleNotFoundError, AttributeError, ImportError, TypeError, ValueError) as err:
                raise EnvironmentProblem(version_message(path, names, None, f"unpickling failed: {err}")) from err
    finally:
        numpy_pickle.NumpyUnpickler.find_class = original
    written_numpy = "2.x" if any(n.startswith("numpy._core.") for n in names) else "1.x" if any(n.startswith("numpy.core.") for n in names) else None
    written_sklearn = sklearn.__version__
    for w in caught:
        m = re.search(r"from version (\S+) when using version", str(w.message))
        if m:
            written_sklearn = m.group(1)
    return obj, {"numpy": written_numpy, "scikit-learn": written_sklearn}


def version_message(path, names, written, detail):
    numpy2 = any(n.startswith("numpy._core") for n in names)
    needs = "numpy>=2 (the pickle names numpy._core, so it was written by numpy 2)" if numpy2 else "the numpy and scikit-learn versions that wrote it"
    have = ", ".join(f"{k} {v}" for k, v in runtime_versions().items())
    return f"{path}: {detail}. This Python has {have}; the pickle needs {needs}. Load it with the versions that wrote it (e.g. `pip install 'numpy>=2' scikit-learn`) or re-save it from there."


def unwrap(scaler_obj, svc_obj, svc_path):
    if scaler_obj is None:
        if not isinstance(svc_obj, Pipeline):
            raise Refusal(f"{svc_path}: without --scaler, --svc must be a Pipeline of [StandardScaler, SVC]; found {type(svc_obj).__name__}")
        steps = [s for _, s in svc_obj.steps if s not in (None, "passthrough")]
        if len(steps) != 2:
            raise Refusal(f"{svc_path}: only a Pipeline of exactly [StandardScaler, SVC] converts; found steps {[type(s).__name__ for s in steps]}")
        scaler_obj, svc_obj = steps
    if type(scaler_obj) is not StandardScaler:
        raise Refusal(f"scaler: only sklearn.preprocessing.StandardScaler converts; found {type(scaler_obj).__module__}.{type(scaler_obj).__name__}")
    if type(svc_obj) is not SVC:
        raise Refusal(
            f"svc: only sklearn.svm.SVC converts (one-vs-one C-SVC); found {type(svc_obj).__module__}.{type(svc_obj).__name__}"
        )
    return scaler_obj, svc_obj


def finite(name, a):
    a = np.asarray(a, dtype=np.float64)
    if not np.all(np.isfinite(a)):
        raise Refusal(f"{name} holds non-finite values")
    return a


def extract(scaler, svc, class_names, feature_names):
    """The numbers of the model, in the artifact's conventions (libsvm's sign for every class count)."""
    if not hasattr(svc, "support_vectors_"):
        raise Refusal("svc: the SVC is not fitted")
    if svc.probability:
        raise Refusal(
            "svc: probability=True; predict_proba comes from libsvm's Platt scaling fitted by internal cross-validation, "
            "which this graph does not reproduce. Refit with probability=False (labels and decision values do not depend on it)"
        )
    if getattr(svc, "break_ties", False) and svc.decision_function_shape == "ovr" and len(svc.classes_) > 2:
        raise Refusal("svc: break_ties=True predicts by the one-vs-rest confidence, not by one-vs-one votes; refit with break_ties=False")
    if not isinstance(svc.kernel, str) or svc.kernel not in ONNX_KERNELS:
        raise Refusal(f"svc: kernel {svc.kernel!r} has no ONNX form; supported kernels are {', '.join(ONNX_KERNELS)}")
    if svc.kernel == "poly" and svc.degree < 1:
        raise Refusal(f"svc: a poly kernel of degree {svc.degree} is constant; refit with degree >= 1")
    if svc.fit_status_ != 0:
        raise Refusal(f"svc: libsvm did not converge (fit_status_={svc.fit_status_})")
    classes = np.asarray(svc.classes_)
    k = len(classes)
    if k < 2:
        raise Refusal(f"svc: {k} class; a classifier needs at least 2")
    sv = svc.support_vectors_
    if hasattr(sv, "toarray"):
        sv = sv.toarray()
    sv = finite("svc.support_vectors_", sv)
    n_support = np.asarray(svc._n_support if hasattr(svc, "_n_support") else svc.n_support_, dtype=np.int64)
    # _dual_coef_ and _intercept_ keep libsvm's sign; scikit-learn negates the public ones for two classes.
    dual = svc._dual_coef_ if hasattr(svc, "_dual_coef_") else (-svc.dual_coef_ if k == 2 else svc.dual_coef_)
    if hasattr(dual, "toarray"):
        dual = dual.toarray()
    dual = finite("svc.dual_coef_", dual)
    intercept = finite("svc.intercept_", svc._intercept_ if hasattr(svc, "_intercept_") else (-svc.intercept_ if k == 2 else svc.intercept_))
    n_features = sv.shape[1]
    if scaler.n_features_in_ != n_features:
        raise Refusal(f"the scaler has {scaler.n_features_in_} features, the SVC {n_features}")
    checks = [
        (n_support.shape == (k,) and int(n_support.sum()) == sv.shape[0], f"n_support {n_support.tolist()} vs {sv.shape[0]} support vectors"),
        (dual.shape == (k - 1, sv.shape[0]), f"dual_coef_ shape {dual.shape}, expected {(k - 1, sv.shape[0])}"),
        (intercept.shape == (k * (k - 1) // 2,), f"intercept_ shape {intercept.shape}, expected {(k * (k - 1) // 2,)}"),
    ]
    for ok, what in checks:
        if not ok:
            raise Refusal(f"svc: inconsistent fitted state: {what}")
    gamma = float(svc._gamma)
    mean = finite("scaler.mean_", scaler.mean_ if scaler.with_mean else np.zeros(n_features))
    scale = finite("scaler.scale_", scaler.scale_ if scaler.with_std else np.ones(n_features))
    if np.any(scale <= 0):
        raise Refusal("scaler.scale_ holds a value <= 0")
    if class_names is None:
        class_names = [str(c) for c in classes]
    if len(class_names) != k:
        raise Refusal(f"--class-names names {len(class_names)} classes, the SVC has {k}: {classes.tolist()}")
    if feature_names is None:
        names_in = getattr(scaler, "feature_names_in_", None)
        feature_names = [str(n) for n in names_in] if names_in is not None else None
    if feature_names is not None and len(feature_names) != n_features:
        raise Refusal(f"{len(feature_names)} feature names for {n_features} features")
    return {
        "classes": list(class_names),
        "features": list(feature_names) if feature_names is not None else None,
        "source_classes": classes.tolist(),
        "kernel": {"type": svc.kernel, "gamma": gamma, "coef0": float(svc.coef0), "degree": int(svc.degree)},
        "vectors_per_class": n_support.tolist(),
        "support_vectors": sv,
        "dual_coef": dual,
        "intercepts": intercept,
        "mean": mean,
        "scale": scale,
    }


def decision_values(m, x_raw):
    """libsvm's svm_predict_values in numpy, from the extracted numbers: the reference for the cross-check."""
    xs = (x_raw - m["mean"]) / m["scale"]
    sv, kp = m["support_vectors"], m["kernel"]
    if kp["type"] == "rbf":
        d = xs[:, None, :] - sv[None, :, :]
        kv = np.exp(-kp["gamma"] * np.einsum("nsf,nsf->ns", d, d))
    else:
        dot = xs @ sv.T
        kv = {"linear": lambda: dot, "poly": lambda: (kp["gamma"] * dot + kp["coef0"]) ** kp["degree"], "sigmoid": lambda: np.tanh(kp["gamma"] * dot + kp["coef0"])}[kp["type"]]()
    k = len(m["classes"])
    starts = np.concatenate([[0], np.cumsum(m["vectors_per_class"])])
    out = []
    p = 0
    for i in range(k):
        for j in range(i + 1, k):
            si, sj = slice(starts[i], starts[i + 1]), slice(starts[j], starts[j + 1])
            out.append(kv[:, si] @ m["dual_coef"][j - 1, si] + kv[:, sj] @ m["dual_coef"][i, sj] + m["intercepts"][p])
            p += 1
    return np.stack(out, axis=1)


def votes_to_class(scores, k):
    votes = np.zeros((scores.shape[0], k), dtype=np.int64)
    p = 0
    for i in range(k):
        for j in range(i + 1, k):
            votes[:, i] += scores[:, p] > 0
            votes[:, j] += scores[:, p] <= 0
            p += 1
    return np.argmax(votes, axis=1)


def cross_check(m, scaler, svc):
    """scikit-learn's own predict/decision_function on the loaded objects must match the extracted math.

    Probe rows: each support vector mapped back to raw units, and the midpoints of consecutive ones.
    A pickle that a different scikit-learn version loaded inconsistently fails here, not later.
    """
    sv_raw = m["support_vectors"] * m["scale"] + m["mean"]
    probes = np.concatenate([sv_raw, (sv_raw[:-1] + sv_raw[1:]) / 2])
    ovo = copy.copy(svc)
    ovo.decision_function_shape = "ovo"
    ours = decision_values(m, probes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # feature-name warnings: the scaler may have been fitted on a DataFrame
        xs = scaler.transform(probes)
        theirs = ovo.decision_function(xs).reshape(len(probes), -1)
        predicted = svc.predict(xs)
    if len(m["classes"]) == 2:
        theirs = -theirs
    diff = float(np.max(np.abs(ours - theirs)))
    if diff > 1e-9:
        raise Refusal(f"the extracted model disagrees with scikit-learn's decision_function by {diff:.3g} on probe rows; the loaded pickle is not what this converter understands")
    ours_label = votes_to_class(ours, len(m["classes"]))
    if not np.array_equal(np.asarray(svc.classes_)[ours_label], predicted):
        raise Refusal("the extracted model's votes disagree with scikit-learn's predict on probe rows")
    return diff


def build_graph_float32(m):
    k, f = len(m["classes"]), m["support_vectors"].shape[1]
    p = k * (k - 1) // 2
    f32 = np.finfo(np.float32).max
    for key in ("support_vectors", "dual_coef", "intercepts", "mean", "scale"):
        if np.any(np.abs(m[key]) > f32):
            raise Refusal(f"{key} exceeds float32's range; use --precision float64")
    kp = m["kernel"]
    # For two classes onnxruntime's SVMClassifier writes [-v, v] per row; the graph keeps v, libsvm's value.
    svc_scores = SCORES_NAME if k > 2 else "scores_both"
    nodes = [
        helper.make_node("Scaler", [INPUT_NAME], ["scaled"], domain="ai.onnx.ml", name="scaler",
                         offset=m["mean"].tolist(), scale=(1.0 / m["scale"]).tolist()),
        helper.make_node(
            "SVMClassifier", ["scaled"], [LABEL_NAME, svc_scores], domain="ai.onnx.ml", name="svc",
            classlabels_strings=m["classes"],
            coefficients=m["dual_coef"].ravel().tolist(),
            kernel_params=[kp["gamma"], kp["coef0"], float(kp["degree"])],
            kernel_type=ONNX_KERNELS[kp["type"]],
            post_transform="NONE",
            rho=m["intercepts"].tolist(),
            support_vectors=m["support_vectors"].ravel().tolist(),
            vectors_per_class=m["vectors_per_class"],
        ),
    ]
    inits = []
    if k == 2:
        i64 = lambda name, v: numpy_helper.from_array(np.array(v, dtype=np.int64), name)  # noqa: E731
        inits = [i64("second_start", [1]), i64("second_end", [2]), i64("axis1", [1])]
        nodes.append(helper.make_node("Slice", [svc_scores, "second_start", "second_end", "axis1"], [SCORES_NAME], name="libsvm_sign"))
    return nodes, inits, TensorProto.FLOAT, f, p


def build_graph_float64(m):
    """Standard ops on doubles. W[s, pair] holds the coefficient of support vector s in that pair (0 outside it)."""
    k, f = len(m["classes"]), m["support_vectors"].shape[1]
    p = k * (k - 1) // 2
    sv = m["support_vectors"]
    n_sv = sv.shape[0]
    starts = np.concatenate([[0], np.cumsum(m["vectors_per_class"])])
    w = np.zeros((n_sv, p))
    vote_delta = np.zeros((p, k))
    vote_base = np.zeros(k)
    q = 0
    for i in range(k):
        for j in range(i + 1, k):
            w[starts[i]:starts[i + 1], q] = m["dual_coef"][j - 1, starts[i]:starts[i + 1]]
            w[starts[j]:starts[j + 1], q] = m["dual_coef"][i, starts[j]:starts[j + 1]]
            vote_delta[q, i], vote_delta[q, j] = 1.0, -1.0
            vote_base[j] += 1.0
            q += 1
    kp = m["kernel"]
    d = lambda name, a: numpy_helper.from_array(np.asarray(a, dtype=np.float64), name)  # noqa: E731
    inits = [
        d("mean", m["mean"]), d("scale", m["scale"]), d("coefficients", w), d("rho", m["intercepts"]),
        d("vote_delta", vote_delta), d("vote_base", vote_base), d("zero", [0.0]),
        numpy_helper.from_array(np.array(m["classes"], dtype=object), "classlabels"),
    ]
    node = helper.make_node
    nodes = [node("Sub", [INPUT_NAME, "mean"], ["centered"], name="center"), node("Div", ["centered", "scale"], ["scaled"], name="scale")]
    if kp["type"] == "rbf":
        # |x - s|^2 summed feature by feature, as libsvm's k_function does (no |x|^2 + |s|^2 - 2x.s cancellation).
        inits += [d("support_vectors", sv), d("neg_gamma", [-kp["gamma"]]),
                  numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"), numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2")]
        nodes += [
            node("Unsqueeze", ["scaled", "axis1"], ["scaled_3d"], name="rows_3d"),
            node("Sub", ["scaled_3d", "support_vectors"], ["diff"], name="diff"),
            node("Mul", ["diff", "diff"], ["diff_sq"], name="diff_sq"),
            node("ReduceSum", ["diff_sq", "axis2"], ["dist_sq"], name="dist_sq", keepdims=0),
            node("Mul", ["dist_sq", "neg_gamma"], ["exponent"], name="exponent"),
            node("Exp", ["exponent"], ["kernel"], name="kernel"),
        ]
    else:
        inits.append(d("support_vectors_t", sv.T))
        nodes.append(node("MatMul", ["scaled", "support_vectors_t"], ["dot" if kp["type"] != "linear" else "kernel"], name="dot"))
        if kp["type"] != "linear":
            # gamma as a row, not a scalar: onnxruntime fuses MatMul * scalar into FusedMatMul, whose alpha is float32.
            inits += [d("gamma", np.full(n_sv, kp["gamma"])), d("coef0", [kp["coef0"]])]
            nodes += [node("Mul", ["dot", "gamma"], ["dot_scaled"], name="dot_scaled"), node("Add", ["dot_scaled", "coef0"], ["affine"], name="affine")]
            if kp["type"] == "poly":
                inits.append(d("degree", [float(kp["degree"])]))
                nodes.append(node("Pow", ["affine", "degree"], ["kernel"], name="kernel"))
            else:
                nodes.append(node("Tanh", ["affine"], ["kernel"], name="kernel"))
    nodes += [
        node("MatMul", ["kernel", "coefficients"], ["weighted"], name="weighted"),
        node("Add", ["weighted", "rho"], [SCORES_NAME], name="scores"),
        node("Greater", [SCORES_NAME, "zero"], ["positive"], name="positive"),
        node("Cast", ["positive"], ["positive_f"], name="positive_f", to=TensorProto.DOUBLE),
        node("MatMul", ["positive_f", "vote_delta"], ["vote_change"], name="vote_change"),
        node("Add", ["vote_change", "vote_base"], ["votes"], name="votes"),
        # Ties go to the lowest class index, libsvm's rule.
        node("ArgMax", ["votes"], ["class_index"], name="class_index", axis=1, keepdims=0, select_last_index=0),
        node("Gather", ["classlabels", "class_index"], [LABEL_NAME], name="label", axis=0),
    ]
    return nodes, inits, TensorProto.DOUBLE, f, p


def build_model(m, precision, source):
    nodes, inits, dtype, f, p = (build_graph_float64 if precision == "float64" else build_graph_float32)(m)
    graph = helper.make_graph(
        nodes,
        "gridsentry_svc",
        [helper.make_tensor_value_info(INPUT_NAME, dtype, ["N", f])],
        [helper.make_tensor_value_info(LABEL_NAME, TensorProto.STRING, ["N"]), helper.make_tensor_value_info(SCORES_NAME, dtype, ["N", p])],
        initializer=inits,
    )
    opsets = [helper.make_opsetid("", OPSET_ONNX)] + ([helper.make_opsetid("ai.onnx.ml", OPSET_ML)] if precision == "float32" else [])
    model = helper.make_model(graph, opset_imports=opsets, producer_name="gridsentry-pickle-to-onnx", producer_version="1")
    model.ir_version = IR_VERSION
    classes = m["classes"]
    pairs = [f"{classes[i]}-{classes[j]}" for i in range(len(classes)) for j in range(i + 1, len(classes))]
    # Feature names are recorded only when known (the scaler's feature_names_in_ or --feature-names).
    props = {"gridsentry.features": ",".join(m["features"])} if m["features"] is not None else {}
    helper.set_model_props(model, {
        **props,
        "gridsentry.classes": ",".join(classes),
        "gridsentry.pairs": ",".join(pairs),
        "gridsentry.scores": SCORES_DOC,
        "gridsentry.precision": precision,
        "gridsentry.source": source,
    })
    checker.check_model(model, full_check=True)
    return model


def write_atomically(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".pickle_to_onnx-", suffix=".onnx")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def sha256(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def convert(scaler_path, svc_path, out, precision="float32", class_names=None, feature_names=None):
    scaler_obj, written = load_pickle(scaler_path) if scaler_path else (None, None)
    svc_obj, svc_written = load_pickle(svc_path)
    scaler, svc = unwrap(scaler_obj, svc_obj, svc_path)
    m = extract(scaler, svc, class_names, feature_names)
    diff = cross_check(m, scaler, svc)
    runtime = runtime_versions()
    source = (
        f"scikit-learn {svc_written['scikit-learn']} pickle {os.path.basename(svc_path)} sha256:{sha256(svc_path)}"
        + f" (classes_ {m['source_classes']} named {','.join(m['classes'])})"
        + (f" + {os.path.basename(scaler_path)} sha256:{sha256(scaler_path)}" if scaler_path else "")
        + f"; converted with scikit-learn {runtime['scikit-learn']}, numpy {runtime['numpy']}, onnx {runtime['onnx']}"
    )
    model = build_model(m, precision, source)
    write_atomically(out, model.SerializeToString())
    notes = []
    for who, w in (("scaler", written), ("svc", svc_written)):
        if w and w["scikit-learn"] != runtime["scikit-learn"]:
            notes.append(f"{who} was written by scikit-learn {w['scikit-learn']} and loaded with {runtime['scikit-learn']}")
        if w and w["numpy"] == "2.x" and not runtime["numpy"].startswith("2."):
            notes.append(f"{who} was written by numpy 2.x and loaded with numpy {runtime['numpy']} through the numpy._core alias")
    return {"model": m, "cross_check_max_diff": diff, "notes": notes}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scaler", help="joblib pickle of a fitted StandardScaler (omit when --svc is a Pipeline)")
    ap.add_argument("--svc", required=True, help="joblib pickle of a fitted SVC, or of a Pipeline [StandardScaler, SVC]")
    ap.add_argument("--out", required=True, help="ONNX file to write")
    ap.add_argument("--precision", choices=["float32", "float64"], default="float32")
    ap.add_argument("--class-names", help="comma-separated names of the SVC's classes_, in classes_ order (default: str of each)")
    ap.add_argument("--feature-names", help="comma-separated feature names (default: the scaler's feature_names_in_)")
    args = ap.parse_args(argv)
    split = lambda s: [x.strip() for x in s.split(",")] if s else None  # noqa: E731
    try:
        result = convert(args.scaler, args.svc, args.out, args.precision, split(args.class_names), split(args.feature_names))
    except Refusal as err:
        print(f"pickle_to_onnx.py: cannot convert exactly: {err}", file=sys.stderr)
        return EXIT_REFUSED
    except EnvironmentProblem as err:
        print(f"pickle_to_onnx.py: {err}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    m = result["model"]
    for note in result["notes"]:
        print(f"note: {note}", file=sys.stderr)
    print(
        f"wrote {args.out}: {args.precision}, classes {','.join(m['classes'])}, {m['support_vectors'].shape[0]} support vectors, "
        f"features {','.join(m['features']) if m['features'] else '(unnamed)'}; extracted math vs scikit-learn: max |diff| {result['cross_check_max_diff']:.3g}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

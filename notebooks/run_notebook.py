"""Runs a notebook's code cells in order in one namespace, from the notebook's folder as Jupyter does.

    $PYTHON notebooks/run_notebook.py notebooks/svm_power_theft.ipynb

Needs only the standard library (json) and whatever the notebook imports; for machines without
jupyter-nbconvert. Exits non-zero at the first cell that raises, naming it.
"""
import json
import os
import sys
import traceback


def run(path):
    with open(path) as fh:
        nb = json.load(fh)
    if nb.get("nbformat") != 4:
        raise SystemExit(f"{path}: expected nbformat 4, found {nb.get('nbformat')}")
    os.chdir(os.path.dirname(os.path.abspath(path)))
    namespace = {"__name__": "__main__"}
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for i, cell in enumerate(cells, 1):
        source = "".join(cell["source"])
        try:
            exec(compile(source, f"{os.path.basename(path)}[code cell {i}]", "exec"), namespace)
        except Exception:
            traceback.print_exc()
            print(f"{path}: code cell {i} of {len(cells)} failed", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.exit(run(sys.argv[1]))

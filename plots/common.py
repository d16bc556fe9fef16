"""Shared helpers for the figure scripts: reading a sweep folder's CSV files
and saving a figure as PDF and PNG. Run the scripts with Debian's
/usr/bin/python3 (python3-matplotlib)."""
import argparse
import csv
import glob
import math
import os
import re

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams.update({
    "figure.figsize": (5.2, 3.4),
    "figure.dpi": 110,
    "font.size": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "savefig.bbox": "tight",
})


def parse_args(description, inputs=1):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("dirs", nargs=inputs, help="sweep folder(s) written by snapsim sweep")
    p.add_argument("--out", required=True, help="folder for the PDF and PNG")
    return p.parse_args()


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def results(d):
    return read_csv(os.path.join(d, "results.csv"))


def aggregate(d):
    return read_csv(os.path.join(d, "aggregate.csv"))


def num(row, key, default=math.nan):
    v = row.get(key, "")
    try:
        return float(v) if v != "" else default
    except ValueError:
        return default


_UNITS = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}


def duration_ns(text):
    """A scenario duration ("6us", "1.5ms", "6000") in ns."""
    m = re.fullmatch(r"\s*([0-9.eE+-]+)\s*(ns|us|ms|s)?\s*", text)
    if not m:
        raise ValueError("not a duration: %r" % text)
    return float(m.group(1)) * _UNITS[m.group(2) or "ns"]


def sigma_of(dist_text):
    """The sigma of a lognormal distribution written in flow YAML."""
    m = re.search(r"sigma:\s*([0-9.]+)", dist_text)
    return float(m.group(1)) if m else math.nan


def run_snapshots(d, point, repetition=None):
    """Rows of runs/<run>/snapshots.csv for a point (all repetitions)."""
    pattern = "p%06d-r%s" % (point, "*" if repetition is None else "%04d" % repetition)
    rows = []
    for path in sorted(glob.glob(os.path.join(d, "runs", pattern, "snapshots.csv"))):
        rows.extend(read_csv(path))
    return rows


def save(fig, out_dir, name):
    os.makedirs(out_dir, exist_ok=True)
    for ext in ("pdf", "png"):
        fig.savefig(os.path.join(out_dir, "%s.%s" % (name, ext)))
    plt.close(fig)
    print("wrote %s/%s.pdf and .png" % (out_dir, name))

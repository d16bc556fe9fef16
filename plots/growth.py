#!/usr/bin/python3
"""Time per event against the number of processes (issue 7's growth target):
per series, the median over rounds with the range as a bar, and a dashed line
at twice the median at the smallest size (the target: within 2x across the
range). Input: the CSV of bench/engine/growth.sh."""
import argparse
import statistics
from collections import defaultdict

from common import num, plt, read_csv, save

LABELS = {
    "tokens-ring": "engine: tokens on a ring, no checker",
    "ogm-sparse-checker": "OGM + online checker, sparse cloud",
}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("csv", help="output of bench/engine/growth.sh")
    p.add_argument("--out", required=True, help="folder for the PDF and PNG")
    args = p.parse_args()
    rows = read_csv(args.csv)
    if not rows:
        raise SystemExit("growth.py: %s has no rows" % args.csv)
    runs = defaultdict(lambda: defaultdict(list))  # series -> processes -> ns/event
    for r in rows:
        runs[r["series"]][int(r["processes"])].append(num(r, "ns_per_event"))
    fig, ax = plt.subplots()
    top = 0
    for series, by_size in sorted(runs.items()):
        sizes = sorted(by_size)
        medians = [statistics.median(by_size[n]) for n in sizes]
        low = [m - min(by_size[n]) for m, n in zip(medians, sizes)]
        high = [max(by_size[n]) - m for m, n in zip(medians, sizes)]
        growth = medians[-1] / medians[0]
        line = ax.errorbar(sizes, medians, yerr=[low, high], marker="o", ms=4, capsize=3,
                           label="%s (%.2fx over the range)" % (LABELS.get(series, series), growth))
        ax.axhline(2 * medians[0], color=line[0].get_color(), ls="--", lw=0.8)
        top = max(top, 2 * medians[0], max(max(by_size[n]) for n in sizes))
    rounds = max(len(v) for by_size in runs.values() for v in by_size.values())
    ax.set_xscale("log")
    ax.set_ylim(0, 1.3 * top)  # room for the legend above the lines
    ax.set_xlabel("processes")
    ax.set_ylabel("ns per event (median of %d; bars: range)" % rounds)
    ax.set_title("Time per event against size (dashed: 2x the smallest size)")
    ax.legend(loc="upper left")
    save(fig, args.out, "fig-growth")


if __name__ == "__main__":
    main()

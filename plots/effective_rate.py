#!/usr/bin/python3
"""Effective snapshot rate of OGM vs requested frequency, one line per |G|
(the paper's Fig. 11). Input: a sweep of experiments/figures/effective_rate.yaml."""
import collections

from common import aggregate, num, parse_args, plt, save


def main():
    args = parse_args(__doc__)
    series = collections.defaultdict(list)
    for r in aggregate(args.dirs[0]):
        g = int(r["topology.gateways"])
        series[g].append((num(r, "protocol.snapshots.rate_hz"),
                          num(r, "snapshots.effective_rate_hz.mean"),
                          num(r, "snapshots.effective_rate_hz.ci95", 0.0)))
    fig, ax = plt.subplots()
    lo, hi = float("inf"), 0
    for g in sorted(series):
        pts = sorted(series[g])
        xs = [p[0] for p in pts]
        ys = [max(p[1], 1.0) for p in pts]  # log axis: show zero as 1
        err = [0 if p[2] != p[2] else p[2] for p in pts]
        ax.errorbar(xs, ys, yerr=err, marker="o", ms=3, capsize=2, label="|G| = %d" % g)
        lo, hi = min(lo, xs[0]), max(hi, xs[-1])
    ax.plot([lo, hi], [lo, hi], "k--", lw=0.8, label="every snapshot accepted")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xlabel("requested snapshot frequency (Hz)")
    ax.set_ylabel("effective rate (accepted / s)")
    ax.set_title("OGM: effective snapshot rate")
    ax.legend()
    save(fig, args.out, "fig-effective-rate")


if __name__ == "__main__":
    main()

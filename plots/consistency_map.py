#!/usr/bin/python3
"""The consistency map: for every protocol x condition, the fraction of
accepted snapshots that the causal-cut checker finds inconsistent (summed
over repetitions). Inputs: sweeps of experiments/figures/consistency_classic.yaml
and consistency_gateway.yaml."""
import collections

from common import duration_ns, num, parse_args, plt, results, save

CONDITIONS = ["baseline", "non-FIFO", "clock skew", "out-group heavy", "tau misconfigured"]


def condition(r):
    if r.get("protocol.tau") and duration_ns(r["protocol.tau"]) > 100e3:
        return "tau misconfigured"
    if r["channels.default.fifo"] == "false":
        return "non-FIFO"
    if r["clocks.offset"] not in ("0", ""):
        return "clock skew"
    if num(r, "workload.p_external") > 0.5:
        return "out-group heavy"
    return "baseline"


def main():
    args = parse_args(__doc__, inputs="+")
    acc = collections.Counter()
    bad = collections.Counter()
    protocols = []
    for d in args.dirs:
        for r in results(d):
            key = (r["protocol.kind"], condition(r))
            if r["protocol.kind"] not in protocols:
                protocols.append(r["protocol.kind"])
            acc[key] += num(r, "snapshots.accepted", 0)
            bad[key] += num(r, "snapshots.accepted_inconsistent", 0)
    fig, ax = plt.subplots(figsize=(6.4, 0.42 * len(protocols) + 1.2))
    grid = []
    for p in protocols:
        row = []
        for c in CONDITIONS:
            row.append(bad[(p, c)] / acc[(p, c)] if acc[(p, c)] > 0 else float("nan"))
        grid.append(row)
    im = ax.imshow(grid, cmap="Reds", vmin=0, vmax=1, aspect="auto")
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if v != v:
                text = "n/a" if (protocols[i], CONDITIONS[j]) not in acc else "none accepted"
            else:
                text = "%.1f%%" % (100 * v) if v > 0 else "0"
            ax.text(j, i, text, ha="center", va="center", fontsize=7,
                    color="white" if v == v and v > 0.5 else "black")
    ax.set_xticks(range(len(CONDITIONS)))
    ax.set_xticklabels(CONDITIONS, rotation=20, ha="right")
    ax.set_yticks(range(len(protocols)))
    ax.set_yticklabels(protocols)
    ax.grid(False)
    ax.set_title("Accepted snapshots that are inconsistent")
    fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    save(fig, args.out, "fig-consistency-map")
    for i, p in enumerate(protocols):
        print("%-30s %s" % (p, "  ".join("%s=%s" % (c, "n/a" if v != v else "%.3f" % v)
                                         for c, v in zip(CONDITIONS, grid[i]))))


if __name__ == "__main__":
    main()

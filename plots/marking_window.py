#!/usr/bin/python3
"""t1 - t0 (the controller's marking window) against the true marking spread,
per snapshot (the paper's Fig. 13). Input: a sweep of
experiments/figures/marking_window.yaml run with --per-run."""
from common import num, parse_args, plt, results, run_snapshots, save


def main():
    args = parse_args(__doc__)
    d = args.dirs[0]
    points = {}
    for r in results(d):
        points[int(r["point"])] = int(r["topology.gateways"])
    fig, ax = plt.subplots()
    top = 0
    for point, g in sorted(points.items()):
        xs, ys = [], []
        for s in run_snapshots(d, point):
            if s["t1_ns"] and s["true_spread_ns"]:
                xs.append(num(s, "true_spread_ns") / 1000)
                ys.append((num(s, "t1_ns") - num(s, "t0_ns")) / 1000)
        if not xs:
            continue
        below = sum(1 for x, y in zip(xs, ys) if y < x)
        ax.scatter(xs, ys, s=4, alpha=0.5,
                   label="|G| = %d (%d snapshots, %d below the diagonal)" % (g, len(xs), below))
        top = max(top, max(xs), max(ys))
    ax.plot([0, top], [0, top], "k--", lw=0.8, label="t1 - t0 = true spread")
    ax.set_xlabel("true marking spread (us)")
    ax.set_ylabel("t1 - t0 seen by the controller (us)")
    ax.set_title("OGM: the marking window bounds the true spread")
    ax.legend(loc="upper left")
    save(fig, args.out, "fig-marking-window")


if __name__ == "__main__":
    main()

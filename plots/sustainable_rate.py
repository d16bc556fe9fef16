#!/usr/bin/python3
"""Highest sustainable snapshot frequency vs |G| for OGM pipelined, OGM
serial and blocking (the paper's Fig. 10). Input: a sweep of
experiments/figures/sustainable_rate.yaml.

A frequency f is sustainable when fewer than 1% of the schedule's ticks are
skipped and fewer than 1% of the decided snapshots are rejected (at least
98% of the requested snapshots are taken and accepted; the few still
unfinished when the run ends are neither). Each bar is the
highest sustainable f of the grid (the median over repetitions, if any)."""
import collections
import statistics

from common import num, parse_args, plt, results, save

SKIP_MAX = 0.01
REJECT_MAX = 0.01


def sustainable(r):
    ticks = max(num(r, "protocol.ticks"), 1.0)
    return (num(r, "protocol.skipped_ticks") / ticks < SKIP_MAX and
            num(r, "snapshots.rejection_rate") < REJECT_MAX)


def variant(r):
    kind, mif = r["protocol.kind"], int(r["protocol.max_in_flight"])
    if kind == "ogm":
        return "OGM pipelined" if mif > 1 else "OGM serial"
    return "blocking" if mif > 1 else "blocking serial"


def main():
    args = parse_args(__doc__)
    best = collections.defaultdict(dict)  # (variant, G) -> repetition -> f
    for r in results(args.dirs[0]):
        key = (variant(r), int(r["topology.gateways"]))
        rep = r["repetition"]
        f = num(r, "protocol.snapshots.rate_hz")
        if sustainable(r) and f > best[key].get(rep, 0):
            best[key][rep] = f
        best[key].setdefault(rep, 0)
    variants = [v for v in ("OGM pipelined", "OGM serial", "blocking", "blocking serial")
                if any(k[0] == v for k in best)]
    gs = sorted({k[1] for k in best})
    fig, ax = plt.subplots()
    width = 0.8 / len(variants)
    for i, v in enumerate(variants):
        ys = [statistics.median(best[(v, g)].values()) if (v, g) in best else 0 for g in gs]
        xs = [j + (i - (len(variants) - 1) / 2) * width for j in range(len(gs))]
        bars = ax.bar(xs, ys, width, label=v)
        for b, y in zip(bars, ys):
            ax.annotate("%.0fk" % (y / 1000) if y >= 1000 else "%.0f" % y,
                        (b.get_x() + b.get_width() / 2, y), ha="center", va="bottom", fontsize=6)
    ax.set_xticks(range(len(gs)))
    ax.set_xticklabels([str(g) for g in gs])
    ax.set_yscale("log", base=2)
    ax.set_xlabel("gateways |G|")
    ax.set_ylabel("highest sustainable frequency (Hz)")
    ax.set_title("Sustainable snapshot frequency (<1% skipped, <1% rejected)")
    ax.legend(loc="upper right")
    save(fig, args.out, "fig-sustainable-rate")
    for v in variants:
        print("%-16s %s" % (v, "  ".join("G=%d: %.0f Hz" % (g, statistics.median(
            best[(v, g)].values())) for g in gs if (v, g) in best)))


if __name__ == "__main__":
    main()

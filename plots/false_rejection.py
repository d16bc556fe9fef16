#!/usr/bin/python3
"""OGM's false-rejection rate against tau, one line per controller latency
tail, and the tail itself: the distribution of t1 - t0. Input: a sweep of
experiments/figures/false_rejection.yaml run with --per-run."""
import collections

from common import duration_ns, num, parse_args, plt, results, run_snapshots, save, sigma_of


def main():
    args = parse_args(__doc__)
    d = args.dirs[0]
    fr = collections.defaultdict(lambda: collections.defaultdict(list))
    bad = collections.defaultdict(lambda: collections.defaultdict(list))
    points_by_sigma = collections.defaultdict(list)
    for r in results(d):
        s = sigma_of(r["channels.controller_to_gateway.latency"])
        tau = duration_ns(r["protocol.tau"]) / 1000
        # Among the snapshots OGM decided (those unfinished at the end are neither).
        decided = max(num(r, "snapshots.accepted") + num(r, "snapshots.rejected"), 1)
        fr[s][tau].append(num(r, "snapshots.false_rejections") / decided)
        accepted = num(r, "snapshots.accepted")
        if accepted > 0:
            bad[s][tau].append(num(r, "snapshots.accepted_inconsistent") / accepted)
        points_by_sigma[s].append(int(r["point"]))
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(8.4, 3.3))
    for s in sorted(fr):
        taus = sorted(fr[s])
        line, = a1.plot(taus, [sum(fr[s][t]) / len(fr[s][t]) for t in taus], marker="o", ms=3,
                        label="sigma %.1f" % s)
        bt = sorted(t for t in bad[s] if any(v > 0 for v in bad[s][t]))
        if bt:
            a1.plot(bt, [sum(bad[s][t]) / len(bad[s][t]) for t in bt], "x", color=line.get_color(),
                    ms=5)
        # The tail: CCDF of t1 - t0 over every run of this tail.
        w = []
        for p in sorted(set(points_by_sigma[s])):
            for row in run_snapshots(d, p):
                if row["t1_ns"]:
                    w.append((num(row, "t1_ns") - num(row, "t0_ns")) / 1000)
        if w:
            w.sort()
            n = len(w)
            a2.plot(w, [1 - i / n for i in range(n)], color=line.get_color(),
                    label="sigma %.1f (p50 %.1f us, p99 %.1f us)" % (s, w[n // 2],
                                                                       w[min(n - 1, int(0.99 * n))]))
    a1.axvline(6, color="k", ls=":", lw=0.8)
    a1.text(6.3, 0.45, "shortest\nexternal\nchain", fontsize=7)
    a1.set_xlabel("tau (us)")
    a1.set_ylabel("false rejections / decided")
    a1.set_title("False rejections (x: accepted but inconsistent)")
    a1.legend(title="controller link lognormal", loc="center right")
    a2.set_xscale("log")
    a2.set_yscale("log")
    a2.set_xlabel("t1 - t0 (us)")
    a2.set_ylabel("fraction of snapshots above")
    a2.set_title("Controller marking window tail")
    a2.legend(fontsize=6)
    save(fig, args.out, "fig-false-rejection")


if __name__ == "__main__":
    main()

"""The stability engine's Monte Carlo exchange (docs/stability.md §3) as a
straightforward vectorised NumPy program: the reference that
bench/stability_benchmark.cc times beside the C++ engine, on the same plan.

Input (argv[1]): the plan as written by the benchmark, one record a line:
  aim   <warheads> <p_arrive_retaliation>
  shot  <aim index> <p_arrive> <p_clear> <sigma_m> <lethal_radius_m>
  group <warheads> <p_arrive>        (untargetable victim warheads)
  left  <warheads> <p_arrive>        (striker warheads not used)
argv[2]: trials; argv[3]: seed; argv[4], optional: --collapsed. Prints
one JSON line: seconds (the simulation only, not reading the plan or
starting Python), trials, and the mean victim survivors and arrivals, which
the benchmark checks against the analytic model so that both sides are
known to compute the same thing.

Same model, vectorised over trials: every shot is drawn (arrival, clear
skies, a circular normal miss), an aim point is killed if any shot kills
it, and the survivors of each aim point and group arrive by a binomial
draw (the sum of their independent Bernoulli draws). Launch under attack
is off in the benchmark's plan. Run with Debian's /usr/bin/python3.

--collapsed draws each shot's kill with one uniform against
arrive x clear x (1 - exp(-LR^2 / (2 sigma^2))), the product of its three
independent draws' probabilities (the collapse the C++ engine makes);
everything else is the same. The benchmark's target is judged against the
straightforward version; this one is timed beside it so that readers see
how much of the engine's lead the collapse alone explains.
"""
import json
import sys
import time

import numpy as np


def main():
    aims, shots, groups, left = [], [], [], []
    with open(sys.argv[1]) as f:
        for line in f:
            k, *v = line.split()
            {"aim": aims, "shot": shots, "group": groups, "left": left}[k].append(
                [float(x) for x in v])
    trials = int(sys.argv[2])
    rng = np.random.default_rng(int(sys.argv[3]))
    aims = np.array(aims)
    shots = np.array(shots)
    order = np.argsort(shots[:, 0], kind="stable")
    shots = shots[order]
    aim_of = shots[:, 0].astype(np.int64)
    starts = np.flatnonzero(np.r_[True, aim_of[1:] != aim_of[:-1]])
    targeted = aim_of[starts]
    groups = np.array(groups).reshape(-1, 2)
    left = np.array(left).reshape(-1, 2)

    if sys.argv[4:] not in ([], ["--collapsed"]):
        sys.exit("usage: stability_mc.py PLAN TRIALS SEED [--collapsed]")
    collapsed = sys.argv[4:] == ["--collapsed"]

    t0 = time.perf_counter()
    n = len(shots)
    if collapsed:
        sspk = 1.0 - np.exp(-shots[:, 4] ** 2 / (2.0 * shots[:, 3] ** 2))
        kill = rng.random((trials, n)) < shots[:, 1] * shots[:, 2] * sspk
    else:
        arrive = rng.random((trials, n)) < shots[:, 1]
        clear = rng.random((trials, n)) < shots[:, 2]
        xy = rng.standard_normal((trials, n, 2)) * shots[:, 3][None, :, None]
        hit = (xy ** 2).sum(axis=2) <= shots[:, 4] ** 2
        kill = arrive & clear & hit
    killed = np.zeros((trials, len(aims)), dtype=bool)
    killed[:, targeted] = np.logical_or.reduceat(kill, starts, axis=1)
    surviving = np.where(killed, 0, aims[:, 0].astype(np.int64))
    victim_arriving = rng.binomial(surviving, aims[:, 1]).sum(axis=1)
    for w, p in groups:
        victim_arriving += rng.binomial(int(w), p, size=trials)
    striker_arriving = np.zeros(trials, dtype=np.int64)
    for w, p in left:
        striker_arriving += rng.binomial(int(w), p, size=trials)
    victim_surviving = surviving.sum(axis=1) + int(groups[:, 0].sum())
    seconds = time.perf_counter() - t0

    print(json.dumps({
        "seconds": seconds,
        "trials": trials,
        "victim_surviving_mean": float(victim_surviving.mean()),
        "victim_arriving_mean": float(victim_arriving.mean()),
        "striker_arriving_mean": float(striker_arriving.mean()),
    }))


if __name__ == "__main__":
    main()

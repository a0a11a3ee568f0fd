"""Benchmark: 100,000 draws of the full scenario pipeline against a per-draw Python loop.

The pipeline is the one ``powerbalance scenario run`` executes: draw every
structural parameter and shock, carry the shocks through the trade matrix,
recompute dependence, tie weights, the Dittmer triangle, the closed-form
balance dynamics and the bargaining forecasts, then summarise. The baseline
calls the *same* functions once per draw (batches of one) in a Python loop;
by default it runs on a subsample of the draws and its time per draw is scaled
to the full count (``--full-loop`` runs it on every draw). Both are measured in
this one run, and the loop's outputs are checked against the vectorised ones.

The bargaining module's models (KTAB's spatial model ``pce``, the expected-utility
model ``eu``) run on a seeded subsample of the draws, not on all of them; their
time is measured apart: the pipeline figures above run without them, and the
extra time of the subsample (``--model-draws`` draws, base and shocked tables)
is reported on its own lines, in one process and in two.

    python benchmarks/bench_scenarios.py            # 100,000 draws, loop on 5,000
    python benchmarks/bench_scenarios.py --quick    # 20,000 draws, loop on 1,000
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from powerbalance.evidence import load_corpus
from powerbalance.scenarios.montecarlo import bargaining_input, draw_inputs, run_scenario
from powerbalance.scenarios.schema import Scenario, load_scenario
from powerbalance.scenarios.transmission import anchors_from_evidence, simulate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=100_000)
    ap.add_argument("--loop-draws", type=int, default=5_000)
    ap.add_argument("--full-loop", action="store_true", help="run the loop baseline on every draw")
    ap.add_argument("--quick", action="store_true", help="20,000 draws, loop on 1,000")
    ap.add_argument("--model-draws", type=int, default=200, help="draws the models run on")
    ap.add_argument(
        "--models", default="pce", help="comma-separated bargaining models (pce, eu) to time"
    )
    args = ap.parse_args()
    if args.quick:
        args.draws, args.loop_draws = 20_000, 1_000
    if args.full_loop:
        args.loop_draws = args.draws

    corpus = load_corpus()
    # reverse-kissinger runs every model (dependence, triangle, dynamics, bargaining);
    # sampling every structural parameter too makes each draw differ in all inputs.
    full = load_scenario("reverse-kissinger")
    full = full.model_copy(
        update={"montecarlo": full.montecarlo.model_copy(update={"sample_structural": True})}
    )
    spec = full.models.bargaining
    assert spec is not None

    def with_models(names: list[str]) -> Scenario:
        bargaining = spec.model_copy(update={"models": names})
        return full.model_copy(
            update={"models": full.models.model_copy(update={"bargaining": bargaining})}
        )

    # The pipeline figures leave the bargaining module's models out; they are timed below.
    scenario = with_models([])
    full = with_models(args.models.split(","))
    run_scenario(scenario, corpus, draws=1000, seed=1)  # warm imports and caches
    run_scenario(full, corpus, draws=100, seed=1, model_draws=2)

    rows = []
    t = time.perf_counter()
    vec = run_scenario(scenario, corpus, draws=args.draws, seed=7)
    t_vec = time.perf_counter() - t
    rows.append(("vectorised (numpy, 1 process)", args.draws, t_vec))

    workers = min(2, os.cpu_count() or 1)
    if workers > 1:
        t = time.perf_counter()
        par = run_scenario(
            scenario,
            corpus,
            draws=args.draws,
            seed=7,
            workers=workers,
            chunk=args.draws // workers + 1,
        )
        t_par = time.perf_counter() - t
        assert par.digest() == vec.digest()
        rows.append((f"vectorised (numpy, {workers} processes)", args.draws, t_par))

    # The baseline: the same pipeline one draw at a time.
    anchors = anchors_from_evidence(corpus, scenario.baseline)
    barg = bargaining_input(scenario)
    params, shock_values = draw_inputs(scenario, args.draws, 7, bargaining=barg)
    m = args.loop_draws
    t = time.perf_counter()
    loop_weights = np.empty((m, 3))
    loop_median = np.empty(m)
    for i in range(m):
        p = {k: v[i : i + 1] for k, v in params.items()}
        sv = [(s, v[i : i + 1]) for s, v in zip(scenario.shocks, shock_values, strict=True)]
        out = simulate(anchors, p, sv, n=1, models=scenario.models.run, bargaining=barg)
        loop_weights[i] = out["weights"][0]
        loop_median[i] = out["forecast_median"][0]
    t_loop = time.perf_counter() - t
    np.testing.assert_allclose(loop_weights, vec.arrays["weights"][:m], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(loop_median, vec.arrays["forecast_median"][:m])
    t_loop_full = t_loop * args.draws / m
    label = "per-draw Python loop" + ("" if m == args.draws else f" (measured on {m:,}, scaled)")
    rows.append((label, args.draws, t_loop_full))

    print(
        f"scenario: {scenario.name}, models: {', '.join(scenario.models.run)}, all parameters sampled"
    )
    print(f"{'method':<52} {'draws':>9} {'seconds':>9} {'draws/s':>12}")
    for name, n, secs in rows:
        print(f"{name:<52} {n:>9,} {secs:>9.3f} {n / secs:>12,.0f}")
    best = min(s for _, _, s in rows[:-1])
    print(
        f"speed-up of the vectorised pipeline over the loop: {t_loop_full / t_vec:,.0f}x (1 process), "
        f"{t_loop_full / best:,.0f}x (best)"
    )
    print(
        f"goal: >= 20x and < 10 s for 100,000 draws -> "
        f"{'met' if t_loop_full / t_vec >= 20 and (args.draws < 100_000 or t_vec < 10) else 'NOT met'}"
    )

    # The bargaining models on their subsample: the same run with them, minus the run without.
    print()
    print(
        f"bargaining models {args.models} on {args.model_draws} of the draws "
        f"(base and shocked table each):"
    )
    print(f"{'method':<52} {'tables':>9} {'extra s':>9} {'ms/table':>12}")
    for w in sorted({1, workers}):
        t = time.perf_counter()
        res = run_scenario(
            full,
            corpus,
            draws=args.draws,
            seed=7,
            model_draws=args.model_draws,
            workers=w,
            chunk=args.draws if w == 1 else args.draws // w + 1,
        )
        t_full = time.perf_counter() - t
        for k in ("weights", "forecast_median"):
            np.testing.assert_array_equal(res.arrays[k], vec.arrays[k])
        extra = t_full - (t_vec if w == 1 else rows[1][2])
        tables = 2 * res.model_draws
        label = f"models on the subsample ({w} process{'es' if w > 1 else ''})"
        print(f"{label:<52} {tables:>9,} {extra:>9.3f} {1000 * extra / tables:>12.1f}")


if __name__ == "__main__":
    main()

"""How fast is each route to the layer derivative dp/dW, (K, K·n)? Prints a table; asserts nothing.

Routes, each called through core's public function (input checks included):
- loops     core.layer_jacobian_loops: the blog's triple loop, K·K·n Python iterations;
- product   core.layer_jacobian_product: J (K, K) @ dz/dW (K, K·n), the full chain-rule product;
- shortcut  core.layer_jacobian_shortcut: p_t(δ_ti − p_i)·x_j, broadcast into the output once;
- floor     the memory-write floor: np.empty((K, K·n)) then .fill(0.5), i.e. allocating and
            writing a fresh output once. No route that returns a new (K, K·n) array can beat it.

Each time is the median over repeats of timeit with an auto-scaled number of calls per repeat;
the routes' repeats are interleaved so that load on the machine affects them alike.
The loops are not timed when they would take longer than ~20 s (estimated from the per-entry
cost measured at the smaller sizes); the table says so.

Usage (from the repo root):
    python bench/bench_core.py            full table, sizes (3, 5) (32, 32) (784, 10) (256, 256)
    python bench/bench_core.py --quick    a smoke run in a few seconds (small sizes, few repeats)
Targets: shortcut ≥ 300× faster than the loops at 32 × 32; shortcut within 2× of the write floor
at 256 × 256; the 3 × 5 shortcut time (per-call overhead, mostly input checks) is reported.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import timeit
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import core  # noqa: E402

FULL_SIZES = [(3, 5), (32, 32), (784, 10), (256, 256)]
QUICK_SIZES = [(3, 5), (32, 32), (64, 16)]
LOOPS_BUDGET_S = 20.0  # skip the loops beyond this estimated time for one call
SPEEDUP_TARGET = 300.0  # shortcut vs loops at 32 × 32
FLOOR_TARGET = 2.0  # shortcut / floor at 256 × 256
OVERHEAD_TARGET_US = 50.0  # 3 × 5 shortcut, per call


def layer(n: int, K: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """x (n,), W (n, K) with modest values, so p is neither uniform nor one-hot."""
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, n), rng.normal(0, 1 / np.sqrt(n), (n, K))


def floor(n: int, K: int) -> np.ndarray:
    out = np.empty((K, K * n))
    out.fill(0.5)
    return out


def median_times(fns: dict, repeats: int, min_total: float) -> dict[str, float]:
    """Median seconds per call of each function.

    timeit auto-scales each function's calls per repeat to last ≥ ``min_total`` s; the repeats
    of all functions are interleaved, so a burst of load on the machine hits every route
    alike and their ratios stay meaningful.
    """
    timers, numbers = {}, {}
    for name, fn in fns.items():
        timer = timeit.Timer(fn)
        number = 1
        while timer.timeit(number) < min_total:  # like Timer.autorange, with our own minimum
            number *= 2 if number < 1000 else 10
        timers[name], numbers[name] = timer, number
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, timer in timers.items():
            samples[name].append(timer.timeit(numbers[name]) / numbers[name])
    return {name: statistics.median(s) for name, s in samples.items()}


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def run(sizes, repeats: int, min_total: float) -> list[dict]:
    rows = []
    per_entry = None  # seconds per inner-loop iteration of the blog's loops
    for n, K in sizes:
        x, W = layer(n, K)
        # Same numbers from every route before timing anything.
        short = core.layer_jacobian_shortcut(x, W)
        assert np.allclose(core.layer_jacobian_product(x, W), short, rtol=1e-12, atol=1e-15)
        row = {"n": n, "K": K, "entries": K * K * n}
        fns = {
            "shortcut": lambda x=x, W=W: core.layer_jacobian_shortcut(x, W),
            "product": lambda x=x, W=W: core.layer_jacobian_product(x, W),
            "floor": lambda n=n, K=K: floor(n, K),
        }
        estimate = None if per_entry is None else per_entry * K * K * n
        if estimate is not None and estimate > LOOPS_BUDGET_S:
            row["loops"], row["loops_note"] = None, f"skipped (~{estimate:.0f} s per call)"
        elif estimate is not None and estimate > 1.0:
            start = timeit.default_timer()
            core.layer_jacobian_loops(x, W)
            row["loops"], row["loops_note"] = timeit.default_timer() - start, "1 run"
        else:
            fns["loops"] = lambda x=x, W=W: core.layer_jacobian_loops(x, W)
            row["loops_note"] = ""
        row |= median_times(fns, repeats, min_total)
        if row["loops"] is not None and K * K * n >= 1000:
            per_entry = row["loops"] / (K * K * n)
        rows.append(row)
    return rows


def print_table(rows: list[dict]) -> None:
    head = ["n × K", "K²·n", "loops", "product", "shortcut", "floor", "loops/shortcut", "shortcut/floor"]
    lines = []
    for r in rows:
        loops = fmt_time(r["loops"]) + (f" ({r['loops_note']})" if r["loops_note"] else "")
        speedup = "—" if r["loops"] is None else f"{r['loops'] / r['shortcut']:.0f}×"
        lines.append(
            [
                f"{r['n']} × {r['K']}",
                f"{r['entries']:,}",
                loops,
                fmt_time(r["product"]),
                fmt_time(r["shortcut"]),
                fmt_time(r["floor"]),
                speedup,
                f"{r['shortcut'] / r['floor']:.2f}",
            ]
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(head)]
    print(" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for line in lines:
        print(" | ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)))


def print_targets(rows: list[dict]) -> bool:
    by_size = {(r["n"], r["K"]): r for r in rows}
    ok = True

    def verdict(name: str, passed: bool | None, detail: str) -> None:
        nonlocal ok
        mark = "n/a " if passed is None else ("PASS" if passed else "FAIL")
        ok = ok and passed is not False
        print(f"  [{mark}] {name}: {detail}")

    print("\nTargets")
    r = by_size.get((32, 32))
    if r and r["loops"] is not None:
        s = r["loops"] / r["shortcut"]
        verdict(f"shortcut ≥ {SPEEDUP_TARGET:.0f}× faster than loops at 32 × 32", s >= SPEEDUP_TARGET, f"{s:.0f}×")
    else:
        verdict("shortcut vs loops at 32 × 32", None, "size not run")
    r = by_size.get((256, 256))
    if r:
        f = r["shortcut"] / r["floor"]
        verdict(f"shortcut within {FLOOR_TARGET:g}× of the write floor at 256 × 256", f <= FLOOR_TARGET, f"{f:.2f}×")
    else:
        verdict("shortcut vs write floor at 256 × 256", None, "size not run (full table only)")
    r = by_size.get((3, 5))
    if r:
        us = r["shortcut"] * 1e6
        verdict(
            f"3 × 5 shortcut per-call overhead ≤ {OVERHEAD_TARGET_US:g} µs", us <= OVERHEAD_TARGET_US, f"{us:.1f} µs"
        )
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats: a smoke run")
    parser.add_argument("--repeats", type=int, default=None, help="timeit repeats per measurement (default 7, quick 3)")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    repeats = args.repeats or (3 if args.quick else 7)
    min_total = 0.01 if args.quick else 0.2
    print(
        f"core layer derivative, float64 — Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{platform.machine()}; median of {repeats} repeats{' (quick)' if args.quick else ''}"
    )
    print("floor = np.empty((K, K·n)) + .fill(0.5): allocate and write the output once\n")
    rows = run(sizes, repeats, min_total)
    print_table(rows)
    print_targets(rows)
    return 0  # a benchmark reports; it never fails the build


if __name__ == "__main__":
    sys.exit(main())

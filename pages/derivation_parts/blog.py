"""The blog's printed numbers (seed 002), copied as printed, checked against core's values.

Pure (no streamlit). The blog prints h = softmax(Wᵀx) (5,), DS = ∂h/∂z (5, 5), DZ = its z_dir
(15, 5: the transpose of dz/dW, K·n rows in class-major order) and DL = DS·DZᵀ (5, 15), twice:
once from the product and once from its shortcut. Its printout cuts digits off rather than
rounding (DL[0, 0] = 0.0154465… is printed 0.01544), so a printed number matches when it is
within one unit of its last printed digit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import core

BLOG_H = "0.19091352 0.20353145 0.21698333 0.23132428 0.15724743"
BLOG_DS = """
 0.154465 -0.038856 -0.041425 -0.044162 -0.030020
-0.038856  0.162106 -0.044162 -0.047081 -0.032004
-0.041425 -0.044162  0.1699015 -0.050193 -0.034120
-0.044162 -0.047081 -0.050193  0.177813 -0.036375
-0.030020 -0.032004 -0.034120 -0.036375  0.132520
"""
BLOG_DZ = "\n".join(" ".join(v if k == t else "0." for k in range(5)) for t in range(5) for v in ("0.1", "0.5", "0.4"))
_DL_ROWS = """
 0.01544  0.07723  0.06178 -0.00388 -0.01942 -0.01554 -0.00414 -0.02071 -0.01657 -0.00441 -0.02208 -0.01766 -0.00300 -0.01501 -0.01200
-0.00388 -0.01942 -0.01554  0.01621  {b}  0.06484 -0.00441 -0.02208 -0.01766 -0.00470 -0.02354 -0.01883 -0.00320 -0.01600 -0.01280
-0.00414 -0.02071 -0.01657 -0.00441 -0.02208 -0.01766  0.01699  0.08495  0.06796 -0.00501 -0.02509 -0.02007 -0.00341 -0.01706 -0.01364
-0.00441 -0.02208 -0.01766 -0.00470 -0.02354 -0.01883 -0.00501 -0.02509 -0.02007  0.01778  0.08890  0.07112 -0.00363 -0.01818 -0.01455
-0.00300 -0.01501 -0.01200 -0.00320 -0.01600 -0.01280 -0.00341 -0.01706 -0.01364 -0.00363 -0.01818 -0.01455  0.01325  0.06626  0.05300
"""  # noqa: E501 (copied as printed, one row per line)
BLOG_DL = _DL_ROWS.format(b="0.0810")  # DS·DZᵀ: the blog prints this one entry with 4 decimals
BLOG_DL_SHORTCUT = _DL_ROWS.format(b="0.08105")


def printed(text: str) -> list[list[str]]:
    """The printed numbers as text, one list per printed row (a vector is one row)."""
    return [line.split() for line in text.strip().splitlines()]


def decimals(number: str) -> int:
    """How many digits the blog printed after the point ("0." has none, "0.1699015" seven)."""
    return len(number.partition(".")[2])


@dataclass(frozen=True)
class Printout:
    """One printed matrix: its ``name`` in the blog, what it is, the printed text, and core's matrix to compare."""

    name: str
    meaning: str
    text: str
    app: np.ndarray  # the same shape as the printout


def printouts(v: core.LayerValues) -> tuple[Printout, ...]:
    """The blog's printouts beside core's values for the blog's x and W (``v`` must be that layer)."""
    return (
        Printout("h", "softmax(Wᵀx), the hypothesis (5,)", BLOG_H, v.p[None, :]),
        Printout("DS", "∂h/∂z = J (5 × 5)", BLOG_DS, v.J),
        Printout("DZ", "its z_dir: dz/dW transposed (15 × 5)", BLOG_DZ, v.dz_dw.T),
        Printout("DL", "DS·DZᵀ = dp/dW, the product (5 × 15)", BLOG_DL, v.product),
        Printout("DL_shortcut", "the shortcut p_t(δ_ti − p_i)·x_j (5 × 15)", BLOG_DL_SHORTCUT, v.shortcut),
    )


def _entry(name: str, r: int, c: int, rows: int) -> str:
    return f"{name}[{c}]" if rows == 1 else f"{name}[{r},{c}]"


def check_table(out: Printout) -> pd.DataFrame:
    """One row per printed number: the blog's text, the app's value at the same decimals, the app's value,
    the difference in units of the last printed digit, and whether it matches (less than one unit)."""
    rows = printed(out.text)
    if (len(rows), len(rows[0])) != out.app.shape:
        raise ValueError(f"{out.name}: printout is {len(rows)} × {len(rows[0])}, app's is {out.app.shape}")
    records = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            d = decimals(text)
            value = float(out.app[r, c])
            units = abs(float(text) - value) * 10**d
            records.append(
                {  # the mark second, so a phone shows it without scrolling sideways
                    "entry": _entry(out.name, r, c, len(rows)),
                    "match": "✓" if units < 1 else "✗",
                    "blog prints": text,
                    "app, same digits": f"{value:.{d}f}" if d else f"{value:.0f}.",
                    "app": f"{value:.10g}",
                    "difference (last-digit units)": round(units, 3),
                }
            )
    return pd.DataFrame.from_records(records)


def summary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per printout: how many numbers, how many match, the largest difference in last-digit units."""
    return pd.DataFrame.from_records(
        [
            {
                "printout": name,
                "numbers": len(t),
                "matching": int((t["match"] == "✓").sum()),
                "largest difference (last-digit units)": float(t["difference (last-digit units)"].max()),
            }
            for name, t in tables.items()
        ]
    )


def truncation_example(v: core.LayerValues) -> tuple[str, str, str]:
    """DL[0, 0] as the blog prints it, as the app rounds it (4 significant digits), and its value."""
    value = float(v.product[0, 0])
    return printed(BLOG_DL)[0][0], f"{value:.4g}", f"{value:.8f}"

"""How wide a line of chart text is drawn (px): Plotly neither wraps nor measures, so figures plan with this.

The widths are the advance widths of Source Sans, the font Streamlit gives Plotly, measured in
Chromium at 100 px (the wider of regular and bold, rounded up to 0.05 of the font size). One
table for both weights: a bold title is then measured exactly and regular text a few per cent wide.
"""

from __future__ import annotations

import functools
import re

# width (× font size) → the characters drawn that wide
_GROUPS = {
    0.2: " ",
    0.3: "'-.:ijl|·′ₜᵢⱼ",
    0.35: "!(),/;I[\\]ft{}",
    0.4: "rᵀ²₂₀₁⁻¹⁷₃°₄⁰³₋₉₈₇₆₅ⁿ⁹⁸⁶⁵⁴",
    0.45: "*Ycsₖ",
    0.5: "?F_eyzε‖–τ",
    0.55: '0123456789"#$+<=>EJLSTVXZ^abdgkopqvx~−×δΣ≠±≥≤≈”“∑÷θ',
    0.6: "ABCKPR`hnu∂ση✗▶√αβλμ",
    0.65: "DGU→Δ←∘✓π",
    0.7: "&HNOQ❌✅",
    0.75: "∝",
    0.8: "Mw—ℝ",
    0.85: "W⊗⅓¾½¼",
    0.9: "%m∈⚠",
    0.95: "@",
    1.0: "…⋯",
}
WIDTHS = {char: width for width, chars in _GROUPS.items() for char in chars}
UNKNOWN = 1.0  # a character not measured (another script, an emoji) counts as wide as the widest
MARKUP = re.compile(r"<[^>]+>")  # <b>, <br>, <span …>: drawn as nothing


def text_width(text: str, font_size: float) -> float:
    """px that one line of ``text`` takes at ``font_size`` (markup such as <b> is not drawn, so not counted)."""
    return font_size * _ems(text)


# A rerun measures every cell number of every heatmap (~400 at 3 × 5), most seen before: the
# product's and the shortcut's are the same, and a move changes few of them.
@functools.lru_cache(maxsize=8192)
def _ems(text: str) -> float:
    """The width of ``text`` in font sizes."""
    return sum([WIDTHS.get(char, UNKNOWN) for char in MARKUP.sub("", text)])

"""The lines and boxes of a path shape, as plotly.js draws them (the M, H, V and Z the figures write)."""

from __future__ import annotations

import re


def path_lines(shape) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Straight segments ((x0, y0), (x1, y1)) of a path shape (a dict or a Plotly shape)."""
    path = shape["path"]
    segments, here, start = [], None, None
    for command, args in re.findall(r"([MHVLZ])([^MHVLZ]*)", path):
        numbers = [float(v) for v in re.split(r"[ ,]+", args.strip()) if v]
        if command == "M":
            here = start = (numbers[0], numbers[1])
            continue
        if command == "H":
            to = (numbers[0], here[1])
        elif command == "V":
            to = (here[0], numbers[0])
        elif command == "L":
            to = (numbers[0], numbers[1])
        else:  # Z: back to the sub-path's start
            to = start
        segments.append((here, to))
        here = to
    return segments


def path_boxes(shape) -> list[tuple[float, float, float, float]]:
    """(x0, x1, y0, y1) of each closed sub-path of a path shape."""
    boxes = []
    for sub in re.findall(r"M[^M]*Z", shape["path"]):
        points = [a for a, _ in path_lines({"path": sub})]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        boxes.append((min(xs), max(xs), min(ys), max(ys)))
    return boxes

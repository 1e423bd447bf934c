"""Small charts drawn as inline SVG on the server: no script, no external asset, no inline style.

Every label passes through :func:`markupsafe.escape`; colours are presentation attributes
(allowed by the page's Content-Security-Policy, unlike ``style=``).
"""

from __future__ import annotations

from itertools import pairwise

from markupsafe import Markup, escape

LEVEL_COLOURS = {
    "distribution": "#b3261e",
    "mention": "#e07b00",
    "indicator": "#c9a400",
    "exposure": "#c9a400",
    "other": "#8a8a8a",
}
ACTION_COLOURS = {
    "delete": "#b3261e",
    "hide": "#6d4c9f",
    "keep": "#2e7d32",
    "not-a-match": "#607d8b",
    "none": "#d0d0d0",
}
ORDER = ("distribution", "mention", "indicator", "exposure", "other")


def timeline_svg(by_year: dict[str, dict[str, int]], labels: dict[str, str], title: str) -> Markup:
    """Stacked columns: flagged items per year, split by their most serious level."""
    years = list(by_year)
    if not years:
        return Markup("")
    top = max(sum(v.values()) for v in by_year.values()) or 1
    bw, gap, h, pad = 28, 8, 120, 18
    # room at both ends, and between neighbours, for a label wider than its bar («без даты»): about 6 px a
    # character at 10 px, and 6 px between two labels
    margin = max(gap, 3 * max(len(y) for y in years) - bw // 2)
    xs = [margin]
    for prev, y in pairwise(years):
        xs.append(xs[-1] + max(bw + gap, 3 * (len(prev) + len(y)) + 6))
    width = max(200, xs[-1] + bw + margin)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {h + 2 * pad}"'
        f' width="{width}" height="{h + 2 * pad}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for x, y in zip(xs, years, strict=True):
        base: float = pad + h
        total = 0
        for lv in ORDER:
            n = by_year[y].get(lv, 0)
            if not n:
                continue
            bh = max(1.0, h * n / top)
            base -= bh
            total += n
            parts.append(
                f'<rect x="{x}" y="{base:.1f}" width="{bw}" height="{bh:.1f}" fill="{LEVEL_COLOURS[lv]}">'
                f"<title>{escape(y)}: {escape(labels.get(lv, lv))} {n}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bw / 2}" y="{base - 3:.1f}" font-size="10" text-anchor="middle">{total}</text>'
        )
        parts.append(
            f'<text x="{x + bw / 2}" y="{pad + h + 13}" font-size="10" text-anchor="middle">'
            f"{escape(y)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def hbars_svg(rows: list[tuple[str, int, str]], title: str) -> Markup:
    """Horizontal bars: ``(label, value, colour)`` rows."""
    if not rows:
        return Markup("")
    top = max(v for _, v, _ in rows) or 1
    # room on the left for the longest label: about 6.5 px a character at 11 px
    rh, bwmax = 22, 200
    lw = max(170, round(6.5 * max(len(lab) for lab, _, _ in rows)) + 12)
    height = len(rows) * rh + 6
    width = lw + bwmax + 60
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (lab, v, colour) in enumerate(rows):
        y = 3 + i * rh
        bw = max(1.0, bwmax * v / top) if v else 0
        parts.append(
            f'<text x="{lw - 6}" y="{y + 15}" font-size="11" text-anchor="end">{escape(lab)}</text>'
        )
        parts.append(
            f'<rect x="{lw}" y="{y + 3}" width="{bw:.1f}" height="{rh - 8}" fill="{escape(colour)}"/>'
        )
        parts.append(f'<text x="{lw + bw + 5:.1f}" y="{y + 15}" font-size="11">{v}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))

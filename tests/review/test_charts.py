"""The server-drawn charts: labels that do not run into each other."""

from __future__ import annotations

import re

from repostguard.views.charts import timeline_svg


def test_year_labels_keep_apart_from_a_long_neighbour() -> None:
    """«без даты» next to «2026» (seen at 1280 px as «2026без даты»): the centres of two neighbouring labels are at
    least half of both labels' widths apart (about 6 px a character at 10 px) plus a gap."""
    by_year = {"2019": {"mention": 1}, "2025": {"distribution": 2}, "2026": {"mention": 3}, "без даты": {"other": 1}}
    svg = str(timeline_svg(by_year, {}, "chart"))
    label = r'<text x="([0-9.]+)" y="[0-9.]+" font-size="10" text-anchor="middle">([^<0-9][^<]*|\d{4})</text>'
    labels = re.findall(label, svg)
    years = [(float(x), y) for x, y in labels if not y.isdigit() or len(y) == 4]
    assert [y for _, y in years] == list(by_year)
    for (xa, a), (xb, b) in zip(years, years[1:], strict=False):
        assert xb - xa >= 3 * (len(a) + len(b)) + 6, (a, b, xb - xa)
    width = float(re.search(r'width="([0-9.]+)"', svg).group(1))  # type: ignore[union-attr]
    assert years[-1][0] + 3 * len(years[-1][1]) <= width
    assert years[0][0] - 3 * len(years[0][1]) >= 0

"""Escaping and highlighting invariants, date formats, junk query parameters."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from repostguard.views.i18n import fmt_date, fmt_local
from repostguard.views.items import highlight
from repostguard.views.query import Selection

spans = st.lists(st.tuples(st.integers(-5, 60), st.integers(-5, 60)), max_size=5)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), spans)
def test_highlight_escapes_everything(text: str, sp: list[tuple[int, int]]) -> None:
    out = str(highlight(text, sp))
    without_marks = out.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks
    assert out.count("<mark>") == out.count("</mark>")
    unescaped = re.sub(r"</?mark>", "", out).replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')
    unescaped = unescaped.replace("&#39;", "'").replace("&amp;", "&")
    assert unescaped == text


def test_highlight_marks_the_span() -> None:
    assert str(highlight("a <b> c", [(2, 5)])) == "a <mark>&lt;b&gt;</mark> c"
    assert str(highlight("abcdef", [(1, 3), (2, 4)])) == "a<mark>bcd</mark>ef"


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["platform", "kind", "bank", "level", "year", "decision", "q", "scope", "item", "page", "x"]
        ),
        st.text(max_size=120),
    )
)
def test_selection_from_junk_params(params: dict[str, str]) -> None:
    sel = Selection.from_params(params)
    assert sel.scope in ("flagged", "all")
    assert sel.year == "" or re.fullmatch(r"\d{4}", sel.year)
    assert Selection.from_params(sel.params()) == sel


def test_date_formats() -> None:
    """Every moment in the person's zone (Moscow by default), the zone named (issue 20 part 2)."""
    assert fmt_date("2021-08-03T13:21:00+03:00", "ru") == "03.08.2021 13:21 МСК (UTC+03:00)"
    assert fmt_date("2021-08-03T13:21:00+03:00", "en") == "3 Aug 2021, 13:21 MSK (UTC+03:00)"
    assert fmt_date("2021-08-03T07:30:00Z", "ru") == "03.08.2021 10:30 МСК (UTC+03:00)"  # not 07:30
    assert fmt_date("2012-05-14T22:53:00-05:30", "ru") == "15.05.2012 08:23 МСК (UTC+04:00)"  # Moscow was +4
    assert fmt_date("2021-08-03T13:21:00+03:00", "ru", with_time=False) == "03.08.2021"
    assert fmt_date("2021-08-03", "ru") == "03.08.2021"
    assert fmt_date("garbage", "ru") == "garbage" and fmt_date(None, "ru") == ""
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d МСК \(UTC[+-]\d\d:\d\d\)",
                        fmt_local("2026-01-02T03:04:05+00:00", "ru"))

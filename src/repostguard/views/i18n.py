"""User-facing strings of the review page, the report, the printable selection and the dossier,
in Russian (default) and English, the label tables (levels, kinds, lists, signals, …) and the
one date format of each language. The words themselves are the catalogue ``strings.toml``."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path

from repostguard.banks.orgs import ORG_LISTS

LANGS = ("ru", "en")

#: a label table: value (or string key) → language → words
Table = dict[str, dict[str, str]]


def _catalogue() -> dict[str, Table]:
    """The tables of ``strings.toml`` (beside this module), by name."""
    with (Path(__file__).resolve().parent / "strings.toml").open("rb") as fh:
        return tomllib.load(fh)


_CATALOGUE = _catalogue()
STRINGS: Table = _CATALOGUE["strings"]
ACTION_LABELS: Table = _CATALOGUE["actions"]
LEVEL_LABELS: Table = _CATALOGUE["levels"]
KIND_LABELS: Table = _CATALOGUE["kinds"]
VIS_LABELS: Table = _CATALOGUE["visibility"]
BANK_LABELS: Table = {
    **_CATALOGUE["banks"],
    # each organisation list by its own title (``orgs-extremist``…), from its declaration
    **{spec.bank: {"ru": spec.title_ru[:1].upper() + spec.title_ru[1:],
                   "en": spec.title_en[:1].upper() + spec.title_en[1:]} for spec in ORG_LISTS},
}
SIGNAL_LABELS: Table = _CATALOGUE["signals"]

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def t(key: str, lang: str, **kw: object) -> str:
    """The string ``key`` in ``lang`` (falling back to Russian, then to the key itself)."""
    d = STRINGS.get(key)
    s = (d.get(lang) or d.get("ru") or key) if d else key
    return s.format(**kw) if kw else s


def label(table: Table, value: str | None, lang: str) -> str:
    """A value's label from one of the label tables, or the value itself."""
    if value is None:
        return ""
    d = table.get(value)
    return (d.get(lang) or value) if d else value


def fmt_local(value: str | None, lang: str) -> str:
    """A moment repostguard recorded (UTC, ISO 8601) in this computer's local time and format."""
    if not value:
        return ""
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if dt.tzinfo is not None:
        dt = dt.astimezone()
    return fmt_date(dt, lang)


def fmt_date(value: str | date | None, lang: str, *, with_time: bool = True) -> str:
    """A date in the language's local format: ``03.08.2021 13:21`` (ru), ``3 Aug 2021, 13:21`` (en).

    The time is shown as the export recorded it, not converted, followed by its offset
    (``UTC+03:00``) when it has one.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        dt: datetime | None = value
        d = value.date()
    elif isinstance(value, date):
        dt, d = None, value
    else:
        s = str(value)
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
            d = dt.date()
        except ValueError:
            return s
        if len(s) <= 10:
            dt = None
    if lang == "en":
        out = f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
        if dt is not None and with_time:
            out += f", {dt:%H:%M}"
    else:
        out = f"{d:%d.%m.%Y}"
        if dt is not None and with_time:
            out += f" {dt:%H:%M}"
    if dt is not None and with_time and (off := dt.utcoffset()) is not None:
        mins = int(off.total_seconds()) // 60
        out += f" UTC{'+' if mins >= 0 else '-'}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}"
    return out

"""A small synthetic workspace for the review tests: items of several kinds, years, a picture,
a hostile post (script and onerror), findings inserted directly, and a tiny FSM list file."""

from __future__ import annotations

import csv
import io
import json
import struct
import zlib
from pathlib import Path

import pytest

from repostguard.model import Evidence, Finding
from repostguard.pipeline.scan import import_path
from repostguard.reports.csv_report import column_key
from repostguard.store import Store

XSS_TEXT = (
    '<script>window.__pwned = 1; document.title = "PWNED"</script> запрещённая книга '
    '<img src=x onerror="window.__pwned = 2">'
)

FSM_CSV = (
    "#;Материал;Дата включения (указывается с 01.01.2017)\r\n"
    '10;"Книга ""Запрещённая книга"", автор - Иванов И.И. (решение Ленинского районного суда г. Тестовска '
    'от 01.02.2019);";15.03.2019\r\n'
    '11;"Песня ""Дурная песня"" группы ""Тест"" (решение Кировского районного суда г. Примерска '
    'от 05.06.2015);";\r\n'
    '12;"Исключен";\r\n'
)


def png_bytes(w: int = 40, h: int = 30, rgb: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A valid solid-colour PNG, made without any imaging library."""
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


ITEMS = [
    {
        "id": "p1",
        "kind": "post",
        "text": "Читаю «Запрещённая книга» Иванова, интересно.",
        "date": "2018-05-04T10:00:00+03:00",
        "visibility": "public",
        "url": "https://vk.com/wall1_101",
    },
    {
        "id": "p2",
        "kind": "repost",
        "text": "Дурная песня группы Тест — слушайте",
        "date": "2016-01-02T12:30:00+03:00",
        "reposted_from": {"name": "Паблик «Музыка»", "url": "https://vk.com/club42"},
        "visibility": "friends",
    },
    {
        "id": "p3",
        "kind": "post",
        "text": XSS_TEXT,
        "date": "2021-07-08T09:00:00+03:00",
        "attachments": [{"type": "link", "url": "https://evil.example/track?x=1", "title": "<b>bold?</b>"}],
    },
    {
        "id": "p4",
        "kind": "post",
        "text": "",
        "date": "2020-03-01T08:00:00+03:00",
        "attachments": [
            {"type": "photo", "path": "media/p4.png"},
            {"type": "photo", "path": "media/evil.svg"},
            {"type": "photo", "path": "OUTSIDE"},
        ],
    },
    {
        "id": "p5",
        "kind": "comment",
        "text": "Обычный комментарий про погоду",
        "date": "2019-09-09T19:00:00+03:00",
    },
    {
        "id": "p6",
        "kind": "post",
        "text": '=HYPERLINK("http://x") упоминание: запрещённая книга',
        "date": "2022-02-02T22:00:00+03:00",
    },
]


def _finding(
    item_id: str,
    ref: str,
    entry: str,
    level: str,
    text: str,
    span: tuple[int, int] | None,
    score: float = 1.0,
) -> Finding:
    return Finding(
        item_id=item_id,
        item_ref=ref,
        bank="fsm",
        entry=entry,
        level=level,
        signal="quote",
        score=score,
        evidence=Evidence("text", text, span, None),
        explanation_ru=f"Текст совпадает с записью № {entry} списка.",
        explanation_en=f"The text matches entry {entry} of the list.",
        list_version="fsm-test",
    )


def _with_outside(item: dict[str, object], outside: Path) -> dict[str, object]:
    atts = item.get("attachments")
    if not isinstance(atts, list):
        return item
    return {
        **item,
        "attachments": [{**a, "path": str(outside)} if a.get("path") == "OUTSIDE" else a for a in atts],
    }


def build_workspace(root: Path, extra_items: list[dict[str, object]] | None = None) -> Path:
    """Write items.jsonl (+ media), import it into ``root/ws.sqlite`` and add findings."""
    exp = root / "export"
    (exp / "media").mkdir(parents=True, exist_ok=True)
    (exp / "media" / "p4.png").write_bytes(png_bytes())
    (exp / "media" / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    outside = root / "elsewhere" / "private.png"  # a picture outside the export: never served
    outside.parent.mkdir(exist_ok=True)
    outside.write_bytes(png_bytes())
    items = [_with_outside(i, outside) for i in ITEMS + (extra_items or [])]
    (exp / "items.jsonl").write_text(
        "\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", "utf-8"
    )
    db = root / "ws.sqlite"
    with Store.open(db) as store:
        import_path(store, exp / "items.jsonl")
        ids = {r["native_id"]: r["id"] for r in store.conn.execute("SELECT id, native_id FROM items")}
        t1 = ITEMS[0]["text"]
        assert isinstance(t1, str)
        a = t1.index("Запрещённая книга")
        t3 = XSS_TEXT
        b = t3.index("запрещённая книга")
        t6 = str(ITEMS[5]["text"])
        c = t6.index("запрещённая книга")
        fs = [
            _finding(ids["p1"], "p1", "10", "distribution", "Запрещённая книга", (a, a + 17)),
            _finding(ids["p2"], "p2", "11", "mention", "Дурная песня", (0, 12), 0.8),
            _finding(ids["p3"], "p3", "10", "distribution", "запрещённая книга", (b, b + 17), 0.9),
            _finding(ids["p4"], "p4", "11", "indicator", "", None, 0.5),
            _finding(ids["p6"], "p6", "10", "mention", "запрещённая книга", (c, c + 17), 0.7),
        ]
        scan_id = store.start_scan("fsm", "fsm-test", "0" * 64, "test")
        store.save_findings(scan_id, "fsm", None, fs, "test", len(items))
    return db


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return build_workspace(tmp_path)


@pytest.fixture
def fsm_file(tmp_path: Path) -> Path:
    p = tmp_path / "fsm.csv"
    p.write_bytes(FSM_CSV.encode("cp1251"))
    return p


def csv_rows(text: str) -> list[dict[str, str]]:
    """The rows of a CSV report, each by its columns' keys (``item``, ``level``…) whatever the header's language."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    keys = [column_key(h) for h in next(reader)]
    return [dict(zip(keys, row, strict=True)) for row in reader]


def item_id(db: Path, native: str) -> str:
    with Store.open(db) as store:
        return str(store.conn.execute("SELECT id FROM items WHERE native_id=?", (native,)).fetchone()[0])


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real data dir (installed lists, caches) from these tests."""
    monkeypatch.setenv("REPOSTGUARD_HOME", str(tmp_path / "rg-home"))

"""The check box of the start screen (issue 20, part 5) through the ASGI interface: a listed quote is
named with the CLI's words, an ordinary text is not, a picture with a listed quote is named; the
guard on both endpoints; an oversized or non-image upload refused with one clear line; nothing
written to the workspace (or left in the temporary folder)."""

from __future__ import annotations

import hashlib
import random
import tempfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from repostguard.app import check as check_module
from repostguard.app.jobs import Jobs
from tests.media.conftest import needs_fonts, needs_ocr

from .conftest import ORIGIN, TOKEN

App = tuple[TestClient, Jobs]
SAME = {"origin": ORIGIN}
#: the demo list's entry 5 begins with these words
QUOTE = "Вспомнилось: Мы пришли из страны, которой нет…"
ORDINARY = "С Новым годом! Всем тепла и солнечной погоды."


def _files(folder: Path, client: TestClient | None = None) -> dict[str, str]:
    """Every file of the workspace folder and its hash (with ``client``: the start screen drawn first,
    which opens the workspace as the app does when it starts)."""
    if client is not None:
        assert client.get(f"/{TOKEN}/start").status_code == 200
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers() -> list[Path]:
    return sorted(Path(tempfile.gettempdir()).glob("repostguard-check-*"))


def _check(client: TestClient, text: str, *, part: bool = True, headers: dict[str, str] | None = None,
           kind: str = "post") -> object:
    return client.post(f"/{TOKEN}/check" + ("?part=1" if part else ""), data={"text": text, "kind": kind},
                       headers=SAME if headers is None else headers)


def _picture(client: TestClient, body: bytes, name: str = "pic.jpg",
             headers: dict[str, str] | None = None) -> object:
    return client.post(f"/{TOKEN}/check/picture?name={name}", content=body,
                       headers={"content-type": "application/octet-stream",
                                **(SAME if headers is None else headers)})


def test_a_listed_quote_is_named_with_the_cli_words(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    before = _files(db.parent, client)
    r = _check(client, QUOTE)
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    html = r.text  # type: ignore[attr-defined]
    assert "Найдено совпадений: 1" in html and "запись № 5" in html
    assert "Проверено по спискам: ФСЭМ (от " in html and "fsm-" not in html  # the version in words
    assert "Риск:" in html and "Ничего не сохранено, ссылки не открывались." in html
    assert "<html" not in html  # only the answer
    # without the page's script: the whole start screen, the answer in the box, the text kept
    r = _check(client, QUOTE, part=False)
    page = r.text  # type: ignore[attr-defined]
    assert r.status_code == 200 and "<h1" in page and "запись № 5" in page  # type: ignore[attr-defined]
    assert "Мы пришли из страны, которой нет…</textarea>" in page
    assert _files(db.parent) == before


def test_an_ordinary_text_says_nothing_found(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    before = _files(db.parent, client)
    r = _check(client, ORDINARY)
    assert r.status_code == 200 and "Совпадений не найдено." in r.text  # type: ignore[attr-defined]
    assert "Найдено совпадений" not in r.text  # type: ignore[attr-defined]
    assert _files(db.parent) == before


def test_a_link_is_checked_as_a_link_and_text_is_escaped(app: App, installed: Path) -> None:
    client, _ = app
    r = _check(client, "youtu.be/DemoVid0001")
    assert "Проверено как ссылка" in r.text and "запись № 8" in r.text  # type: ignore[attr-defined]
    r = _check(client, "<script>alert(1)</script> Вымысел сильнее правды", part=False)
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;alert(1)" in r.text  # type: ignore[attr-defined]
    assert "запись № 7" in r.text  # type: ignore[attr-defined]


def test_english_and_refusals(app: App, installed: Path) -> None:
    client, _ = app
    client.cookies.set("rg_lang", "en")
    r = _check(client, QUOTE)
    assert "Found: 1" in r.text and "entry No. 5" in r.text  # type: ignore[attr-defined]
    client.cookies.clear()
    r = _check(client, "   ")
    assert r.status_code == 400 and "Нечего проверять" in r.text  # type: ignore[attr-defined]
    assert 'role="alert"' in r.text  # type: ignore[attr-defined]
    r = _check(client, "слово " * 20_000)
    assert r.status_code == 400 and "проверьте его по частям" in r.text  # type: ignore[attr-defined]


def test_no_list_installed(app: App, demo: tuple[Path, Path]) -> None:
    """Nothing installed: the packaged snapshot of the list answers when the package has one, else
    the box says to install a list first (never "nothing found" about nothing)."""
    client, _ = app
    r = _check(client, ORDINARY)
    text = r.text  # type: ignore[attr-defined]
    if r.status_code == 200:  # type: ignore[attr-defined]
        assert "Проверено по спискам" in text and "Совпадений не найдено." in text
    else:
        assert r.status_code == 400 and "Сначала установите список" in text  # type: ignore[attr-defined]


def test_the_checker_is_kept_and_rebuilt_after_a_list_update(app: App, installed: Path,
                                                              demo: tuple[Path, Path]) -> None:
    from repostguard.banks.registry import update_lists
    from repostguard.cli.demo import DEMO_LIST

    client, _ = app
    built: list[object] = []
    real = check_module.Checker

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, *a: object, **kw: object) -> None:
            built.append(1)
            super().__init__(*a, **kw)  # type: ignore[arg-type]

    check_module.Checker = Counting  # type: ignore[misc]
    try:
        assert "запись № 5" in _check(client, QUOTE).text  # type: ignore[attr-defined]
        assert "запись № 5" in _check(client, QUOTE).text  # type: ignore[attr-defined]
        assert len(built) == 1
        # a new version of the list without entry 5: the next check uses it
        lines = ["#;Материал;Дата включения (указывается с 01.01.2017)"]
        lines += [f'{n};"{"Исключен" if n == "5" else text}";{d}' for n, text, d in DEMO_LIST]
        new = demo[0].with_name("exportfsm-new.csv")
        new.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
        update_lists("fsm", from_file=new)
        assert "Совпадений не найдено." in _check(client, QUOTE).text  # type: ignore[attr-defined]
        assert len(built) == 2
    finally:
        check_module.Checker = real  # type: ignore[misc]


def test_endpoints_refuse_without_token_or_with_foreign_origin(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    before = _files(db.parent, client)
    assert client.post("/check", data={"text": QUOTE}, headers=SAME).status_code == 403
    assert client.post("/wrong/check", data={"text": QUOTE}, headers=SAME).status_code == 403
    for headers in ({"origin": "http://evil.example"}, {}, {"sec-fetch-site": "cross-site"},
                    {"host": "evil.example", **SAME}):
        assert _check(client, QUOTE, headers=headers).status_code == 403  # type: ignore[attr-defined]
        assert _picture(client, b"\xff\xd8\xff", headers=headers).status_code == 403  # type: ignore[attr-defined]
    assert client.get(f"/{TOKEN}/check").status_code == 405
    assert _files(db.parent) == before and _leftovers() == []


def test_oversized_or_non_image_upload_is_refused(app: App, db: Path, installed: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = app
    before = _files(db.parent, client)
    monkeypatch.setattr(check_module, "MAX_PICTURE", 1024**2)
    r = _picture(client, b"\xff\xd8\xff" + b"\0" * (2 * 1024**2), name="huge.jpg")
    assert r.status_code == 413, r.text  # type: ignore[attr-defined]
    assert "«huge.jpg»: картинка больше 1 МБ." in r.text  # type: ignore[attr-defined]
    r = _picture(client, b"")
    assert r.status_code == 400 and "Выберите картинку" in r.text  # type: ignore[attr-defined]
    assert _files(db.parent) == before and _leftovers() == []


@needs_ocr
def test_a_file_that_is_not_a_picture_is_refused(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    before = _files(db.parent, client)
    r = _picture(client, "просто заметки".encode(), name="notes.txt")
    assert r.status_code == 400, r.text  # type: ignore[attr-defined]
    assert "«notes.txt»: это не картинка" in r.text  # type: ignore[attr-defined]
    assert _files(db.parent) == before and _leftovers() == []


@needs_ocr
@needs_fonts
def test_a_picture_with_a_listed_quote_is_named(app: App, db: Path, installed: Path, tmp_path: Path) -> None:
    from tests.media.synth import meme

    client, _ = app
    path = tmp_path / "pic.jpg"
    meme(random.Random(3), 800, 700, ["ВЫМЫСЕЛ СИЛЬНЕЕ", "ПРАВДЫ"], "band").save(path, quality=88)
    before = _files(db.parent, client)
    r = _picture(client, path.read_bytes())
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    html = r.text  # type: ignore[attr-defined]
    assert "Текст на картинке" in html and "ВЫМЫСЕЛ" in html
    assert "Найдено совпадений: 1" in html and "запись № 7" in html
    assert _files(db.parent) == before and _leftovers() == []

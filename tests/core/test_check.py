"""Check before posting (issue 20 part 5): a pasted text, a link or a picture matched against the
installed lists, with the scan's explanations and legal context, and nothing stored or fetched."""

from __future__ import annotations

import hashlib
import json
import random
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from repostguard.cli import main
from repostguard.errors import InputError, UserError
from repostguard.pipeline.check import MAX_TEXT_CHARS, Checker, open_workspace_readonly
from repostguard.store import Store
from tests.media.conftest import needs_fonts, needs_ocr

from .conftest import write_list
from .test_store import write_items

#: the demo history's item 3 quotes the first line of entry 5 («Мы пришли из страны, которой нет»)
QUOTE = "Вспомнилось: Мы пришли из страны, которой нет…"
ORDINARY = "С Новым годом! Всем тепла и солнечной погоды."


@pytest.fixture()
def installed(tmp_path: Path, private_home: Path) -> Path:
    """The demo list installed the way `lists update --from` installs it, in the private data dir."""
    from repostguard.banks.registry import update_lists
    from repostguard.cli.demo import DEMO_LIST

    update_lists("fsm", from_file=write_list(tmp_path / "exportfsm.csv", list(DEMO_LIST)))
    return private_home


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a check tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture()
def checker(installed: Path, no_network: None) -> Iterator[Checker]:
    with Checker() as c:
        yield c


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and its sha256, but the matchers' index cache (``<data dir>/cache``:
    built with the checker, as a scan or ``lists update`` builds it)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.parent.name != "cache"}


def _picture(folder: Path, lines: list[str], name: str = "pic.jpg") -> Path:
    from tests.media.synth import meme

    path = folder / name
    meme(random.Random(3), 800, 700, lines, "band").save(path, quality=88)
    return path


# -- text and links -------------------------------------------------------------------------------


def test_a_pasted_listed_quote_is_named_as_a_scan_names_it(checker: Checker, tmp_path: Path) -> None:
    from repostguard.cli.demo import DEMO_HISTORY
    from repostguard.pipeline.scan import run_scan

    result = checker.check_text(QUOTE)
    assert result and len(result) == 1
    f = result.findings[0]
    assert (f.bank, f.entry, f.level) == ("fsm", "5", "distribution")
    assert "Мы пришли из страны, которой нет" in f.explanation_ru and f.explanation_en
    # the same explanation as a scan of the same text gives
    hist = write_items(tmp_path / "h.jsonl", [r for r in DEMO_HISTORY if r["id"] == "demo-3"])
    out = tmp_path / "f.json"
    run_scan(tmp_path / "scan.sqlite", hist, json_out=out, ocr=False, progress=False)
    scanned = [d for d in json.loads(out.read_text("utf-8"))["findings"] if d["entry"] == 5]
    assert [d["explanation"] for d in scanned] == [{"ru": f.explanation_ru, "en": f.explanation_en}]
    # and the legal context the findings JSON gives, with the entry's listing date
    d = result.dicts()[0]
    assert d["explanation"] == scanned[0]["explanation"] and d["item"] == "check-text"
    assert d["legal"]["severity"] == "high" and d["legal"]["listed_date"] == "2019-04-10"
    assert d["legal"]["role"]["kind"] == "post" and d["legal"]["visibility"]["value"] == "public"
    data = result.to_dict()
    assert data["found"] is True and data["stored"] is False
    assert [cl["bank"] for cl in data["lists"]][0] == "fsm"


def test_an_ordinary_text_gives_nothing(checker: Checker) -> None:
    result = checker.check_text(ORDINARY)
    assert not result and len(result) == 0 and result.dicts() == []
    assert result.to_dict()["found"] is False
    assert "fsm" in [cl.bank for cl in result.lists]  # it says what it checked against


def test_the_kind_changes_the_role(checker: Checker) -> None:
    legal = checker.check_text(QUOTE, kind="repost").legal[0]
    assert legal["role"]["kind"] == "repost"
    with pytest.raises(UserError):
        checker.check_text(QUOTE, kind="profile")


@pytest.mark.parametrize("url, entry", [
    ("youtu.be/DemoVid0001", "8"),
    ("https://m.vk.com/video-1000001_2000002?list=abc", "3"),
    ("https://vk.ru/id1000000007", "6"),
])
def test_a_listed_link_is_matched_as_text_and_never_opened(checker: Checker, url: str, entry: str) -> None:
    result = checker.check_link(url)
    assert [(f.bank, f.entry) for f in result] == [("fsm", entry)]  # once, not once per way it was read
    assert result.findings[0].signal in ("url", "page")
    assert result.item.attachments[0].url == url


def test_a_listed_link_pasted_into_a_text_is_matched(checker: Checker) -> None:
    assert [f.entry for f in checker.check_text("Пересмотрел youtu.be/DemoVid0001 )))")] == ["8"]


def test_an_unlisted_link_gives_nothing(checker: Checker) -> None:
    assert not checker.check_link("https://vk.com/id1000000008")


@pytest.mark.parametrize("value", ["", "   \n"])
def test_nothing_to_check_is_an_error_not_a_clean_result(checker: Checker, value: str) -> None:
    with pytest.raises(UserError, match="нечего проверять: текст пуст"):
        checker.check_text(value)
    with pytest.raises(UserError, match="нечего проверять: ссылка пуста"):
        checker.check_link(value)


def test_a_huge_text_is_refused(checker: Checker) -> None:
    with pytest.raises(UserError, match=f"текст длиннее {MAX_TEXT_CHARS} знаков"):
        checker.check_text("а" * (MAX_TEXT_CHARS + 1))


def test_without_an_installed_list_the_checker_uses_the_packaged_snapshot(private_home: Path) -> None:
    checker = Checker()
    assert any(cl.bank == "fsm" and cl.version == "fsm-2025-07-09-522073ae" for cl in checker.lists)


def test_without_any_list_the_checker_says_how_to_get_one(private_home: Path, no_snapshots: None) -> None:
    with pytest.raises(UserError, match="lists update"):
        Checker()


def test_one_checker_serves_other_threads(checker: Checker) -> None:
    got: list[object] = []
    t = threading.Thread(target=lambda: got.append(checker.check_text(QUOTE)))
    t.start()
    t.join()
    assert len(got) == 1 and len(got[0]) == 1  # type: ignore[arg-type]


# -- pictures ---------------------------------------------------------------------------------------


@needs_ocr
@needs_fonts
def test_a_picture_with_a_listed_quote_is_named(checker: Checker, tmp_path: Path) -> None:
    pic = _picture(tmp_path, ["ВЫМЫСЕЛ СИЛЬНЕЕ", "ПРАВДЫ"])
    result = checker.check_picture(pic)
    assert result.ocr_text is not None and "ВЫМЫСЕЛ" in result.ocr_text
    assert [(f.bank, f.entry, f.level) for f in result] == [("fsm", "7", "distribution")]
    assert result.findings[0].evidence.field == "attachments[0].ocr"
    assert result.dicts()[0]["legal"]["severity"] == "high"


@needs_ocr
@needs_fonts
def test_a_picture_without_listed_text_gives_nothing(checker: Checker, tmp_path: Path) -> None:
    result = checker.check_picture(_picture(tmp_path, ["ОПЯТЬ РАБОТА", "ПОНЕДЕЛЬНИК"]))
    assert not result and result.ocr_text


@needs_ocr
def test_a_picture_showing_a_symbol_is_named(checker: Checker, tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    from tests.media.test_symbols_scan import _swastika

    im = Image.new("RGB", (800, 600), (240, 240, 235))
    _swastika(ImageDraw.Draw(im), 400, 300, 120, 0)
    im.save(tmp_path / "flag.png")
    result = checker.check_picture(tmp_path / "flag.png")
    assert [(f.bank, f.entry, f.level) for f in result] == [("symbols", "swastika", "distribution")]
    assert result.findings[0].evidence.box is not None


@needs_ocr
def test_a_file_that_is_not_a_picture_is_refused(checker: Checker, tmp_path: Path) -> None:
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a picture", "utf-8")
    with pytest.raises(InputError, match="картинку не удалось прочитать: это не картинка"):
        checker.check_picture(bad)
    with pytest.raises(InputError, match="это не файл"):
        checker.check_picture(tmp_path)


@needs_ocr
@needs_fonts
def test_a_picture_in_the_workspace_hash_bank_is_found_and_the_workspace_is_not_written(
        installed: Path, no_network: None, tmp_path: Path) -> None:
    from repostguard.banks.hashes import import_bank
    from repostguard.media import hashing, images

    pic = _picture(tmp_path, ["ОПЯТЬ РАБОТА", "ПОНЕДЕЛЬНИК"])
    known = hashing.pdq(images.decode(pic.read_bytes(), scale=2).frames[0])[0]
    bank = tmp_path / "bank.csv"
    bank.write_text(f"hash,quality,label,reference\n{known},100,Понедельник,Банк А-1\n", encoding="utf-8")
    db = tmp_path / "workspace.sqlite"
    with Store.open(db) as ws:
        import_bank(ws, bank)
    before = _snapshot(tmp_path)
    workspace = open_workspace_readonly(db)
    assert workspace is not None
    with workspace, Checker(workspace) as checker:
        assert checker.has_hashes and "hashes" in [cl.bank for cl in checker.lists]
        result = checker.check_picture(pic)
        again = checker.check_picture(pic)  # the picture's hash was not kept
        checker.check_text(QUOTE)
    assert [(f.bank, f.entry, f.signal) for f in result] == [("hashes", "Банк А-1", "image-hash")]
    assert [(f.bank, f.entry) for f in again] == [("hashes", "Банк А-1")]
    assert _snapshot(tmp_path) == before


def test_a_missing_workspace_is_not_created(tmp_path: Path) -> None:
    assert open_workspace_readonly(tmp_path / "none.sqlite") is None
    assert not (tmp_path / "none.sqlite").exists()


def test_checks_write_nothing(checker: Checker, installed: Path, tmp_path: Path) -> None:
    before = _snapshot(installed)
    checker.check_text(QUOTE)
    checker.check_link("youtu.be/DemoVid0001")
    checker.check_text(ORDINARY)
    assert _snapshot(installed) == before
    assert not (installed / "workspace.sqlite").exists()


# -- the command ----------------------------------------------------------------------------------------


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_names_a_listed_quote_in_russian_and_exits_1(installed: Path, no_network: None,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["check", QUOTE], capsys)
    assert code == 1
    assert "[распространение] ФСЭМ, запись № 5" in out
    assert "Текст воспроизводит" in out and "Риск:" in out and "Ничего не сохранено" in out
    assert not (installed / "workspace.sqlite").exists()


def test_cli_in_english_and_as_json(installed: Path, no_network: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["check", "--link", "youtu.be/DemoVid0001", "--lang", "en"], capsys)
    assert code == 1 and "[distribution] FSM, entry No. 8" in out
    code, out, _ = _run(["check", "--json", QUOTE], capsys)
    data = json.loads(out)
    assert code == 1 and data["findings"][0]["entry"] == 5 and "legal" in data["findings"][0]


def test_cli_nothing_found_exits_0(installed: Path, no_network: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["check", ORDINARY], capsys)
    assert code == 0 and "Совпадений не найдено." in out and "Проверено по спискам" in out


@pytest.mark.parametrize("args", [["check"], ["check", "текст", "--link", "youtu.be/x"], ["check", "  "]])
def test_cli_bad_input_exits_2(installed: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, _, err = _run(args, capsys)
    assert code == 2 and err.strip()


def test_cli_without_a_list_exits_2(private_home: Path, no_snapshots: None,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["check", QUOTE], capsys)
    assert code == 2 and "lists update" in err


def test_cli_without_an_installed_list_checks_against_the_snapshot(private_home: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["check", QUOTE], capsys)  # a quote of the demo list only: not in the real one
    assert code == 0 and "fsm-2025-07-09-522073ae" in out


def test_cli_reads_standard_input(installed: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(QUOTE + "\n"))
    code, out, _ = _run(["check", "-"], capsys)
    assert code == 1 and "№ 5" in out


@needs_ocr
@needs_fonts
def test_cli_checks_a_picture(installed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pic = _picture(tmp_path, ["ВЫМЫСЕЛ СИЛЬНЕЕ", "ПРАВДЫ"])
    code, out, _ = _run(["check", "--file", str(pic)], capsys)
    assert code == 1 and "Текст на картинке: ВЫМЫСЕЛ СИЛЬНЕЕ ПРАВДЫ" in out and "запись № 7" in out

"""The C accelerator of the VK importer (``importers/_vkspeed.c``) against its Python reference.

``vk_html.elide_record`` hands a record in a single-byte encoding to the accelerator when it was
built; ``vk_html._elide_record_py`` is the Python code it replaces. Whatever bytes come in, the
two must give the same skeleton and texts, or raise the same error; where the accelerator gives
up (returns None), the Python code does the record.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from repostguard.importers import vk_html as V

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "vk"

needs_c = pytest.mark.skipif(V._c_elide is None, reason="the C accelerator was not built (no C compiler)")


def test_accelerator_is_built_where_a_compiler_is() -> None:
    """On Linux with a C compiler (CI), the accelerator must be there: else its tests would skip."""
    if not sys.platform.startswith("linux") or not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler here: the importer runs its Python code")
    assert V._c_elide is not None, "repostguard.importers._vkspeed was not built: run scripts/setup.sh"
    assert V._fast_args("cp1251") is not None


def _fast(raw: bytes, encoding: str = "cp1251") -> tuple[bytes, list[str], list[bytes]] | None:
    fast = V._fast_args(encoding)
    assert fast is not None
    out: tuple[bytes, list[str], list[bytes]] | None = fast[0](
        raw, fast[1], fast[2], V._ENTITY_VALUES, fast[3], V.LONG_TEXT, V._RAW_TEXT_TAGS_B
    )
    return out


def _outcome(f: object, raw: bytes, encoding: str, *extra: object) -> tuple[object, ...]:
    try:
        return ("ok", f(raw, encoding, *extra))  # type: ignore[operator]
    except UnicodeDecodeError as e:
        return ("UnicodeDecodeError", e.start)


def _same(raw: bytes, encoding: str) -> tuple[object, ...]:
    """elide_record (accelerated) and the Python code agree on ``raw``; the UTF-8 given is right."""
    utf8: dict[int, tuple[str, bytes]] = {}
    got = _outcome(V.elide_record, raw, encoding, utf8)
    want = _outcome(V._elide_record_py, raw, encoding)
    assert got[0] == want[0]
    if got[0] == "ok":
        assert got[1] == want[1]
        texts = got[1][1]  # type: ignore[index]
        for key, (text, data) in utf8.items():
            assert key == id(text) and any(text is t for t in texts)
            assert data == text.encode()
    return got


LONG = "жизнь человек время дело день рука работа слово место лицо друг вопрос ".encode("cp1251") * 2

FRAGMENTS = st.sampled_from(
    [
        b'<div class="item">',
        b"</div>",
        b'<a href="https://vk.com/wall1_2">',
        b"</a>",
        b"<br>",
        b"<br/>",
        b"<BR>",
        b"<bRx>",
        b"<script>",
        b"</script>",
        b"<style>",
        b"<!-- c -->",
        b"<textarea>",
        b"<b",
        b">",
        b"<",
        b" ",
        b"  ",
        b"\n",
        b"\n\n\n",
        b"\t",
        b"\r\n",
        b"\xa0",
        b"\x9a",
        b"\x0b\x0c",
        b"&amp;",
        b"&laquo;",
        b"&raquo;",
        b"&#128512;",
        b"&#32;",
        b"&#160;",
        b"&nbsp;",
        b"&Tab;",
        b"&NewLine;",
        b"&#x41;",
        b"&foo;",
        b"&notit;",
        b"&",
        b"& ",
        b"&&amp;",
        b"&#",
        b"&#;",
        b"&#12345678;",
        b"&#1234567;",
        b"&#0065;",
        b"&#57344;",
        b"&#57345;",
        b"&#57344;0&#57345;",
        b"&a;",
        b"&amp",
        b"&NotEqualTilde;",
        b"&#8232;",
        b"&#1;",
        b"&#127;",
        b"&#55296;",
        b"&#65534;",
        b"&" + b"a" * 32 + b";",
        b"&" + b"a" * 33 + b";",
        b"&#x;",
        b"&1",
        b"\x98",
        b"\xb9",
        b"\x88",
        LONG,
        LONG[:81],
        LONG[:79],
    ]
)
RECORD = st.lists(st.one_of(FRAGMENTS, FRAGMENTS, st.binary(max_size=12)), max_size=40).map(b"".join)


@needs_c
@settings(max_examples=400, deadline=None)
@given(raw=RECORD, encoding=st.sampled_from(["cp1251", "koi8_r", "cp1252", "iso8859_5", "latin_1"]))
@example(raw=b'<div class="item"><div>' + LONG + b"&laquo;" + LONG + b"&#128512;</div></div>", encoding="cp1251")
@example(raw=b"<div>" + b"\xa0 \n \n" + LONG + b" \r\n\t" + LONG + b"\n\n\n\n", encoding="cp1251")
def test_accelerated_elide_is_the_python_one(raw: bytes, encoding: str) -> None:
    _same(raw, encoding)


@needs_c
def test_the_accelerator_does_the_usual_record_itself() -> None:
    """A record with entities, line breaks, a link and runs of spaces: done in C, not handed back."""
    raw = (
        b'<div class="item"><div class="item__main"><div>'
        + LONG
        + b"<br><br>  &laquo;\xf6\xe8\xf2\xe0\xf2\xe0&raquo; &#128512; &amp; & 1 \xa0 <br>"
        + LONG
        + b'<a href="https://vk.com/wall1_2">https://vk.com/wall1_2</a>'
        + LONG
        + b" \n</div></div></div>"
    )
    out = _fast(raw)
    assert out is not None
    skeleton, texts, encoded = out
    assert len(texts) == 2
    assert texts[0].startswith("жизнь человек") and "вопрос\n\n«цитата» \U0001f600 & & 1\nжизнь" in texts[0]
    assert texts[0].endswith("вопрос") and texts[1].endswith("вопрос")
    assert encoded == [t.encode() for t in texts]
    assert b"&#57344;0&#57345;" in skeleton and b"&#57344;1&#57345;\n</div>" in skeleton
    assert _same(raw, "cp1251") == ("ok", (skeleton.decode("cp1251"), texts))


@needs_c
@pytest.mark.parametrize(
    "odd",
    [b"<br/>", b"<BR>", b"&nbsp;", b"&#32;", b"&#8232;", b"&Tab;", b"&foo;", b"&#12345678;", b"&#x41;",
     b"&amp", b"&a;", b"&#1;", b"\x98"],
)
def test_the_accelerator_hands_back_what_it_does_not_read(odd: bytes) -> None:
    """Anything but the plain reading goes to the Python code, which gives the same as before."""
    raw = b"<div>" + LONG + odd + b" " + LONG + b"</div>"
    assert _fast(raw) is None
    _same(raw, "cp1251")


@needs_c
def test_items_carry_the_utf8_of_their_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Items come with their text's UTF-8 from the accelerator where it gave it (a post's text, a
    repost's two texts joined), and the store writes the UTF-8 of the text the Python code reads."""
    archive = tmp_path / "Archive"
    shutil.copytree(FIXTURES / "archive_ru", archive)
    wall0 = archive / "wall" / "wall0.html"
    head = b'<div class="item"><div class="item__main"><div>'
    data = wall0.read_bytes()
    own, source = "Мой комментарий к репосту".encode("cp1251"), "Текст оригинала".encode("cp1251")
    assert head in data and own in data and source in data
    data = data.replace(head, head + LONG + b"<br>", 1)  # a post with a long text
    data = data.replace(own, LONG + own).replace(source, LONG + source)  # a repost: both long
    wall0.write_bytes(data)
    imp = V.VkArchiveImporter(archive)
    imp.verify()
    wall = [p for p in imp.pages() if p[0] == "wall"]
    assert wall
    with monkeypatch.context() as m:  # the reference: the Python code alone
        m.setattr(V, "_fast_args", lambda encoding: None)
        want = [it.text for page in wall for it in V._page_result(imp, page, send=False)[0]]

    kept: list[bytes] = []
    keep_text_as_utf8 = V.Item.keep_text_as_utf8

    def keep(item: Any, data: bytes) -> None:
        kept.append(data)
        keep_text_as_utf8(item, data)

    monkeypatch.setattr(V.Item, "keep_text_as_utf8", keep)
    arc = imp._archive()

    def one_process(page: tuple[str, str]) -> list[Any]:  # an archive too small for worker processes
        return list(imp.parse_data(page[0], arc.read_bytes(page[1], V.MAX_PAGE), page[1], page[1]))

    modes = [  # a worker's page, a page the importing process parses itself, one process alone
        lambda page: V._page_result(imp, page, send=True)[0],
        lambda page: V._page_result(imp, page, send=False)[0],
        one_process,
    ]
    for mode in modes:
        kept.clear()
        items = [item for page in wall for item in mode(page)]
        assert len(kept) == 2, "the long post's and the repost's texts should come with their UTF-8"
        stored = [it.stored_text() for it in items]
        assert sum(isinstance(s, bytes) for s in stored) == 2  # (the others once pickled)
        assert [s if isinstance(s, bytes) else s.encode() for s in stored] == [t.encode() for t in want]
        assert [it.text for it in items] == want


@needs_c
def test_a_call_made_while_one_runs_is_handed_back() -> None:
    """The accelerator's tables and scratch buffers are static: a call made while one runs (here from
    a dict key's ``__eq__``, the only way Python code can run inside it) gets None, and the outer
    call still gives the right result."""
    fast = V._fast_args("cp1251")
    assert fast is not None
    elide = fast[0]
    inner: list[object] = []

    class Name(str):
        __hash__ = str.__hash__

        def __eq__(self, other: object) -> bool:
            inner.append(elide(b"<div>" + LONG + b"</div>", *args))
            return str.__eq__(self, other)

    entities = {Name("laquo"): "«"}
    args = (fast[1], fast[2], entities, fast[3], V.LONG_TEXT, V._RAW_TEXT_TAGS_B)
    raw = b"<div>" + LONG + b"&laquo;" + LONG + b"</div>"
    out = elide(raw, *args)
    assert inner == [None]
    assert out is not None and out[1] == [V._elide_record_py(raw, "cp1251")[1][0]]
    assert elide(b"<div>" + LONG + b"</div>", *args) is not None  # free again afterwards

"""Hash banks (CSV import), the hash matcher and near-duplicate groups."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repostguard.banks.hashes import import_bank, parse_bank
from repostguard.cli import main
from repostguard.errors import InputError
from repostguard.matchers.hashes import HashMatcher
from repostguard.media import hashing, images
from repostguard.pipeline import media as pipeline
from repostguard.pipeline.groups import near_duplicate_groups
from repostguard.store import Store

from .conftest import add_items, needs_ocr, photo_item
from .synth import meme

H1 = "f" * 64
H2 = "0123456789abcdef" * 4


def _bank(tmp_path: Path, body: str, name: str = "bank.csv") -> Path:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


def test_parse_bank_good_rows_comments_and_quality(tmp_path: Path) -> None:
    p = _bank(tmp_path, f"# shared by X\nhash,quality,label,reference,extra\n{H1},100,Флаг,ФСМ 1234,x\n\n"
                        f"{H2.upper()},20,low,R2,y\n{H2},,Без качества,\"Решение суда, 2020\",z\n")
    rows, dropped = parse_bank(p)
    assert dropped == 1
    assert [(r.pdq, r.label, r.reference, r.line) for r in rows] == [
        (H1, "Флаг", "ФСМ 1234", 3), (H2, "Без качества", "Решение суда, 2020", 6)]


@pytest.mark.parametrize("body,line,msg", [
    ("label,reference\n", 1, "в заголовке нет столбца hash"),
    ("hash,label\n", 1, "в заголовке нет столбца reference"),
    (f"hash,label,reference\n{H1},a,b\nabc,a,b\n", 3, "«abc» — не хеш PDQ"),
    (f"hash,label,reference\n{H1},a\n", 2, "2 столбца, а нужно не меньше 3"),
    (f"hash,label,reference,quality\n{H1},a,b,high\n", 2, "качество «high» — не число от 0 до 100"),
    (f"hash,label,reference,quality\n{H1},a,b,101\n", 2, "качество 101 — не в пределах от 0 до 100"),
    (f"hash,label,reference\n{H1},,b\n", 2, "пустая подпись или ссылка"),
])
def test_parse_bank_bad_rows_name_the_line(tmp_path: Path, body: str, line: int, msg: str) -> None:
    p = _bank(tmp_path, body)
    with pytest.raises(InputError) as e:
        parse_bank(p)
    assert f"строка {line}" in str(e.value) and msg in str(e.value) and str(p) in str(e.value)


def test_parse_bank_not_utf8_and_empty(tmp_path: Path) -> None:
    p = tmp_path / "b.csv"
    p.write_bytes(b"hash,label,reference\n" + "ы".encode("cp1251") + b"\n")
    with pytest.raises(InputError, match="строка 2: не текст в UTF-8"):
        parse_bank(p)
    with pytest.raises(InputError, match="пусто: нет ни строки заголовка, ни хешей"):
        parse_bank(_bank(tmp_path, "# only a comment\n", "e.csv"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_parse_bank_junk(tmp_path: Path, junk: str) -> None:
    p = tmp_path / "junk.csv"
    p.write_text("hash,label,reference\n" + junk, encoding="utf-8")
    try:
        rows, _ = parse_bank(p)
    except InputError as e:
        assert "строка" in str(e) or "пусто" in str(e)
    else:
        assert all(len(r.pdq) == 64 for r in rows)


def test_import_bank_is_atomic_and_idempotent(tmp_path: Path) -> None:
    s = Store.open(None)
    bad = _bank(tmp_path, f"hash,label,reference\n{H1},a,b\nzz,a,b\n", "bad.csv")
    with pytest.raises(InputError):
        import_bank(s, bad)
    assert s.conn.execute("SELECT count(*) FROM hash_bank_entries").fetchone()[0] == 0
    good = _bank(tmp_path, f"hash,label,reference\n{H1},a,b\n{H2},c,d\n", "good.csv")
    r1 = import_bank(s, good)
    assert (r1.added, r1.already) == (2, 0)
    assert import_bank(s, good).same_file
    other = _bank(tmp_path, f"hash,label,reference\n{H1},a,b\n{H1},a,e\n", "other.csv")
    r3 = import_bank(s, other)
    assert (r3.added, r3.already) == (1, 1)


def test_cli_hashes_import_bad_row_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _bank(tmp_path, f"hash,label,reference\n{H1},a,b\n{H1[:-1]},a,b\n")
    with pytest.raises(SystemExit) as e:
        main(["hashes", "import", str(bad), "--db", str(tmp_path / "w.sqlite")])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "строка 3" in err and err.count("\n") == 1
    main(["hashes", "import", str(_bank(tmp_path, f"hash,label,reference\n{H1},a,b\n", "ok.csv")),
          "--db", str(tmp_path / "w.sqlite")])
    assert "добавлено: 1" in capsys.readouterr().out


def _hash_of(p: Path) -> str:
    d = images.decode(p.read_bytes(), scale=2)
    return hashing.pdq(d.frames[0])[0]


def test_hash_matcher_finds_copies_not_others(pics: dict[str, Path], tmp_path: Path) -> None:
    s = Store.open(None)
    known = _hash_of(pics["meme1"])
    bank = _bank(tmp_path,
                 f"hash,quality,label,reference\n{known},100,Известный мем,ФСМ 9999\n{H2},100,x,R\n")
    import_bank(s, bank)
    items = [photo_item("copy", pics["meme1_small"]), photo_item("other", pics["meme2"]),
             photo_item("blank", pics["blank"])]
    add_items(s, items)
    pipeline.prepare(s, progress=False, notes=[], jobs=1, ocr=False)
    m = HashMatcher(s)
    got = {it.native_id: m.match(it) for it in s.iter_items()}
    assert [f.entry for f in got["copy"]] == ["ФСМ 9999"]
    f = got["copy"][0]
    assert f.bank == "hashes" and f.level == "distribution" and f.signal == "image-hash"
    assert "Известный мем" in f.explanation_ru and "meme1_small.jpg" in f.evidence.text
    assert got["other"] == [] and got["blank"] == []
    dist = hashing.hamming_hex(known, _hash_of(pics["meme1_small"]))
    assert f"PDQ distance {dist})" in f.evidence.text and abs(f.score - (1 - dist / 256)) < 0.01
    strict = HashMatcher(s, threshold=dist - 1) if dist > 0 else None
    if strict is not None:
        assert strict.match(next(s.iter_items(ids=[items[0].id]))) == []


def test_pdq_hex_and_hamming() -> None:
    w = hashing.pdq_words([H1, H2])
    assert w.shape == (2, 4)
    d = hashing.hamming_pdq(w[0], w)
    assert d.tolist() == [0, hashing.hamming_hex(H1, H2)]


@needs_ocr
def test_near_duplicate_groups(pics: dict[str, Path], tmp_path: Path) -> None:
    s = Store.open(None)
    # the same template with a different caption must not join the group
    rng = random.Random(3)
    other_caption = meme(rng, 800, 700, ["СОВСЕМ ДРУГАЯ", "ПОДПИСЬ ТУТ"], "meme")
    other_caption.save(tmp_path / "template2.jpg", quality=88)
    items = [photo_item("a", pics["meme1"]), photo_item("b", pics["meme1_small"]),
             photo_item("c", pics["meme1"]), photo_item("d", pics["meme2"]), photo_item("e", pics["blank"]),
             photo_item("f", tmp_path / "template2.jpg")]
    add_items(s, items)
    pipeline.prepare(s, progress=False, notes=[], jobs=1, ocr=True)
    g = near_duplicate_groups(s)
    ids = {it.native_id: it.id for it in items}
    assert g[ids["a"]] == g[ids["b"]] == g[ids["c"]]
    assert ids["d"] not in g and ids["e"] not in g and g.get(ids["f"]) != g[ids["a"]]

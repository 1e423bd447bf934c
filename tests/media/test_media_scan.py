"""End to end through the CLI: import a history with pictures, import a hash bank, scan once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repostguard.cli import main
from repostguard.media import hashing, images

from .conftest import needs_ocr

FSM_CSV = (
    "#;Материал;Дата включения (указывается с 01.01.2017)\r\n"
    '10;"Изображение с надписью «Свобода или смерть, белый кот правда» (решение Ленинского районного суда '
    'г. Тестовска от 01.02.2019);";15.03.2019\r\n'
    '11;"Книга ""Совсем другая книга"" (решение Кировского районного суда г. Примерска от 05.06.2015);";\r\n'
)


@needs_ocr
def test_first_scan_reads_pictures_and_matches_hash_bank(pics: dict[str, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("REPOSTGUARD_HOME", str(tmp_path / "home"))
    fsm = tmp_path / "fsm.csv"
    fsm.write_bytes(FSM_CSV.encode("cp1251"))
    items = tmp_path / "items.jsonl"

    def row(rid: str, kind: str, text: str, pic: str) -> dict[str, object]:
        att = {"type": "photo", "path": str(pics[pic])}
        return {"id": rid, "kind": kind, "text": text, "attachments": [att]}

    rows = [row("m1", "repost", "", "meme1"), row("m2", "repost", "", "meme2"),
            row("b", "post", "прогулка", "blank")]
    items.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    known = hashing.pdq(images.decode(pics["meme2"].read_bytes(), scale=2).frames[0])[0]
    bank = tmp_path / "bank.csv"
    bank.write_text(f"hash,quality,label,reference\n{known},100,Понедельник,Банк А-1\n", encoding="utf-8")
    db = tmp_path / "w.sqlite"
    main(["hashes", "import", str(bank), "--db", str(db)])
    out_json = tmp_path / "f.json"
    main(["scan", str(items), "--fsm", str(fsm), "--db", str(db), "--json", str(out_json), "-q"])
    findings = json.loads(out_json.read_text("utf-8"))["findings"]
    found = {(f["item"], f["bank"], str(f["entry"])) for f in findings}
    assert ("m2", "hashes", "Банк А-1") in found
    assert any(i == "m1" and b == "fsm" and e == "10" for i, b, e in found), found
    assert not any(i == "b" for i, _, _ in found)

"""The encrypted backup: written before deletion, read back, refusing wrong keys and damage."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repostguard.actions.backup import HEADER_LEN, BackupWriter, backup_items, extract, read_backup
from repostguard.errors import InputError, RepostguardError, UserError
from repostguard.model import Item
from repostguard.store import Store

from .conftest import FAST_KDF, PASSPHRASE, Workspace


def test_backup_reads_back_every_item_raw_and_media(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "b.rgbk"
    with Store.open(workspace.db) as store:
        n = backup_items(store, workspace.delete_ids, out, PASSPHRASE)
        assert n == len(workspace.delete_ids)
        indexed = {r[0] for r in store.conn.execute("SELECT item_id FROM clean_backups")}
        assert indexed == set(workspace.delete_ids)
        recs = {r.item_id: r for r in read_backup(out, PASSPHRASE)}
        assert set(recs) == set(workspace.delete_ids)
        for iid, rec in recs.items():
            row = store.conn.execute("SELECT text, ref FROM items WHERE id=?", (iid,)).fetchone()
            assert rec.item["text"] == row[0] and rec.ref == row[1]
            assert rec.raw == store.raw_record(iid)
        media_items = [i for i in workspace.media if i in recs]
        assert media_items, "the fixture has media to back up"
        for iid in media_items:
            assert recs[iid].media_bytes(0) == workspace.media[iid]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes()[9] == 15  # the product's scrypt cost, N = 2^15, is in the header
    # plaintext never appears in the file
    blob = out.read_bytes()
    assert "пост".encode() not in blob and b"wall100001" not in blob
    # extraction writes item.json and media files
    files = extract(read_backup(out, PASSPHRASE), tmp_path / "x")
    assert files == len(workspace.delete_ids)
    first = json.loads((tmp_path / "x" / "00001" / "item.json").read_text())
    assert first["item_id"] in workspace.delete_ids


def test_wrong_passphrase_is_one_clear_error(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "b.rgbk"
    with Store.open(workspace.db) as store:
        backup_items(store, workspace.delete_ids[:2], out, PASSPHRASE, log2_n=FAST_KDF)
    with pytest.raises(UserError, match="неверный пароль"):
        list(read_backup(out, "not it"))


def test_altered_byte_is_detected_and_truncation_keeps_prefix(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "b.rgbk"
    with Store.open(workspace.db) as store:
        backup_items(store, workspace.delete_ids[:4], out, PASSPHRASE, log2_n=FAST_KDF)
    blob = bytearray(out.read_bytes())
    damaged = tmp_path / "d.rgbk"
    pos = len(blob) - 40
    blob[pos] ^= 0xFF
    damaged.write_bytes(bytes(blob))
    with pytest.raises(InputError, match="повреждена или изменена"):
        list(read_backup(damaged, PASSPHRASE))
    cut = tmp_path / "cut.rgbk"
    cut.write_bytes(out.read_bytes()[:-10])  # killed while writing the last record
    assert len(list(read_backup(cut, PASSPHRASE))) == 3


def test_backup_never_overwrites(tmp_path: Path) -> None:
    f = tmp_path / "b.rgbk"
    f.write_bytes(b"keep me")
    with pytest.raises(UserError, match="никогда не перезаписывается"):
        BackupWriter(f, PASSPHRASE)
    assert f.read_bytes() == b"keep me"


def test_record_order_is_authenticated(tmp_path: Path) -> None:
    f = tmp_path / "b.rgbk"
    with BackupWriter(f, PASSPHRASE, log2_n=10) as w:
        for i in range(2):
            w.add(f"id{i}", Item(platform="vk", native_id=f"wall1_{i}", kind="post", text=str(i)), None)
    blob = f.read_bytes()
    # split into records and swap the two item records
    recs, pos = [], HEADER_LEN
    while pos < len(blob):
        ln = int.from_bytes(blob[pos : pos + 8], "big")
        recs.append(blob[pos : pos + 8 + ln])
        pos += 8 + ln
    swapped = tmp_path / "s.rgbk"
    swapped.write_bytes(blob[:HEADER_LEN] + recs[0] + recs[2] + recs[1])
    with pytest.raises(InputError, match=r"запись 1 \("):
        list(read_backup(swapped, PASSPHRASE))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=300))
def test_junk_files_give_one_line_errors(tmp_path: Path, junk: bytes) -> None:
    f = tmp_path / "junk.rgbk"
    f.write_bytes(junk)
    try:
        list(read_backup(f, PASSPHRASE))
    except RepostguardError as e:
        assert "\n" not in str(e) and str(f) in str(e)

"""CLI commands of the media stage: ``hashes import``, ``media fetch|process|groups``."""

from __future__ import annotations

from pathlib import Path

import click

from repostguard.cli._common import db_option, resolve_db
from repostguard.store import Store

# the commands import their stages when they run: numpy, OpenCV, Pillow and httpx load only then


@click.group("hashes")
def hashes_group() -> None:
    """Banks of hashes of known pictures (PDQ) / Банки хэшей известных картинок (PDQ)."""


@hashes_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@db_option
def hashes_import(file: Path, db: Path | None) -> None:
    """Import a CSV of PDQ hashes (hash,label,reference[,quality]); see docs/media.md.

    Импорт CSV с хэшами PDQ (hash,label,reference[,quality]); формат описан в docs/media.md.
    """
    from repostguard.banks.hashes import import_bank

    with Store.open(resolve_db(db)) as store:
        res = import_bank(store, file)
    click.echo(res.line())


@click.group("media")
def media_group() -> None:
    """Pictures: text in pictures, hashes, VK photo download / Картинки: текст, хэши, загрузка фото VK."""


@media_group.command("process")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None,
              help="Worker processes (default: all cores) / Число процессов (по умолчанию все ядра).")
@click.option("--no-ocr", is_flag=True,
              help="Only hash, do not read text / Только хэши, без распознавания текста.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar / Без индикатора.")
@db_option
def media_process(jobs: int | None, no_ocr: bool, quiet: bool, db: Path | None) -> None:
    """Read text in and hash every picture of the workspace now (a scan does this too; cached, resumable).

    Распознать текст и посчитать хэши всех картинок (scan делает это сам; результаты сохраняются).
    """
    from repostguard.pipeline.media import MediaStats, prepare

    notes: list[str] = []
    stats = MediaStats()
    with Store.open(resolve_db(db)) as store:
        out = prepare(store, progress=not quiet, notes=notes, jobs=jobs, ocr=not no_ocr, stats=stats)
    for n in notes:
        click.echo(f"  {n}", err=True)
    click.echo(f"{stats.photos} photo attachments, {stats.pictures} pictures: {stats.cached} already done, "
               f"{stats.processed} processed, {stats.ocr_done} with text, "
               f"{stats.text_checked_skip} without text, "
               f"{stats.bad} skipped, {stats.missing} missing; text found in {len(out)} items")


@media_group.command("fetch")
@click.option("--yes", "-y", is_flag=True, help="Do not ask / Не спрашивать.")
@click.option("--delay", type=click.FloatRange(0.2, 60.0), default=1.0, show_default=True,
              help="Seconds between requests / Пауза между запросами, с.")
@click.option("--retry-expired", is_flag=True, help="Try expired links again / Повторить истёкшие ссылки.")
@db_option
def media_fetch(yes: bool, delay: float, retry_expired: bool, db: Path | None) -> None:
    """Download your own VK photos (the VK archive only links to them) into the workspace.

    Скачать ваши фото из ВКонтакте (в архиве VK только ссылки на них) в рабочую папку.
    Only direct photo links of your own items on VK image servers; nothing else is opened.
    """
    from repostguard.actions.fetch import candidates, fetch_media

    with Store.open(resolve_db(db)) as store:
        cands = candidates(store)
        done = {r[0] for r in store.conn.execute(
            "SELECT url FROM media_fetch WHERE status IN ('ok','gone','refused')")}
        todo = [c for c in cands if c.url not in done or retry_expired]
        if not todo:
            click.echo(f"nothing to download / нечего скачивать ({len(cands)} VK photo links, all handled)")
            return
        click.echo(f"{len(todo)} photo links of your own VK items will be downloaded from VK's image "
                   "servers, "
                   f"one every {delay:g} s. / Будет скачано {len(todo)} фото по ссылкам из вашего архива VK, "
                   f"по одному раз в {delay:g} с.")
        if not yes and not click.confirm("Download? / Скачать?", default=False):
            click.echo("Nothing downloaded. / Ничего не скачано.")
            return
        summary = fetch_media(store, delay=delay, retry_gone=retry_expired)
    click.echo(summary.line())
    if summary.gone:
        click.echo("Expired links cannot be fetched: request a fresh archive from VK "
                   "(vk.com/data_protection) "
                   "and import it again. / Истёкшие ссылки скачать нельзя: запросите новый архив VK "
                   "(vk.com/data_protection) и импортируйте его.", err=True)


@media_group.command("groups")
@db_option
def media_groups(db: Path | None) -> None:
    """List items sharing the same picture (after a scan) / Записи с одной и той же картинкой."""
    from repostguard.pipeline.groups import near_duplicate_groups

    with Store.open(resolve_db(db)) as store:
        groups = near_duplicate_groups(store)
        refs = {r[0]: r[1] for r in store.conn.execute("SELECT id, ref FROM items")}
    by_group: dict[str, list[str]] = {}
    for iid, gid in groups.items():
        by_group.setdefault(gid, []).append(refs.get(iid, iid))
    for gid, members in sorted(by_group.items(), key=lambda kv: -len(kv[1])):
        click.echo(f"{gid}: {len(members)} items: {', '.join(sorted(members))}")
    click.echo(f"{len(by_group)} groups of the same picture / групп одинаковых картинок: {len(by_group)}")


COMMANDS: list[click.Command] = [hashes_group, media_group]

"""CLI commands of the media stage: ``hashes import``, ``media fetch|process|groups``."""

from __future__ import annotations

from pathlib import Path

import click

from repostguard.cli._common import db_option, resolve_db
from repostguard.i18n import t
from repostguard.store import Store

# the commands import their stages when they run: numpy, OpenCV, Pillow and httpx load only then


@click.group("hashes")
def hashes_group() -> None:
    """Banks of hashes of known pictures (PDQ)."""


@hashes_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@db_option
def hashes_import(file: Path, db: Path | None) -> None:
    """Import a CSV of PDQ hashes (hash,label,reference[,quality]); see docs/media.md."""
    from repostguard.banks.hashes import import_bank
    from repostguard.media.hashing import MIN_PDQ_QUALITY

    with Store.open(resolve_db(db)) as store:
        res = import_bank(store, file)
    if res.same_file:
        click.echo(t("cli_hashes_same_file", path=res.path))
    else:
        click.echo(t("cli_hashes_imported", path=res.path, rows=res.rows, added=res.added, already=res.already,
                     dropped=res.dropped_low_quality, min=MIN_PDQ_QUALITY))


@click.group("media")
def media_group() -> None:
    """Pictures: text in pictures, hashes, VK photo download."""


@media_group.command("process")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None,
              help="Worker processes (default: all cores).")
@click.option("--no-ocr", is_flag=True,
              help="Only hash, do not read text.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@db_option
def media_process(jobs: int | None, no_ocr: bool, quiet: bool, db: Path | None) -> None:
    """Read text in and hash every picture of the workspace now (a scan does this too; cached, resumable)."""
    from repostguard.pipeline.media import MediaStats, prepare

    notes: list[str] = []
    stats = MediaStats()
    with Store.open(resolve_db(db)) as store:
        out = prepare(store, progress=not quiet, notes=notes, jobs=jobs, ocr=not no_ocr, stats=stats)
    for n in notes:
        click.echo(f"  {n}", err=True)
    click.echo(t("cli_media_processed", photos=stats.photos, pictures=stats.pictures, cached=stats.cached,
                 processed=stats.processed, text=stats.ocr_done, no_text=stats.text_checked_skip, bad=stats.bad,
                 missing=stats.missing, items=len(out)))


@media_group.command("fetch")
@click.option("--yes", "-y", is_flag=True, help="Do not ask.")
@click.option("--delay", type=click.FloatRange(0.2, 60.0), default=1.0, show_default=True,
              help="Seconds between requests.")
@click.option("--retry-expired", is_flag=True, help="Try expired links again.")
@db_option
def media_fetch(yes: bool, delay: float, retry_expired: bool, db: Path | None) -> None:
    """Download your own VK photos (the VK archive only links to them) into the workspace.

    Only direct photo links of your own items on VK image servers; nothing else is opened.
    """
    from repostguard.actions.fetch import candidates, fetch_media

    with Store.open(resolve_db(db)) as store:
        cands = candidates(store)
        done = {r[0] for r in store.conn.execute(
            "SELECT url FROM media_fetch WHERE status IN ('ok','gone','refused')")}
        todo = [c for c in cands if c.url not in done or retry_expired]
        if not todo:
            click.echo(t("cli_fetch_nothing", n=len(cands)))
            return
        click.echo(t("cli_fetch_plan", n=len(todo), delay=f"{delay:g}"))
        if not yes and not click.confirm(t("cli_fetch_confirm"), default=False):
            click.echo(t("cli_fetch_declined"))
            return
        summary = fetch_media(store, delay=delay, retry_gone=retry_expired)
    click.echo(t("cli_fetch_done", fetched=summary.fetched, already=summary.already, gone=summary.gone,
                 failed=summary.failed, refused=summary.refused))
    if summary.gone:
        click.echo(t("cli_fetch_expired"), err=True)


@media_group.command("groups")
@db_option
def media_groups(db: Path | None) -> None:
    """List items sharing the same picture (after a scan)."""
    from repostguard.pipeline.groups import near_duplicate_groups

    with Store.open(resolve_db(db)) as store:
        groups = near_duplicate_groups(store)
        refs = {r[0]: r[1] for r in store.conn.execute("SELECT id, ref FROM items")}
    by_group: dict[str, list[str]] = {}
    for iid, gid in groups.items():
        by_group.setdefault(gid, []).append(refs.get(iid, iid))
    for gid, members in sorted(by_group.items(), key=lambda kv: -len(kv[1])):
        click.echo(t("cli_group", group=gid, items=t("cli_items_n", n=len(members)), refs=", ".join(sorted(members))))
    click.echo(t("cli_groups_n", n=len(by_group)))


COMMANDS: list[click.Command] = [hashes_group, media_group]

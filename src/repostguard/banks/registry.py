"""Every list ``lists update`` installs, in the order it installs them, and the command itself.

The declarations live with their kind (:data:`repostguard.banks.fsm.FSM_LIST`,
:data:`repostguard.banks.orgs.ORG_LISTS`); this module only gathers them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from repostguard.banks.fsm import FSM_LIST
from repostguard.banks.lifecycle import ListSpec, configured_mirrors, update
from repostguard.banks.orgs import ORG_LISTS
from repostguard.errors import ExternalError, UserError
from repostguard.i18n import t

_ALL: tuple[ListSpec[Any], ...] = (FSM_LIST, *ORG_LISTS)
#: ``--list`` name → declaration; the FSM first (``--from``/``--mirror`` without ``--list`` mean it)
LISTS: dict[str, ListSpec[Any]] = {s.name: s for s in _ALL}
#: the values of ``lists update --list``
LIST_CHOICES = (*LISTS, "all")


def update_lists(
    which: str | None, *, from_file: Path | None = None, mirrors: list[str] | None = None, force: bool = False
) -> str:
    """``lists update [--list fsm|extremist|terrorist|undesirable|sites|all]``: the summary to print.

    Without ``--list``: ``--from``/``--mirror`` mean the FSM CSV (as before the organisation lists
    existed), otherwise every list is updated. With ``all``, the FSM comes first and its failure is an
    error as before; another list that cannot be fetched is reported as a note, so a blocked site does
    not undo the others. A list without an official source is updated only if it has mirrors.
    """
    others = [s for s in LISTS.values() if s is not FSM_LIST]
    if which is None:
        which = FSM_LIST.name if (from_file is not None or mirrors) else "all"
        if from_file is not None:
            try:
                head = Path(from_file).read_bytes()[:64].lstrip(b"\xef\xbb\xbf \r\n\t")
            except OSError:
                head = b""
            if head[:1] in (b"[", b"{"):
                raise UserError("err_from_is_json", file=from_file, lists="|".join(s.name for s in others))
    if which in LISTS:
        return update(LISTS[which], from_file=from_file, mirrors=mirrors, force=force)
    if which != "all":
        raise UserError("err_list_choice", which=which, lists=", ".join(LISTS))
    if from_file is not None:
        raise UserError("err_from_one_list", lists="|".join(LISTS))
    out = [update(FSM_LIST, mirrors=mirrors, force=force)]
    for spec in others:
        if spec.url is None and not configured_mirrors(spec):
            continue
        try:
            out.append(update(spec, force=force))
        except (ExternalError, UserError) as e:
            out.append(t("cli_note", text=t("cli_list_not_updated", list=spec.label(), reason=e)))
    return "\n".join(out)

"""The explicit list of platforms the clean-up knows, one line each.

Each line is a :class:`~repostguard.actions._base.Platform` declared in the platform's own
module. The order is the order in which ``clean run --yes`` asks for credentials. The planner
(routes), the runner (archive owners), the checklist (wording) and the CLI (credentials) read
this list and nothing else about platforms.
"""

from __future__ import annotations

from repostguard.actions import manual, telegram, vk, x
from repostguard.actions._base import Platform

PLATFORMS: tuple[Platform, ...] = (
    vk.PLATFORM,
    x.PLATFORM,
    telegram.PLATFORM,
    manual.FACEBOOK,
    manual.INSTAGRAM,
    manual.OK,
)

_BY_NAME: dict[str, Platform] = {p.name: p for p in PLATFORMS}
if len(_BY_NAME) != len(PLATFORMS):
    raise RuntimeError("actions.registry: two platforms share a name")


def find(name: str) -> Platform | None:
    """The declaration of platform ``name``, or None for a platform the clean-up does not know."""
    return _BY_NAME.get(name)


def label_of(name: str, lang: str | None = None) -> str:
    """How messages name platform ``name``: its declaration's label, else the platforms' label table."""
    declared = _BY_NAME.get(name)
    if declared is not None:
        return declared.label
    from repostguard.views.i18n import platform_label

    return platform_label(name, lang or "")

"""The plain-language note shown once per run before anything is deleted: the ``act_advice`` entry of the
``clean`` catalogue, in the language asked for.

Legal facts cite the sources collected in the project's legal notes (Supreme Court ruling
81-АД21-9-К8 of 13.08.2021; Constitutional Court ruling 575-О of 28.03.2024). The line on timing
(deleting gradually, not in a burst right before a border crossing or a check) has no source in
those notes, so it is worded as general caution, not as something that happened. The wording is
neutral and is not legal advice.
"""

from __future__ import annotations

from repostguard.i18n import t

#: the note's catalogue key
ADVICE = "act_advice"


def advice(lang: str | None = None) -> str:
    """The advice note in ``lang`` (``ru`` or ``en``; default: the current language)."""
    return t(ADVICE, lang)

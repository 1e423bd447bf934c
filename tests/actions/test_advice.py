"""The advice note: legal facts carry their sources; the timing line is worded as caution only."""

from __future__ import annotations

from repostguard.actions.advice import ADVICE, advice
from repostguard.i18n import t


def _bullets(text: str) -> list[str]:
    return [b.replace("\n", " ") for b in text.split("•")[1:]]


def test_court_facts_cite_rulings_and_timing_line_is_caution() -> None:
    for text, caution in ((advice("en"), "General caution"), (advice("ru"), "Общая осторожность")):
        courts = [b for b in _bullets(text) if "81-АД21-9-К8" in b]
        assert len(courts) == 1 and "575-О" in courts[0]
        timing = [b for b in _bullets(text) if "border" in b or "границы" in b]
        assert len(timing) == 1 and timing[0].strip().startswith(caution)
        # no unsourced claim that something happened
        assert "has itself drawn attention" not in text and "привлекало внимание" not in text
    assert advice("en") == t(ADVICE, "en") and advice("ru") == t(ADVICE, "ru") != advice("en")
    assert advice() == advice("ru")  # the tests speak Russian

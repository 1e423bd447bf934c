"""What every test shares: the interface language pinned (Russian, the default), whatever the machine's
locale, and reset after each test (``--lang`` sets it for the rest of a command)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from repostguard import i18n


@pytest.fixture(autouse=True)
def _pinned_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(i18n.LANG_ENV, "ru")
    token = i18n.LANG.set("")
    try:
        yield
    finally:
        i18n.LANG.reset(token)

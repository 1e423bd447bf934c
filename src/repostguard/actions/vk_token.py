"""VK access for the clean-up, the way that works in 2026: the person's own browser, VK's own page.

The app builds the address of VK's authorisation page (OAuth implicit flow at ``oauth.vk.ru``)
for a client id that VK still accepts (configurable, with fallbacks), asking only for the rights
the deletions need. The person opens it in the browser where they are logged in to VK, allows
access, and copies back the address VK ends on (``https://oauth.vk.ru/blank.html#access_token=…``);
:func:`grant_from_address` takes the token out of it. The token is held in memory only: never
written, never logged, never sent anywhere but to VK's API. docs/clean.md gives the public sources
for each of these facts.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from repostguard.actions.vk import API_VERSION, is_vk_host
from repostguard.i18n import t

AUTHORIZE_URL = "https://oauth.vk.ru/authorize"
#: VK's own page the browser ends on; the token is in its address's fragment
BLANK_URL = "https://oauth.vk.ru/blank.html"
#: the rights deletion needs: ``wall`` (posts, reposts, comments, likes), ``photos``, ``video``.
#: No ``offline``: the token expires by itself within a day.
SCOPE = ("wall", "photos", "video")
#: the client ids the page offers: VK's own web client first, then fallbacks that public tools used
#: with this flow (docs/clean.md names the sources); ``REPOSTGUARD_VK_CLIENT_ID`` (ids separated by
#: commas) replaces the list. Each with the catalogue key of its name.
CLIENT_IDS: tuple[tuple[str, str], ...] = (
    ("6287487", "act_vk_client_web"),
    ("7793118", "act_vk_client_calls"),
    ("6463690", "act_vk_client_marusia"),
)
CLIENT_ENV = "REPOSTGUARD_VK_CLIENT_ID"
#: the longest address or token accepted from the paste box
MAX_PASTE = 4096
_BARE_TOKEN = re.compile(r"[A-Za-z0-9._\-]{20,1000}")


class AddressError(ValueError):
    """The pasted text holds no usable token. ``code`` names the case for the page's words:
    ``empty``, ``too_long``, ``not_vk`` (an address of another site), ``denied`` (VK says access
    was not given; ``detail`` is VK's own description), ``no_token``."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Grant:
    """A token taken from VK's answer, with the account and lifetime VK named next to it."""

    token: str = field(repr=False)
    user_id: str | None = None
    expires_in: int | None = None


def client_ids(lang: str | None = None) -> list[tuple[str, str]]:
    """The client ids to offer, in order, each with its name in ``lang`` (default: the current language):
    ``REPOSTGUARD_VK_CLIENT_ID`` if set (no names), else :data:`CLIENT_IDS`."""
    given = [c.strip() for c in os.environ.get(CLIENT_ENV, "").split(",") if c.strip().isdigit()]
    if given:
        return [(c, "") for c in given]
    return [(c, t(key, lang)) for c, key in CLIENT_IDS]


def token_link(client_id: str) -> str:
    """The address of VK's authorisation page asking for :data:`SCOPE` for ``client_id``."""
    query = {
        "client_id": client_id,
        "display": "page",
        "redirect_uri": BLANK_URL,
        "scope": ",".join(SCOPE),
        "response_type": "token",
        "v": API_VERSION,
        "revoke": "1",  # VK asks again even if access was given before: the person sees the rights
    }
    return f"{AUTHORIZE_URL}?{urlencode(query)}"


def grant_from_address(text: str) -> Grant:
    """The token in what the person pasted: VK's final address (its fragment or query holds
    ``access_token``), or the token alone. Raises :class:`AddressError` otherwise."""
    text = (text or "").strip()
    if not text:
        raise AddressError("empty")
    if len(text) > MAX_PASTE:
        raise AddressError("too_long")
    if "://" not in text and not text.lower().startswith(("oauth.", "access_token=", "#")):
        if _BARE_TOKEN.fullmatch(text):
            return Grant(text)
        raise AddressError("no_token")
    if text.startswith(("#", "access_token=")):
        params = dict(parse_qsl(text.lstrip("#"), keep_blank_values=True))
    else:
        try:
            parts = urlsplit(text if "://" in text else "https://" + text)
        except ValueError:
            raise AddressError("no_token") from None
        if not is_vk_host(parts.hostname or ""):
            raise AddressError("not_vk")
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        params.update(parse_qsl(parts.fragment, keep_blank_values=True))
    if params.get("error"):
        detail = params.get("error_description") or params["error"]
        raise AddressError("denied", detail[:200])
    token = params.get("access_token", "").strip()
    if not _BARE_TOKEN.fullmatch(token):
        raise AddressError("no_token")
    user = params.get("user_id", "").strip()
    expires = params.get("expires_in", "").strip()
    return Grant(token, user if user.isdigit() else None, int(expires) if expires.isdigit() else None)


__all__ = ["AUTHORIZE_URL", "BLANK_URL", "SCOPE", "CLIENT_IDS", "AddressError", "Grant", "client_ids",
           "grant_from_address", "token_link"]

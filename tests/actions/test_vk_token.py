"""VK's token link and the address pasted back: the link asks VK's own page for the deletion rights
only; the parser takes the token out of any shape a browser shows, and refuses everything else with a
named reason (property-tested)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repostguard.actions.vk_token import AddressError, client_ids, grant_from_address, token_link

from .conftest import OWNER, TOKEN

TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"


def final(token: str = TOKEN, user: int = OWNER, host: str = "oauth.vk.ru") -> str:
    return f"https://{host}/blank.html#access_token={token}&expires_in=86400&user_id={user}"


def test_the_link_goes_to_vks_own_page_for_the_deletion_rights_only() -> None:
    link = token_link("6287487")
    parts = urlsplit(link)
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert (parts.scheme, parts.hostname, parts.path) == ("https", "oauth.vk.ru", "/authorize")
    assert q == {"client_id": "6287487", "display": "page", "redirect_uri": "https://oauth.vk.ru/blank.html",
                 "scope": "wall,photos,video", "response_type": "token", "v": "5.199", "revoke": "1"}


def test_client_ids_are_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert client_ids()[0][0] == "6287487" and len(client_ids()) >= 2
    monkeypatch.setenv("REPOSTGUARD_VK_CLIENT_ID", "123, 456,x")
    assert [c for c, _ in client_ids()] == ["123", "456"]


def test_addresses_as_browsers_show_them() -> None:
    g = grant_from_address(final())
    assert (g.token, g.user_id, g.expires_in) == (TOKEN, str(OWNER), 86400)
    assert TOKEN not in repr(g)
    assert grant_from_address("  " + TOKEN + "\n").token == TOKEN  # the token alone
    assert grant_from_address(final(host="oauth.vk.com")).token == TOKEN  # the old domain
    assert grant_from_address(final().replace("https://", "")).token == TOKEN  # copied without the scheme
    assert grant_from_address("#access_token=" + TOKEN + "&user_id=1").user_id == "1"
    for bad, code in [("", "empty"), ("https://example.com/#access_token=" + TOKEN, "not_vk"),
                      ("https://vk.com.evil.example/#access_token=" + TOKEN, "not_vk"),
                      ("https://oauth.vk.ru/blank.html#error=access_denied&error_description=User+denied", "denied"),
                      ("https://oauth.vk.ru/blank.html#expires_in=0", "no_token"), ("привет мир", "no_token"),
                      ("https://oauth.vk.ru/blank.html#access_token=a%20b", "no_token"), ("x" * 5000, "too_long")]:
        with pytest.raises(AddressError) as e:
            grant_from_address(bad)
        assert e.value.code == code, bad


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_paste_gives_a_token_or_a_named_refusal(text: str) -> None:
    try:
        g = grant_from_address(text)
    except AddressError as e:
        assert e.code in ("empty", "too_long", "not_vk", "denied", "no_token")
    else:
        assert g.token and all(c in TOKEN_CHARS for c in g.token)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=TOKEN_CHARS, min_size=20, max_size=200), st.integers(1, 10**12),
       st.sampled_from(["oauth.vk.ru", "oauth.vk.com"]), st.sampled_from(["", " ", "\n"]))
def test_the_token_comes_back_whole(token: str, user: int, host: str, pad: str) -> None:
    g = grant_from_address(pad + final(token, user, host) + pad)
    assert (g.token, g.user_id) == (token, str(user))

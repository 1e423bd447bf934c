"""Platforms without a deletion API: everything goes to the checklist, in their own words.

Facebook and Instagram give no API to delete a person's own posts, comments or likes, and
Odnoklassniki gives no self-service API at all; repostguard never logs in with a password. What to do
by hand is each platform's ``act_howto_…`` entry of the ``clean`` catalogue.
"""

from __future__ import annotations

from repostguard.actions._base import Platform

_NO_API = (("everything", "no API through which a person may delete their own items"),)


def _by_hand(name: str, label: str, host: str) -> Platform:
    """A platform whose items all go to the checklist."""
    return Platform(name=name, label=label, hosts=(host,), manual=_NO_API)


FACEBOOK = _by_hand("facebook", "Facebook", "facebook.com")
INSTAGRAM = _by_hand("instagram", "Instagram", "instagram.com")
OK = _by_hand("ok", "Odnoklassniki", "ok.ru")

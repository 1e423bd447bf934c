"""Platforms without a deletion API: everything goes to the checklist, in their own words.

Facebook and Instagram give no API to delete a person's own posts, comments or likes, and
Odnoklassniki gives no self-service API at all; repostguard never logs in with a password. What to do
by hand is each platform's ``act_howto_…`` entry of the ``clean`` catalogue.
"""

from __future__ import annotations

from repostguard.actions._base import Platform

_NO_API = (("everything", "no API through which a person may delete their own items"),)

FACEBOOK = Platform(
    name="facebook",
    label="Facebook",
    hosts=("facebook.com",),
    howto="act_howto_facebook",
    manual=_NO_API,
)

INSTAGRAM = Platform(
    name="instagram",
    label="Instagram",
    hosts=("instagram.com",),
    howto="act_howto_instagram",
    manual=_NO_API,
)

OK = Platform(
    name="ok",
    label="Odnoklassniki",
    hosts=("ok.ru",),
    howto="act_howto_ok",
    manual=_NO_API,
)

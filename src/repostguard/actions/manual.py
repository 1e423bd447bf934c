"""Platforms without a deletion API: everything goes to the checklist, in their own words.

Facebook and Instagram give no API to delete a person's own posts, comments or likes, and
Odnoklassniki gives no self-service API at all; repostguard never logs in with a password.
"""

from __future__ import annotations

from repostguard.actions._base import Platform

_NO_API = (("everything", "no API through which a person may delete their own items"),)

FACEBOOK = Platform(
    name="facebook",
    label="Facebook",
    hosts=("facebook.com",),
    howto=(
        "Откройте ссылку, меню «…» → «Переместить в корзину» или «Удалить»; либо «Журнал действий».",
        'Open the link, the "…" menu → Move to trash or Delete; or use Activity log.',
    ),
    manual=_NO_API,
)

INSTAGRAM = Platform(
    name="instagram",
    label="Instagram",
    hosts=("instagram.com",),
    howto=(
        "Откройте публикацию, меню «…» → «Удалить» (или «Архивировать», чтобы скрыть).",
        'Open the post, the "…" menu → Delete (or Archive to hide it).',
    ),
    manual=_NO_API,
)

OK = Platform(
    name="ok",
    label="Odnoklassniki",
    hosts=("ok.ru",),
    howto=("Откройте ссылку, меню записи → «Удалить».", "Open the link, the item's menu → Delete."),
    manual=_NO_API,
)

"""Items with no link (screenshots, saved pages, records an archive gives no address for) are described in
the checklist so the person can find them by hand: what, when, with how many pictures, where it was seen."""

from __future__ import annotations

from repostguard.actions.checklist import describe
from repostguard.actions.planner import Entry


def entry(**kw: object) -> Entry:
    base: dict[str, object] = {"item_id": "i1", "ref": "screenshots:a.png#1", "platform": "screenshots",
                               "kind": "screenshot", "action": "delete", "route": "manual",
                               "date": "2019-03-12T20:02:00+03:00"}
    return Entry(**{**base, **kw})  # type: ignore[arg-type]


def test_a_screenshot_post_is_described_by_date_pictures_and_network() -> None:
    text = describe(entry(pictures=1, network="odnoklassniki"), "ru")
    assert text.startswith("запись от 12.03.2019") and "картинкой" in text and "скриншоте" in text
    assert "Одноклассники" in text
    en = describe(entry(pictures=2, network="odnoklassniki"), "en")
    assert en.startswith(("post of", "item of", "entry of")) and "2 pictures" in en and "screenshot" in en


def test_an_ordinary_item_without_a_link_is_described_by_its_kind_and_date() -> None:
    text = describe(entry(platform="vk", kind="comment", network="", ref="vk:c1"), "ru")
    assert text.startswith("комментарий от 12.03.2019") and "скриншот" not in text


def test_a_profile_picture_says_where_to_change_it() -> None:
    text = describe(entry(platform="telegram", kind="avatar", ref="telegram:avatar/p.jpg", pictures=1), "ru")
    assert text.startswith("фото профиля от") and "настройках профиля" in text

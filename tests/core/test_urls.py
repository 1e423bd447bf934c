"""URL extraction and canonical keys: one row per normalisation step."""

from __future__ import annotations

import pytest

from repostguard.matchers.urls import canonical, find_urls


@pytest.mark.parametrize(
    "a, b",
    [
        ("https://vk.com/id123", "vk.com/id123"),
        ("http://www.vk.com/id123/", "vk.com/id123"),
        ("https://m.vk.com/id123", "vk.com/id123"),
        ("https://vk.ru/id123", "vk.com/id123"),
        ("http://vkontakte.ru/id123", "vk.com/id123"),
        ("https://vk.com/public555", "vk.com/club555"),
        ("https://vk.com/wga2net?w=wall74228038_18460%2fall", "vk.com/wall74228038_18460"),
        ("https://m.vk.com/video155149593_170998931?hash=abc", "vk.com/video155149593_170998931"),
        ("https://vk.com/notes.php?id=26531492/", "vk.com/notes.php?id=26531492"),
        ("https://www.youtube.com/watch?v=HRRZ6XPwkg4&feature=share", "youtube.com/watch?v=HRRZ6XPwkg4"),
        ("youtu.be/HRRZ6XPwkg4", "youtube.com/watch?v=HRRZ6XPwkg4"),
        ("https://youtube.com/shorts/HRRZ6XPwkg4", "youtube.com/watch?v=HRRZ6XPwkg4"),
        ("youtube.com/watch?time_continue=5&v=GJPITXNJrFA/", "youtube.com/watch?v=GJPITXNJrFA"),
        ("https://www.stormfront.org/forum/t35059/", "stormfront.org/forum/t35059"),
        ("http://Example.ORG/Path/?utm_source=x", "example.org/path"),
        ("kavkazcenter.com", "kavkazcenter.com"),
        # a forum topic is named by its query (the list writes ``http:/rutracker.org/…?t=…``)
        ("http:/rutracker.org/forum/viewtopic.php?t=1013069", "rutracker.org/forum/viewtopic.php?t=1013069"),
        ("https://rutracker.org/forum/viewtopic.php?t=55&utm_source=vk", "rutracker.org/forum/viewtopic.php?t=55"),
        # hosts whose path names the post lose every query parameter (share tracking)
        ("https://twitter.com/someone/status/123?s=20&t=AbC", "x.com/someone/status/123"),
        ("https://t.me/somechannel/42?single", "t.me/somechannel/42"),
    ],
)
def test_canonical(a: str, b: str) -> None:
    assert canonical(a) == b


@pytest.mark.parametrize("bare", ["http://vk.com", "https://www.youtube.com/", "vk.com/video", "https://vk.com/feed",
                                  "ok.ru", "https://m.vk.com/"])
def test_bare_platform_addresses_have_no_key(bare: str) -> None:
    assert canonical(bare) is None


def test_youtube_ids_keep_their_case() -> None:
    assert canonical("youtu.be/AbCdEf12") != canonical("youtu.be/abcdef12")


@pytest.mark.parametrize(
    "written, key",
    [
        ("на странице http://vk/com/id5555 (решение", "vk.com/id5555"),
        ("по адресу http:// vk.com/id30447455 исполнителя", "vk.com/id30447455"),
        ("адрес: http:vkontakte.ru/id28497819 (решение", "vk.com/id28497819"),
        ("страница http://vkontakte.ru (id15338492) социальной сети", "vk.com/id15338492"),
        ("http://vkontakte.ru/video 41789778_160351887, размещенный", "vk.com/video41789778_160351887"),
    ],
)
def test_malformed_list_addresses_are_repaired(written: str, key: str) -> None:
    assert key in {canonical(u) for u in find_urls(written, repair=True)}


def test_find_urls_in_posts() -> None:
    text = "Смотрите: m.vk.com/id1/ и https://youtu.be/AbCdEf12. Пишите на a.b@mail.ru, т.е. никуда."
    keys = {canonical(u) for u in find_urls(text)}
    assert keys == {"vk.com/id1", "youtube.com/watch?v=AbCdEf12"}


def test_different_topics_of_one_forum_are_different_pages() -> None:
    a = canonical("http://rutracker.org/forum/viewtopic.php?t=3847614")
    b = canonical("http://rutracker.org/forum/viewtopic.php?t=1013069")
    assert a and b and a != b

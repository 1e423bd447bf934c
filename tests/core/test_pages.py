"""Page relations (issue 18, part 3): addresses → pages, the list's pages, and the mention findings of a
repost from, a like, comment or bookmark of a post on, or a subscription to a page an entry names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repostguard.banks.fsm import parse_fsm
from repostguard.matchers.fsm import FsmMatcher
from repostguard.matchers.pages import is_page_name_context, page_of, page_relations
from repostguard.model import Attachment, Item, Source

from .conftest import FSM_2025, need, write_list

owners = st.integers(min_value=1, max_value=10**10)
ids = st.integers(min_value=0, max_value=10**9)
kinds = st.sampled_from(["wall", "photo", "video", "clip", "topic"])
prefixes = st.sampled_from(["https://vk.com/", "http://m.vk.com/", "vk.ru/", "https://vkontakte.ru/",
                            "https://www.vk.com/"])


@given(kinds, owners, ids, prefixes)
def test_content_of_a_community_maps_to_the_community(kind: str, n: int, m: int, pre: str) -> None:
    assert page_of(f"{pre}{kind}-{n}_{m}") == f"vk.com/club{n}"
    assert page_of(f"{pre}{kind}-{n}_{m}?reply={m + 1}") == f"vk.com/club{n}"


@given(kinds, owners, ids, prefixes)
def test_content_of_a_person_maps_to_the_person(kind: str, n: int, m: int, pre: str) -> None:
    assert page_of(f"{pre}{kind}{n}_{m}") == f"vk.com/id{n}"


@given(st.sampled_from(["club", "public", "event"]), owners, prefixes)
def test_public_and_event_are_the_club(word: str, n: int, pre: str) -> None:
    assert page_of(f"{pre}{word}{n}/") == f"vk.com/club{n}"
    # a page keyed by a post shown over it (``?w=wall…``) is the post's owner
    assert page_of(f"{pre}{word}{n}?w=wall-{n}_5") == f"vk.com/club{n}"


@given(st.from_regex(r"[a-z][a-z0-9_]{3,20}", fullmatch=True), st.integers(min_value=1, max_value=10**6))
def test_other_platforms_post_to_account(name: str, post: int) -> None:
    assert page_of(f"https://t.me/{name}/{post}") == f"t.me/{name}"
    assert page_of(f"https://t.me/s/{name}/{post}") == f"t.me/{name}"
    assert page_of(f"https://twitter.com/{name}/status/{post}") == f"x.com/{name}"
    assert page_of(f"https://x.com/{name}/status/{post}?s=20") == f"x.com/{name}"
    assert page_of(f"https://www.facebook.com/{name}/posts/{post}") == f"facebook.com/{name}"
    assert page_of(f"https://ok.ru/group/{post}/topic/{post + 7}") == f"ok.ru/group/{post}"
    assert page_of(f"https://www.tiktok.com/@{name}/video/{post}") == f"tiktok.com/@{name}"


@pytest.mark.parametrize("url", [
    "https://vk.com", "vk.com/", "https://vk.com/feed", "https://vk.com/video?z=abc", "https://vk.com/away.php?to=x",
    "https://vk.com/wall0_5", "https://t.me/c/123/45", "https://t.me/+AbCdEf", "https://x.com/i/status/1",
    "https://www.instagram.com/p/Cx1y2z3/", "https://www.instagram.com/reel/Cx1y2z3/",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://youtu.be/dQw4w9WgXcQ", "https://ok.ru/video/123",
    "https://example.org/some/page", "https://facebook.com/watch/?v=1",
])
def test_addresses_without_a_page(url: str) -> None:
    """A bare platform host, a platform's own section, a post whose address hides its account, a site."""
    assert page_of(url) is None


def test_addresses_that_are_pages() -> None:
    assert page_of("https://vk.com/some_name") == "vk.com/some_name"
    assert page_of("https://vk.com/id5") == "vk.com/id5"
    assert page_of("https://vk.com/wall-77") == "vk.com/club77"
    assert page_of("https://www.instagram.com/stories/someone/123/") == "instagram.com/someone"
    assert page_of("https://www.youtube.com/@SomeOne/videos") == "youtube.com/@someone"
    assert page_of("https://facebook.com/permalink.php?story_fbid=9&id=42") == "facebook.com/profile.php?id=42"


def test_page_name_contexts() -> None:
    assert is_page_name_context("в социальной сети «Вконтакте» на странице общества ")
    assert is_page_name_context("представляющая собой «репост» записи сообщества ")
    assert is_page_name_context("в открытой группе ")
    assert is_page_name_context("на странице ")
    assert is_page_name_context("в телеграм-канале ")
    assert not is_page_name_context("на странице пользователя ")  # a private person's name
    assert not is_page_name_context("Текст песни музыкальной группы ")  # a band
    assert not is_page_name_context("на сайте ")


# -- end to end on a small made-up list ------------------------------------------------------------

ROWS = [
    ("10", "Изображение, размещённое в социальной сети «Вконтакте» на странице общества «Вымышленные "
           "соседи» (http://vk.com/club60288921) (решение суда от 01.02.2016);", "01.06.2016"),
    ("11", "Текст «Совершенно выдуманный длинный текст о погоде», размещённый на странице общества "
           "«Вымышленные соседи» (http://vk.com/club60288921) (решение суда от 01.02.2016);", "01.06.2016"),
    ("12", "Видеоролик по адресу http://vk.com/video-5550001_77 (решение суда от 01.02.2017);", "01.06.2017"),
    ("13", "Материалы, размещённые в сообществе «Клуб любителей выдуманных вещей» (решение суда от "
           "01.02.2018);", "01.06.2018"),
    ("14", "Запись http://vk.com/wall-5550002_9 (решение суда от 01.02.2019);", "01.06.2019"),
    ("15", "Видеоролик на странице пользователя «Пётр Выдуманный» (решение суда от 01.02.2019);", "01.06.2019"),
]


@pytest.fixture()
def matcher(tmp_path: Path) -> FsmMatcher:
    return FsmMatcher(parse_fsm(write_list(tmp_path / "pages.csv", ROWS)))


def it(kind: str, url: str | None = None, text: str = "", src: Source | None = None,
       native: str = "x") -> Item:
    return Item(platform="vk", native_id=f"{native}-{kind}", kind=kind, text=text, url=url, reposted_from=src)


def found(m: FsmMatcher, item: Item) -> dict[int, tuple[str, str]]:
    return {int(f.entry): (f.level, f.signal) for f in m.match(item)}


PAGE_10_11 = {10: ("mention", "page"), 11: ("mention", "page")}


@pytest.mark.parametrize(("item", "what_ru", "what_en"), [
    (it("like", "https://vk.com/wall-60288921_45"), "Отметка «нравится» записи на странице", "A like of a post on"),
    (it("like", "https://m.vk.com/wall-60288921_45?reply=67"), "Отметка «нравится» комментария под записью",
     "A like of a comment"),
    (it("like", "https://vk.com/photo-60288921_3"), "Отметка «нравится» фотографии", "A like of a photo"),
    (it("comment", "https://vk.com/wall-60288921_45?reply=68", "Согласен"), "Комментарий под записью на странице",
     "A comment under a post on"),
    (it("bookmark", "https://vk.com/wall-60288921_46"), "Закладка записи на странице", "A bookmark of a post on"),
    (it("bookmark", "https://vk.com/public60288921"), "Закладка страницы", "A bookmark of a page"),
    (it("subscription", "https://vk.com/club60288921", "Вымышленные соседи"), "Подписка на сообщество",
     "A subscription to a community"),
])
def test_each_relation_to_a_named_page_is_one_mention_per_entry(matcher: FsmMatcher, item: Item, what_ru: str,
                                                               what_en: str) -> None:
    fs = matcher.match(item)
    assert found(matcher, item) == PAGE_10_11
    for f in fs:
        assert f.explanation_ru.startswith(what_ru), f.explanation_ru
        assert f.explanation_en.startswith(what_en), f.explanation_en
        assert f"№ {f.entry} списка" in f.explanation_ru and "vk.com/club60288921" in f.explanation_ru
        assert f"entry No. {f.entry}" in f.explanation_en
        assert f.evidence.field == "url" and f.evidence.matched == "vk.com/club60288921"


def test_repost_from_a_named_page(matcher: FsmMatcher) -> None:
    for url in ("https://vk.com/club60288921", "https://vk.com/public60288921", "https://vk.com/wall-60288921_7"):
        rep = it("repost", "https://vk.com/wall1_2", "Текст", Source(name="Другое название", url=url))
        assert found(matcher, rep) == {10: ("mention", "source"), 11: ("mention", "source")}
        f = matcher.match(rep)[0]
        assert f.explanation_ru.startswith("Репост со страницы, названной в записи №")


def test_page_names_quoted_in_entries(matcher: FsmMatcher) -> None:
    # a Telegram forward or a VK repost that gives the source's name only
    fwd = Item(platform="telegram", native_id="c/1", kind="message", text="Пересылка",
               reposted_from=Source(name="Вымышленные  СОСЕДИ"))
    assert found(matcher, fwd) == {10: ("mention", "source"), 11: ("mention", "source")}
    assert "совпадает название, а не адрес" in matcher.match(fwd)[0].explanation_ru
    sub = it("subscription", None, "Клуб любителей выдуманных вещей")
    assert found(matcher, sub) == {13: ("mention", "page")}
    # the same name, but the item's address is another page than the one the entries give
    other = it("repost", None, "Текст", Source(name="Вымышленные соседи", url="https://vk.com/club99"))
    assert found(matcher, other) == {}
    # a private person's page name is matched by address only
    assert found(matcher, it("subscription", None, "Пётр Выдуманный")) == {}


def test_content_named_in_an_entry_ties_its_page(matcher: FsmMatcher) -> None:
    like = it("like", "https://vk.com/wall-5550001_3")
    assert found(matcher, like) == {12: ("mention", "page")}
    f = matcher.match(like)[0]
    assert "vk.com/club5550001" in f.explanation_ru and "vk.com/video-5550001_77" in f.explanation_ru


def test_the_listed_post_itself(matcher: FsmMatcher) -> None:
    """A like, comment or bookmark of the exact listed post is a mention of the material itself; a repost of
    it repeats it (distribution); a liked comment under it is tied to it, not the material itself."""
    assert found(matcher, it("like", "https://vk.com/wall-5550002_9")) == {14: ("mention", "page")}
    f = matcher.match(it("like", "https://vk.com/wall-5550002_9"))[0]
    assert f.score == 0.95 and "по адресу, названному в записи № 14" in f.explanation_ru
    assert found(matcher, it("comment", "https://vk.com/wall-5550002_9?reply=4")) == {14: ("mention", "page")}
    assert found(matcher, it("bookmark", "https://vk.com/video-5550001_77")) == {12: ("mention", "page")}
    rep = it("repost", "https://vk.com/wall1_5", "", Source(url="https://vk.com/wall-5550002_9"))
    assert found(matcher, rep) == {14: ("distribution", "source")}
    liked_reply = matcher.match(it("like", "https://vk.com/wall-5550002_9?reply=4"))
    assert [(f.entry, f.level, f.score) for f in liked_reply] == [("14", "mention", 0.75)]
    # the same address written in a post's text or as a link stays a link to listed content
    post = it("post", "https://vk.com/wall1_6", "", native="p")
    post.attachments = [Attachment(type="link", url="https://vk.com/wall-5550002_9")]
    assert found(matcher, post) == {14: ("distribution", "url")}


@pytest.mark.parametrize("item", [
    it("like", "https://vk.com/wall-60288922_45"),           # another community
    it("like", "https://vk.com/wall60288921_45"),            # the person with that number, not the community
    it("comment", "https://vk.com/wall-1_2?reply=3", "Совершенно выдуманный"),
    it("subscription", "https://vk.com/club1", "Соседи"),
    it("bookmark", "https://vk.com"),
    it("like", "https://www.instagram.com/p/Cx1y2z3/"),
    # the person's own posts: their own url is their wall, never a page relation
    it("post", "https://vk.com/wall-60288921_5", "Привет"),
    it("photo", "https://vk.com/photo-60288921_5"),
    it("video", "https://vk.com/video-5550001_78"),
])
def test_no_relation_no_finding(matcher: FsmMatcher, item: Item) -> None:
    assert found(matcher, item) == {}


def test_relations_of_items() -> None:
    assert page_relations(it("post", "https://vk.com/wall-1_2")) == []
    rels = page_relations(it("subscription", "https://vk.com/club5", "Имя"))
    assert [(r.field, r.value, r.is_name) for r in rels] == [("url", "https://vk.com/club5", False),
                                                             ("text", "Имя", True)]


def test_vk_api_copy_history_owner(matcher: FsmMatcher, tmp_path: Path) -> None:
    """The VK API importer's repost source is the original post; its owner is the page."""
    from repostguard.importers.vk_api import VkApiImporter

    rec = {"id": 3, "owner_id": 1001, "from_id": 1001, "date": 1500000000, "text": "",
           "copy_history": [{"id": 45, "owner_id": -60288921, "from_id": -60288921, "date": 1490000000,
                             "text": "Погода"}]}
    path = tmp_path / "wall.json"
    path.write_text(json.dumps({"response": {"count": 1, "items": [rec],
                                             "groups": [{"id": 60288921, "name": "Соседи"}]}}), "utf-8")
    (item,) = list(VkApiImporter(path).iter_items())
    assert item.kind == "repost" and item.reposted_from is not None
    assert page_of(item.reposted_from.url or "") == "vk.com/club60288921"
    assert found(matcher, item) == {10: ("mention", "source"), 11: ("mention", "source")}


def test_real_list_pages_are_indexed() -> None:
    m = FsmMatcher(parse_fsm(need(FSM_2025)))
    assert set(range(3725, 3739)) <= m.pages.named["vk.com/club60288920"]
    assert set(range(3725, 3739)) <= m.pages.names["партияродноверов"].entries
    assert len({n for p in m.pages.named for n in m.pages.named[p] if p.startswith("vk.com/")}) > 500
    # no bare platform host and no platform section is a page
    assert not {p for p in [*m.pages.named, *m.pages.holding] if "/" not in p and "livejournal" not in p}
    like = Item(platform="vk", native_id="l", kind="like", url="https://vk.com/wall-60288920_1")
    fs = m.match(like)
    assert {int(f.entry) for f in fs} >= set(range(3725, 3739))
    assert {f.level for f in fs} == {"mention"}


def test_recheck_finds_relations_to_a_newly_named_page(tmp_path: Path) -> None:
    """After a list update, recheck finds the likes and subscriptions tied to a page a new entry names."""
    from repostguard.banks.fsm import update_fsm
    from repostguard.pipeline.recheck import run_recheck
    from repostguard.pipeline.scan import run_scan

    old = write_list(tmp_path / "old.csv", ROWS[:1])
    new = write_list(tmp_path / "new.csv", [*ROWS[:1], ("16", "Запись на странице сообщества «Новая выдуманная "
                                                          "страница» (https://vk.com/public8123456);", "01.06.2024")])
    rows = [
        {"id": "l1", "kind": "like", "url": "https://vk.com/wall-8123456_3", "date": "2023-01-01"},
        {"id": "s1", "kind": "subscription", "text": "Новая выдуманная страница", "date": "2023-01-01"},
        {"id": "l2", "kind": "like", "url": "https://vk.com/wall-8123457_3", "date": "2023-01-01"},
        {"id": "p1", "kind": "post", "url": "https://vk.com/wall-8123456_4", "text": "Пост", "date": "2023-01-01"},
    ]
    hist = tmp_path / "h.jsonl"
    hist.write_text("\n".join(json.dumps({**r, "platform": "generic"}, ensure_ascii=False) for r in rows), "utf-8")
    db = tmp_path / "w.sqlite"
    update_fsm(from_file=old)
    run_scan(db, hist, ocr=False, progress=False)
    update_fsm(from_file=new)
    out = tmp_path / "r.json"
    run_recheck(db, json_out=out)
    data = json.loads(out.read_text("utf-8"))
    got = {(f["item"], str(f["entry"]), f["level"], f["signal"]) for f in data["findings"]}
    assert got == {("l1", "16", "mention", "page"), ("s1", "16", "mention", "page")}

"""Pages: the page an item is related to, the pages list entries name, and findings between them.

Many entries of the list name the page where material was posted (``на странице общества «партия
РОДноверов» (http://vk.com/club60288920)``). A repost from such a page, a like of a post there, a
comment under one of its posts, a bookmark of it or a subscription to it is not the material itself,
but it ties the person to the page: each gives a ``mention`` finding (signal ``source`` for a repost,
``page`` for the rest) that names the entries and says what the relation is.

* :func:`page_of` maps an address to its *page key*: VK content ids (``wall-N_M``, ``photo…``,
  ``video…``, ``clip…``, ``topic…``) to their owner (``vk.com/clubN`` for a negative owner,
  ``vk.com/idN`` for a positive one; ``public``/``event`` are ``club``), a Telegram post to its
  channel, an X/TikTok/Facebook/OK/YouTube/Mail.ru post to its account where the address says it.
  Addresses that do not name their account (``instagram.com/p/…``, ``youtube.com/watch?v=…``,
  ``ok.ru/video/…``) have no page; neither has a bare platform host or a platform's own section.
* :class:`PageIndex` holds the entries by page key: pages an entry names itself, pages that hold
  content an entry names (``vk.com/video-1_2`` → ``vk.com/club1``), and page names quoted after
  ``на странице общества``, ``сообщества``, ``в группе``, ``на странице``, ``канала``… (the narrow,
  page-only part of what :func:`repostguard.matchers.quotes.quote_role` calls community and source names:
  bands, publishers, sites and users' own names are left out).
* :func:`page_relations` lists what an item relates to: a repost's (or forward's) source page and
  name; the own address of a like, comment, bookmark or subscription (the liked, commented or
  bookmarked object, the subscribed page), and a subscription's page name. The own address of a
  post, repost, photo or video is the person's own wall, never a relation.
* :func:`match_pages` turns relations into findings. When the related address is itself an address
  an entry names (the exact listed post), a repost is ``distribution`` (it repeats the material) and a
  like, comment or bookmark a ``mention`` of the material itself.

Nothing here ever opens an address.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from repostguard.matchers import urls as U
from repostguard.matchers.normalize import compact
from repostguard.matchers.quotes import extract_quotes, is_address
from repostguard.model import Evidence, Item

if TYPE_CHECKING:
    from repostguard.banks.fsm import FsmEntry
    from repostguard.model import Finding

#: kinds whose own ``url`` is the object they relate to (for the others it is the person's own wall)
RELATION_KINDS = ("like", "comment", "bookmark", "subscription")
#: a page name must have this many letters (compact form) to be matched: shorter ones are common words
MIN_NAME_LETTERS = 10

_VK_CONTENT = re.compile(r"^(wall|photo|video|clip|topic|audio|album|note|doc|market|product)(-?\d+)_\d+$")
_VK_OWNER_SECTION = re.compile(
    r"^(?:wall|albums|photos|videos|audios|clips|board|topics|market|docs|podcasts|narratives|music|"
    r"id)(-?\d+)$")
_VK_COMMUNITY = re.compile(r"^(?:club|public|event)(\d+)$")
_VK_GENERIC = {"about", "blog", "terms", "privacy", "legal", "jobs", "help", "mobile", "press", "security",
               "ads", "pay", "vkpay", "mail", "calls", "services", "games", "app", "catalog", "discover",
               "friends_online", "edit", "restore", "join", "reg", "verify", "developers", "team"}
_TG_RESERVED = {"s", "c", "joinchat", "share", "addstickers", "addemoji", "iv", "proxy", "socks", "login",
                "setlanguage", "addlist", "boost", "contact"}
_X_RESERVED = {"i", "home", "search", "hashtag", "explore", "intent", "share", "settings", "messages",
               "notifications", "compose", "login", "signup", "tos", "privacy"}
_IG_RESERVED = {"p", "reel", "reels", "tv", "explore", "accounts", "direct", "about", "legal", "developer"}
_FB_RESERVED = {"watch", "photo.php", "photo", "photos", "story.php", "sharer", "sharer.php", "share",
                "events", "pages", "marketplace", "login", "login.php", "hashtag", "help", "gaming", "reel",
                "reels", "stories", "search", "home.php", "l.php", "permalink.php", "media", "video.php",
                "plugins", "dialog", "messages", "notifications", "bookmarks", "friends", "settings"}
_OK_RESERVED = {"video", "music", "feed", "dk", "search", "game", "games", "app", "apps", "live", "messages",
                "friends", "guests", "marks", "settings", "gifts", "discussions", "notifications", "holidays"}
_YT_PAGE = {"channel", "user", "c"}
_MAILRU_USERS = {"mail", "list", "inbox", "bk", "ya", "community", "internet", "corp"}
#: names that are a platform or the internet rather than a page
_GENERIC_NAMES = {compact(n) for n in (
    "ВКонтакте", "Вконтакте", "В контакте", "VKontakte", "vk.com", "Одноклассники", "Facebook", "Instagram",
    "Telegram", "Телеграм", "YouTube", "Twitter", "LiveJournal", "Живой журнал", "Интернет", "Мой мир")}

# the words right before a quoted page name: a page of a community, group, public, channel, or a page
# with its name (``на странице «…»``); not a user's page (``на странице пользователя «Имя Фамилия»``:
# a private person's name), a band (``песни группы «…»``), a site or a publisher
_PAGE_NAME_CTX = re.compile(
    r"(?:(?:интернет[- ]?)?(?:странице|страничке|странички)(?:\s+(?:общества|сообщества|группы|паблика|канала))?"
    r"|(?:интернет[- ]?)?(?:страницы|страница)\s+(?:общества|сообщества|группы|паблика|канала)"
    r"|(?:интернет[- ]?)?(?:сообществе|сообщества|сообщество|паблике|паблика|канале|канала)"
    r"(?:\s*\(\s*групп[еы]\s*\))?"
    r"|(?:\s|^)группе(?:\s*\(\s*сообществе\s*\))?)"
    r"\s*(?:под\s+(?:названием|наименованием))?\s*[:–—-]?\s*$",
    re.IGNORECASE,
)
#: a bare ``на странице «…»`` (no community word) often quotes a person's page: «Имя Фамилия»
_BARE_PAGE_CTX = re.compile(r"(?:странице|страничке|странички)\s*(?:под\s+(?:названием|наименованием))?"
                            r"\s*[:–—-]?\s*$", re.IGNORECASE)
_PERSON_LIKE = re.compile(r"^[A-ZА-ЯЁ][a-zа-яё]+(?:[\s-]+[A-ZА-ЯЁ][a-zа-яё]+){1,2}$")
_REPLY = re.compile(r"[?&#](?:reply|thread)=\d+", re.IGNORECASE)


# -- addresses → pages ----------------------------------------------------------------------------


def page_of(url: str) -> str | None:
    """The page key of ``url``: the page (account, community, channel) the address belongs to.

    None when the address names no page: a bare platform host, a platform's own section, an address
    that does not say its account (``instagram.com/p/…``, ``youtube.com/watch?v=…``), or a site that
    is not a social platform (its addresses are matched as links, not as pages).
    """
    key = U.canonical(url)
    return page_of_key(key) if key else None


def page_of_key(key: str) -> str | None:
    """:func:`page_of` for a key that :func:`repostguard.matchers.urls.canonical` gave already."""
    host, _, rest = key.partition("/")
    path, _, query = rest.partition("?")
    parts = [p for p in path.split("/") if p]
    if host == "vk.com":
        if query or len(parts) != 1:
            return None
        seg = parts[0]
        m = _VK_COMMUNITY.match(seg)
        if m:
            return _vk_owner(-int(m.group(1)))
        m = _VK_CONTENT.match(seg) or _VK_OWNER_SECTION.match(seg)
        if m:
            return _vk_owner(int(m.groups()[-1]))
        if seg in _VK_GENERIC or "." in seg and seg.endswith((".php", ".html")):
            return None
        if re.fullmatch(r"(?:photo|video|clip|topic|note|doc|audio|album|wall)-?\d*", seg):
            return None  # a damaged content id: no owner can be read from it
        return f"vk.com/{seg}"
    if not parts:
        return None
    first = parts[0]
    if host == "t.me":
        if first in _TG_RESERVED or first.startswith("+"):
            # t.me/s/<channel>/<post> is the web view of a channel; t.me/c/… a private chat (no name)
            return f"t.me/{parts[1]}" if first == "s" and len(parts) >= 2 else None
        return f"t.me/{first}"
    if host == "x.com":
        return None if first in _X_RESERVED else f"x.com/{first}"
    if host == "instagram.com":
        if first == "stories" and len(parts) >= 2:
            return f"instagram.com/{parts[1]}"
        return None if first in _IG_RESERVED or first == "stories" else f"instagram.com/{first}"
    if host == "tiktok.com":
        return f"tiktok.com/{first}" if first.startswith("@") and len(first) > 1 else None
    if host == "facebook.com":
        q = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        if first in ("profile.php", "permalink.php", "story.php") and q.get("id", "").isdigit():
            return f"facebook.com/profile.php?id={q['id']}"
        if first == "groups" and len(parts) >= 2:
            return f"facebook.com/groups/{parts[1]}"
        return None if first in _FB_RESERVED or first.endswith(".php") else f"facebook.com/{first}"
    if host == "ok.ru":
        if first in ("group", "profile") and len(parts) >= 2:
            return f"ok.ru/{first}/{parts[1]}"
        if re.fullmatch(r"(?:group|profile)\d+", first):
            return f"ok.ru/{first}"
        return None if first in _OK_RESERVED or first in ("group", "profile") else f"ok.ru/{first}"
    if host == "youtube.com":
        if first.startswith("@") and len(first) > 1:
            return f"youtube.com/{first}"
        return f"youtube.com/{first}/{parts[1]}" if first in _YT_PAGE and len(parts) >= 2 else None
    if host == "my.mail.ru":
        return f"my.mail.ru/{first}/{parts[1]}" if first in _MAILRU_USERS and len(parts) >= 2 else None
    if host.endswith(".livejournal.com") and host.count(".") == 2 and not host.startswith("www."):
        return host
    return None


def _vk_owner(owner: int) -> str | None:
    if owner == 0:
        return None
    return f"vk.com/club{-owner}" if owner < 0 else f"vk.com/id{owner}"


def _object_of(url: str, key: str | None) -> str:
    """What a VK (or other) address points at: post, photo, video, topic, comment, page or ''."""
    if key is None:
        return ""
    seg = key.partition("/")[2]
    m = _VK_CONTENT.match(seg) if key.startswith("vk.com/") else None
    if m:
        if _REPLY.search(url):
            return "comment"
        kind = m.group(1)
        return {"wall": "post", "clip": "video", "topic": "topic"}.get(kind, kind if kind in ("photo", "video")
                                                                        else "")
    if page_of_key(key) == key:
        return "page"
    if re.search(r"/(?:status|posts|topic|statuses)/|^t\.me/[^/]+/\d+$", key):
        return "post"
    return ""


# -- the list's pages -------------------------------------------------------------------------------


@dataclass
class PageName:
    """A page name as one or more entries quote it."""

    text: str
    entries: set[int] = field(default_factory=set)


@dataclass
class PageIndex:
    """List entries by the page they name.

    ``named``: page key → entries that name the page itself (``vk.com/club60288920``);
    ``holding``: page key → {entry: the content address it names} for entries that name content
    posted on that page (``vk.com/video-1_2`` → ``vk.com/club1``); ``names``: compact page name →
    the name as quoted and its entries.
    """

    named: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    holding: dict[str, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))
    names: dict[str, PageName] = field(default_factory=dict)
    #: entry → the page keys it names (itself or through its content)
    pages_of_entry: dict[int, set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[FsmEntry], url_index: dict[str, set[int]]) -> PageIndex:
        """The index of ``entries``; ``url_index`` is the matcher's canonical key → entries."""
        idx = cls()
        for key, numbers in url_index.items():
            if U.is_site_only(key):
                continue
            page = page_of_key(key)
            if page is None or (U.is_site_only(page) and page in U.PLATFORM_HOSTS):
                continue
            if page == key:
                idx.named[page].update(numbers)
            else:
                for n in numbers:
                    idx.holding[page].setdefault(n, key)
        for e in entries:
            for frag, start in extract_quotes(e.text):
                before = e.text[max(0, start - 60) : start]
                if not is_page_name_context(before) or is_address(frag):
                    continue
                if _BARE_PAGE_CTX.search(before) and _PERSON_LIKE.match(frag.strip()):
                    continue  # a private person's page name: matched by its address only
                c = compact(frag)
                if len(c) < MIN_NAME_LETTERS or c in _GENERIC_NAMES:
                    continue
                idx.names.setdefault(c, PageName(frag.strip())).entries.add(e.number)
        idx.named = dict(idx.named)
        idx.holding = dict(idx.holding)
        for page in [*idx.named, *idx.holding]:
            for n in idx.entries_of(page):
                idx.pages_of_entry.setdefault(n, set()).add(page)
        return idx

    def entries_of(self, page: str) -> set[int]:
        """Every entry that names ``page`` or content on it."""
        return set(self.named.get(page, ())) | set(self.holding.get(page, {}))


def is_page_name_context(before: str) -> bool:
    """True when the text right before a quote introduces a page's name (``на странице общества``)."""
    return bool(_PAGE_NAME_CTX.search(before))


# -- items' pages -----------------------------------------------------------------------------------


@dataclass
class Relation:
    """One page relation of an item: what it is, the field it comes from and the address or name."""

    what: str  # repost | forward | like | comment | bookmark | subscription
    field: str
    value: str
    is_name: bool = False
    #: the value is the page the liked or commented object belongs to (its owner), not the object itself
    owner: bool = False


def page_relations(item: Item) -> list[Relation]:
    """The pages ``item`` relates to: a repost's source, the object of a like, comment or bookmark,
    the page of a subscription (never the person's own wall, which a post's own ``url`` is)."""
    out: list[Relation] = []
    src = item.reposted_from
    if src is not None:
        # a like's or comment's source is the page of the liked or commented post (Instagram and Facebook
        # give its owner): the relation is the like or comment, never a repost
        owner = item.kind in RELATION_KINDS
        what = item.kind if owner else "forward" if item.kind == "message" else "repost"
        if src.url:
            out.append(Relation(what, "reposted_from.url", src.url, owner=owner))
        if src.name:
            out.append(Relation(what, "reposted_from.name", src.name, is_name=True, owner=owner))
    if item.kind in RELATION_KINDS:
        if item.url:
            out.append(Relation(item.kind, "url", item.url))
        if item.kind == "subscription" and item.text and len(item.text) <= 200:
            out.append(Relation(item.kind, "text", item.text.strip(), is_name=True))
    return out


# -- findings ---------------------------------------------------------------------------------------


class PageMatcher(Protocol):
    """What :func:`match_pages` needs of the FSM matcher: its indexes and how it makes and keeps findings."""

    pages: PageIndex
    url_index: dict[str, set[int]]
    site_entries: set[int]

    def _offer(self, best: dict[int, Finding], f: Finding) -> None: ...

    def _finding(self, item: Item, n: int, level: str, signal: str, score: float, ev: Evidence,
                 ru: str, en: str) -> Finding: ...


def match_pages(m: PageMatcher, item: Item, best: dict[int, Finding]) -> None:
    """Offer to ``best`` the findings of ``item``'s page relations (see the module's docstring)."""
    rels = page_relations(item)
    if not rels:
        return
    idx: PageIndex = m.pages

    def offer(f: Finding) -> None:
        # a page relation says better what a mention is than the page's name found in the text (a
        # subscription's text is the page's name)
        old = best.get(int(f.entry))
        if old is not None and old.level == "mention" == f.level and old.signal == "quote":
            best[int(f.entry)] = f
        else:
            m._offer(best, f)

    # the page each relation's address gives: a name is not taken as the entry's page when the item's
    # address is another page than the ones the entry gives (two pages of the same name)
    addressed: dict[str, str] = {}
    for r in rels:
        p = None if r.is_name else page_of(r.value)
        if p is not None:
            addressed.setdefault(r.what, p)
    for rel in rels:
        signal = "source" if rel.what in ("repost", "forward") else "page"
        if rel.is_name:
            c = compact(rel.value)
            pn = idx.names.get(c)
            if pn is None or len(c) < MIN_NAME_LETTERS:
                continue
            own = addressed.get(rel.what)
            for n in pn.entries:
                theirs = idx.pages_of_entry.get(n)
                if own is not None and theirs and own not in theirs:
                    continue
                ru, en = _explain(rel.what, "post" if rel.owner else "", n, "name", pn.text)
                ev = Evidence(field=rel.field, text=rel.value, matched=pn.text)
                offer(m._finding(item, n, "mention", signal, 0.7, ev, ru, en))
            continue
        key = U.canonical(rel.value)
        if key is None:
            continue
        # a comment's own address holds its own reply id: what it is under is the post; an owner's page
        # is where the liked or commented post is
        obj = "post" if rel.owner else _object_of("" if rel.what == "comment" else rel.value, key)
        page = page_of_key(key)
        done: set[int] = set()
        if not rel.owner and ((page != key and obj != "comment") or rel.what == "comment"):
            # the related object is an address an entry names: the listed post itself (a comment's
            # own address is the post it is under; a liked comment is not the post)
            for n in m.url_index.get(key, ()):
                if U.is_site_only(key) and n not in m.site_entries:
                    continue
                done.add(n)
                dist = rel.what in ("repost", "forward")
                ru, en = _explain(rel.what, obj, n, "exact", key)
                ev = Evidence(field=rel.field, text=rel.value, matched=key)
                offer(m._finding(item, n, "distribution" if dist else "mention", signal,
                                 1.0 if dist else 0.95, ev, ru, en))
        if page is None:
            continue
        for n in idx.named.get(page, ()):
            if n in done:
                continue
            ru, en = _explain(rel.what, obj, n, "named", page)
            ev = Evidence(field=rel.field, text=rel.value, matched=page)
            offer(m._finding(item, n, "mention", signal, 0.9, ev, ru, en))
        for n, content in idx.holding.get(page, {}).items():
            if n in done or content == key and obj != "comment":
                continue
            ru, en = _explain(rel.what, obj, n, "holding", page, content)
            ev = Evidence(field=rel.field, text=rel.value, matched=page)
            offer(m._finding(item, n, "mention", signal, 0.75, ev, ru, en))


# what the item is (ru, en), then how it is tied to a page: (ru preposition, ru participle, en phrase)
_OBJ_RU = {"post": "записи", "photo": "фотографии", "video": "видеозаписи", "topic": "обсуждения",
           "comment": "комментария под записью", "page": "страницы"}
_OBJ_EN = {"post": "a post", "photo": "a photo", "video": "a video", "topic": "a discussion",
           "comment": "a comment under a post", "page": "a page"}
_UNDER_RU = {"post": "под записью", "photo": "к фотографии", "video": "к видеозаписи", "topic": "в обсуждении",
             "comment": "под записью"}
_UNDER_EN = {"post": "under a post", "photo": "on a photo", "video": "on a video", "topic": "in a discussion",
             "comment": "under a post"}


def _action(what: str, obj: str) -> tuple[str, str, tuple[str, str, str]]:
    """(ru, en) of what the item is, and (ru «at/from a page», ru participle, en «at/from a page»)."""
    on = ("на странице", "названной", "on a page")
    if what == "repost":
        return "Репост", "A repost", ("со страницы", "названной", "from a page")
    if what == "forward":
        return "Пересланное сообщение", "A forwarded message", ("со страницы", "названной", "from a page")
    if what == "like":
        if obj == "page":
            return "Отметка «нравится»", "A like", ("страницы", "названной", "of a page")
        return (f"Отметка «нравится» {_OBJ_RU.get(obj, 'записи')}", f"A like of {_OBJ_EN.get(obj, 'a post')}",
                on)
    if what == "comment":
        return (f"Комментарий {_UNDER_RU.get(obj, 'под записью')}", f"A comment {_UNDER_EN.get(obj, 'under a post')}",
                on)
    if what == "bookmark":
        if obj in ("page", ""):
            return "Закладка", "A bookmark", ("страницы", "названной", "of a page")
        return f"Закладка {_OBJ_RU[obj]}", f"A bookmark of {_OBJ_EN[obj]}", on
    # a subscription
    return "Подписка", "A subscription", ("на страницу", "названную", "to a page")


def _explain(what: str, obj: str, n: int, how: str, target: str, content: str = "") -> tuple[str, str]:
    act_ru, act_en, (prep_ru, named_ru, prep_en) = _action(what, obj)
    if what == "subscription" and target.startswith("vk.com/club"):
        prep_ru, named_ru, prep_en = "на сообщество", "названное", "to a community"
    tie_ru = " Это связь со страницей, а не сам материал."
    tie_en = " This ties the item to the page, not to the material itself."
    if how == "exact":
        if what in ("repost", "forward"):
            return (f"{act_ru} записи по адресу, названному в записи № {n} списка ({target}): "
                    "репост повторяет сам материал.",
                    f"{act_en} of the post at an address named in entry No. {n} of the list ({target}): "
                    "it repeats the material itself.")
        return (f"{act_ru} по адресу, названному в записи № {n} списка ({target}): это связь с самим "
                "материалом, хотя и не его копия.",
                f"{act_en} at an address named in entry No. {n} of the list ({target}): it ties the item to "
                "the material itself, though it is not a copy of it.")
    if how == "named":
        return (f"{act_ru} {prep_ru}, {named_ru} в записи № {n} списка ({target}).{tie_ru}",
                f"{act_en} {prep_en} named in entry No. {n} of the list ({target}).{tie_en}")
    if how == "holding":
        return (f"{act_ru} {prep_ru} {target}, где, согласно записи № {n} списка, был размещён материал "
                f"({content}).{tie_ru}",
                f"{act_en} {prep_en} {target} where, according to entry No. {n} of the list, the material was "
                f"published ({content}).{tie_en}")
    # a page name
    return (f"{act_ru} {prep_ru} «{target}»: страница с таким названием указана в записи № {n} списка "
            f"(совпадает название, а не адрес).{tie_ru}",
            f"{act_en} {prep_en} «{target}»: a page of that name is given in entry No. {n} of the list "
            f"(the name matches, not the address).{tie_en}")


def recheck_pieces(idx: PageIndex, want: set[int]) -> list[str]:
    """Compact pieces an item must hold to relate to a page of the ``want`` entries (recheck's prefilter):
    a VK page's number, another page's name in its address, a page name."""
    out: list[str] = []
    for page in [*idx.named, *idx.holding]:
        if want.isdisjoint(idx.entries_of(page)):
            continue
        seg = page.rsplit("/", 1)[-1].split("=")[-1]
        vk = re.fullmatch(r"(?:club|id)(\d+)", seg) if page.startswith("vk.com/") else None
        out.append(compact(vk.group(1) if vk else seg))
    for c, pn in idx.names.items():
        if not want.isdisjoint(pn.entries):
            out.append(c)
    return out


__all__ = ["MIN_NAME_LETTERS", "PageIndex", "PageName", "Relation", "RELATION_KINDS", "is_page_name_context",
           "match_pages", "page_of", "page_of_key", "page_relations", "recheck_pieces"]

# ruff: noqa: E501  (list entries and export records are kept on one line each, as the exports write them)
"""Held-out exports for the end-to-end findings test (issue 18): one small Federal List and, for each of
the six platforms, an export in that platform's real structure, written at test time.

Everything here is invented (names, texts, pages, ids); the list entries are modelled on the shapes of
real entries of the 2025-07-09 list (a leaflet quoted by title and first and last lines, a video named
by the address of a VK post, songs written «Исполнитель – Название» and «исполнителя «…» с наименованием
«…»», materials «размещённые на странице общества «…» (http://vk.com/clubN)», a Telegram channel with a
post address, an X page with a status address). The exports are written independently of the fixtures
under ``tests/fixtures/`` (other ids, texts and pages): they check that the importers and matchers
generalise, not that they repeat the fixtures.

Each :class:`Case` says what the scan must find: for each item (by :func:`item_key`) the set of
``(entry, level, signal)`` of its ``fsm`` findings; the items listed as ``clean`` (ordinary posts, and
listed material that the export cannot show) must have no finding of any bank.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import datetime as D
from pathlib import Path
from typing import Any

from tests.fakes.vk_archive import (
    VkArchive,
    attachment,
    audio,
    bookmark,
    like,
    own_comment,
    profile_row,
    subscription,
    wall_post,
    wall_repost,
)

# -- the list ----------------------------------------------------------------------------------------

#: entry numbers
LEAFLET, VIDEO_POST, SONG_DASH, SONG_NAMED, VK_PAGE, TG_CHANNEL, X_PAGE, FB_PAGE, IG_PAGE, FEDI_POST = (
    5501, 5502, 5503, 5504, 5505, 5506, 5507, 5508, 5509, 5510)

#: the listed addresses and names the exports refer to
VK_LISTED_POST = "https://vk.com/wall-176543210_2048"
VK_PAGE_ID = 187654321
VK_PAGE_NAME = "Дружина Северной ладьи"
TG_CHANNEL_NAME = "Вестник Заречного края"
TG_LISTED_POST = "https://t.me/vestnik_zarechya/412"
X_USER = "zarech_front"
X_LISTED_STATUS = "1456789012345678901"
FB_PAGE_NAME = "Братство Серебряного бора"
FB_PAGE_URL = "https://www.facebook.com/bratstvo.serebryanogo.bora"
IG_USER = "ogni_zarechya"
FEDI_HOST = "fedi.example.org"
FEDI_STATUS = "110123456789012345"

LIST_ROWS: list[tuple[str, str, str]] = [
    ("5499", "Книга «Записки старого лесника о птицах и травах родного края» (решение Выдуманского районного суда от 02.02.2024);", "01.03.2024"),
    ("5500", "Исключен", "01.03.2024"),
    (str(LEAFLET), "Листовка «Слово о Заречном крае и его забытых героях», начинающаяся словами «Братья, настало время вспомнить, кто мы и откуда пришли» и заканчивающаяся словами «…и пусть каждый дом на берегу реки услышит этот зов» (решение Заречного районного суда г. Выдуманска от 14.02.2025);", "12.03.2025"),
    (str(VIDEO_POST), f"Видеоролик «Прогулка по старой переправе: как всё начиналось» продолжительностью 5 мин. 12 сек., размещённый в социальной сети «ВКонтакте» по адресу: {VK_LISTED_POST.replace('https', 'http')} (решение Выдуманского городского суда от 03.03.2025);", "02.04.2025"),
    (str(SONG_DASH), "Размещённая в сети Интернет на сайте www.vkontakte.ru аудиозапись «Чёрный Бор – Ветер над курганами» (решение Заречного районного суда г. Выдуманска от 21.03.2025);", "16.04.2025"),
    (str(SONG_NAMED), "Информационный материал – аудиозапись (песня) от имени исполнителя «Северная Стража» с наименованием «Пепел на знамёнах», продолжительностью около 3 минут 20 секунд, которая начинается словами, исполняемыми мужским голосом под музыку: «Над рекою туман, над туманом заря…», заканчивается куплетом со словами «…и никто не вернётся назад» (решение Выдуманского областного суда от 09.04.2025);", "07.05.2025"),
    (str(VK_PAGE), f"Размещённые в сети «Интернет» в социальной сети «ВКонтакте» на странице общества «{VK_PAGE_NAME}» (http://vk.com/club{VK_PAGE_ID}) изображение ладьи с надписью «Помни корни свои, сын северной реки» и изображение карты с надписью «Наша земля от моря и до моря» (решение Заречного районного суда г. Выдуманска от 14.02.2025);", "07.05.2025"),
    (str(TG_CHANNEL), f"Информационные материалы – публикации, размещённые в телеграм-канале «{TG_CHANNEL_NAME}» (https://t.me/vestnik_zarechya), в том числе: начинающаяся со слов «Мы долго молчали, но теперь скажем всё…», заканчивающаяся словами «…и тогда над рекой снова взойдёт наше солнце»; публикация по адресу {TG_LISTED_POST} (решение Выдуманского городского суда от 17.04.2025);", "21.05.2025"),
    (str(X_PAGE), f"Информационные материалы, размещённые на странице «Заречный фронт» в социальной сети «Твиттер» по адресу https://twitter.com/{X_USER}, в том числе публикация https://twitter.com/{X_USER}/status/{X_LISTED_STATUS} (решение Выдуманского городского суда от 30.04.2025);", "04.06.2025"),
    (str(FB_PAGE), f"Материал под названием «Летопись Серебряного бора и его защитников», опубликованный на странице сообщества «{FB_PAGE_NAME}» ({FB_PAGE_URL}) на сайте www.facebook.com в информационно-телекоммуникационной сети «Интернет» (решение Заречного районного суда г. Выдуманска от 12.05.2025);", "18.06.2025"),
    (str(IG_PAGE), f"Видеозаписи, размещённые в социальной сети «Инстаграм» на странице https://www.instagram.com/{IG_USER}/ (решение Выдуманского городского суда от 20.05.2025);", "02.07.2025"),
    (str(FEDI_POST), f"Публикация «Хроника одной переправы и её героев», размещённая в сети «Интернет» по адресу https://{FEDI_HOST}/@zarechye/{FEDI_STATUS} (решение Выдуманского городского суда от 26.05.2025);", "09.07.2025"),
]


def write_list(path: Path) -> Path:
    """The list in the official export's format: windows-1251, CRLF, ``;``, ``"`` quoting, its header."""
    lines = ["#;Материал;Дата включения (указывается с 01.01.2017)"]
    for num, text, date in LIST_ROWS:
        lines.append(f'{num};"{text.replace(chr(34), chr(34) * 2)}";{date}')
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    return path


# -- cases -------------------------------------------------------------------------------------------

#: one expected finding: (entry, level, signal)
Want = tuple[int, str, str]


@dataclass
class Case:
    """One platform's held-out export and what its scan must find."""

    platform: str
    build: Callable[[Path], Path]
    #: item key → its fsm findings
    expected: dict[str, set[Want]]
    #: items that must be imported and have no finding at all
    clean: list[str]
    #: item key → why the export cannot show the listed material (these are in ``clean`` too)
    unseen: dict[str, str] = field(default_factory=dict)


_META_ID = re.compile(r"^([a-z_]+/\d+)/[0-9a-f]{12}$")


def item_key(platform: str, native_id: str, attachments: list[dict[str, Any]]) -> str:
    """A stable name of an imported item: its native id, without the content hash that Meta's records
    get (``post/1710000000``), and a VK audio record by its performer and title."""
    if platform in ("facebook", "instagram"):
        m = _META_ID.match(native_id)
        if m:
            return m.group(1)
    if platform == "vk" and native_id.startswith("audio_") and attachments:
        a = attachments[0]
        return f"audio:{a.get('artist')} — {a.get('title')}"
    return native_id


def _ts(d: D) -> int:
    return int(d.replace(tzinfo=UTC).timestamp())


def _zip(folder: Path, dest: Path, wrapper: str = "") -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, wrapper + f.relative_to(folder).as_posix())
    return dest


def _json(path: Path, obj: Any, *, ascii_: bool = False, indent: int | None = 2) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=ascii_, indent=indent), "utf-8")


# -- VK «Архив данных» -------------------------------------------------------------------------------

VK_OWNER = 612345001
VK_CLEAN_CLUB = -145678001


def build_vk(root: Path) -> Path:
    """The archive as VK gives it (a ZIP of ``Archive/``), pages written by ``tests/fakes/vk_archive``."""
    folder = root / "vk"
    arc = VkArchive(folder, VK_OWNER)
    me = VK_OWNER
    page = (-VK_PAGE_ID, VK_PAGE_NAME)
    guest = (612345777, "Семён Придумкин")
    arc.page("profile/page-info.html", "Профиль", [
        profile_row("Полное имя", "Глеб Выдуманный"),
        profile_row("Город", "Заозёрск"),
        profile_row("Моб. телефон", "Данных нет"),
    ])
    arc.page("wall/wall0.html", "Стена", [
        wall_post(me, 101, "Съездили с детьми на озеро, вода ещё холодная, но было здорово", D(2025, 5, 4, 18, 2)),
        wall_post(me, 102, "Мамин рецепт пирога с капустой, сохраню тут", D(2025, 4, 27, 11, 40),
                  [attachment("Ссылка", "https://example.org/recipes/pie", "Пирог с капустой")]),
        wall_post(me, 103, "Нашёл у деда в бумагах старую листовку: «Братья! Настало время вспомнить — кто мы и откуда пришли...» Кто-нибудь знает, откуда это?",
                  D(2025, 4, 20, 22, 15)),
        wall_post(me, 104, "Интересное видео", D(2025, 4, 12, 9, 5), [attachment("Ссылка", VK_LISTED_POST)]),
        wall_repost(me, 105, "", page, "Поздравляем всех с праздником урожая! Ждём на ярмарке.", D(2025, 4, 2, 14, 30)),
        wall_post(me, 106, "", D(2025, 3, 30, 20, 0), [attachment("Аудиозапись")]),
        wall_post(me, 107, "Слушаю с утра: Чёрный Бор — «Ветер над курганами»", D(2025, 3, 21, 8, 45)),
        wall_post(me, 108, "С днём рождения, дружище!", D(2025, 3, 14, 12, 0), author=guest),
        wall_repost(me, 109, "Полезно", (VK_CLEAN_CLUB, "Огородники Заозёрья"), "Как подготовить рассаду томатов к пересадке",
                    D(2025, 3, 2, 19, 10)),
        wall_post(me, 110, "Читаю «Слово о Заречном крае и его рыбных местах» — отличный путеводитель для рыбака",
                  D(2025, 2, 20, 20, 20)),
    ])
    arc.page("comments/comments0.html", "Комментарии", [
        own_comment(f"wall-{VK_PAGE_ID}_300?reply=301", "Красивые места, спасибо за фото", D(2025, 4, 3, 10, 0)),
        own_comment(f"wall{-VK_CLEAN_CLUB}_44?reply=45", "А когда сеять огурцы?", D(2025, 3, 3, 9, 30)),
    ])
    (folder / "audio").mkdir(parents=True, exist_ok=True)
    arc.page("audio/audio-albums/-1/audios0.html", ["Музыка", "Мои аудиозаписи"], [
        audio("Тихие сосны", "Летний вечер", "3:05"),
        audio("Чёрный Бор", "Ветер над курганами", "4:12"),
        audio("Северная Стража", "Пепел на знамёнах", "3:20"),
    ], wrap="albums")
    arc.page("likes/wall/likes0.html", ["Отметки «Нравится»", "Записи"], [
        like(f"https://vk.com/wall-{VK_PAGE_ID}_77"),
        like(VK_LISTED_POST),
        like(f"https://vk.com/wall{VK_CLEAN_CLUB}_5"),
    ])
    arc.page("likes/photo/likes0.html", ["Отметки «Нравится»", "Фотографии"], [
        like(f"https://vk.com/photo-{VK_PAGE_ID}_456239017"),
    ])
    arc.page("bookmarks/post/bookmarks0.html", ["Закладки", "Записи"], [bookmark(f"https://vk.com/wall-{VK_PAGE_ID}_80")])
    arc.page("profile/subscriptions0.html", ["Подписки"], [
        subscription(f"public{VK_PAGE_ID}", VK_PAGE_NAME),
        subscription(f"club{-VK_CLEAN_CLUB}", "Огородники Заозёрья"),
    ])
    arc.write_index()
    return _zip(folder, root / "Archive.zip", "Archive/")


VK = Case(
    "vk",
    build_vk,
    expected={
        f"wall{VK_OWNER}_103": {(LEAFLET, "distribution", "quote")},
        f"wall{VK_OWNER}_104": {(VIDEO_POST, "distribution", "url")},
        f"wall{VK_OWNER}_105": {(VK_PAGE, "mention", "source")},
        f"wall{VK_OWNER}_107": {(SONG_DASH, "distribution", "quote")},
        f"wall-{VK_PAGE_ID}_300?reply=301": {(VK_PAGE, "mention", "page")},
        "audio:Чёрный Бор — Ветер над курганами": {(SONG_DASH, "distribution", "audio")},
        "audio:Северная Стража — Пепел на знамёнах": {(SONG_NAMED, "distribution", "audio")},
        f"like_wall-{VK_PAGE_ID}_77": {(VK_PAGE, "mention", "page")},
        f"like_wall{VK_LISTED_POST.rsplit('wall', 1)[1]}": {(VIDEO_POST, "mention", "page")},
        f"like_photo-{VK_PAGE_ID}_456239017": {(VK_PAGE, "mention", "page")},
        f"bookmark_wall-{VK_PAGE_ID}_80": {(VK_PAGE, "mention", "page")},
        f"subscription_club{VK_PAGE_ID}": {(VK_PAGE, "mention", "page")},
    },
    clean=[f"wall{VK_OWNER}_101", f"wall{VK_OWNER}_102", f"wall{VK_OWNER}_106", f"wall{VK_OWNER}_108",
           f"wall{VK_OWNER}_109", f"wall{VK_OWNER}_110", f"wall{-VK_CLEAN_CLUB}_44?reply=45", "audio:Тихие сосны — Летний вечер",
           f"like_wall{VK_CLEAN_CLUB}_5", f"subscription_club{-VK_CLEAN_CLUB}"],
    unseen={f"wall{VK_OWNER}_106": "an audio attachment on the wall carries only its label in the archive"},
)


# -- Telegram Desktop (machine-readable JSON) ----------------------------------------------------

TG_OWNER = 7012345678
TG_CHANNEL_ID = 1987654321
TG_GROUP_ID = 1876543210
TG_FRIEND = 7098765432


def _tg_text(parts: list[str | dict[str, str]]) -> dict[str, Any]:
    """``text`` and ``text_entities`` as tdesktop writes them: a plain string when there are no
    entities, else a list of strings and entity objects."""
    ents = [{"type": "plain", "text": p} if isinstance(p, str) else p for p in parts]
    if all(isinstance(p, str) for p in parts):
        return {"text": "".join(p for p in parts if isinstance(p, str)), "text_entities": ents}
    return {"text": parts, "text_entities": ents}


def _tg_msg(mid: int, when: D, frm: str, from_id: str, parts: list[str | dict[str, str]], **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": mid, "type": "message", "date": when.strftime("%Y-%m-%dT%H:%M:%S"),
                           "date_unixtime": str(_ts(when) - 3 * 3600), "from": frm, "from_id": from_id}
    out.update(extra)
    out.update(_tg_text(parts))
    return out


def build_telegram(root: Path) -> Path:
    """A full export (Settings → Advanced → Export Telegram data, JSON) in ``DataExport_<date>/``."""
    me, my_name = f"user{TG_OWNER}", "Глеб Выдуманный"
    chan, chan_name = f"channel{TG_CHANNEL_ID}", "Дневник рыбака"
    not_included = "(File not included. Change data exporting settings to download.)"
    channel = {
        "name": chan_name, "type": "private_channel", "id": TG_CHANNEL_ID,
        "messages": [
            {"id": 1, "type": "service", "date": "2024-11-02T10:00:00", "date_unixtime": str(_ts(D(2024, 11, 2, 7))),
             "actor": chan_name, "actor_id": me, "action": "create_channel", "title": chan_name,
             "text": "", "text_entities": []},
            _tg_msg(2, D(2025, 4, 5, 7, 30), chan_name, chan, ["Утренний клёв на Старице: три окуня и щука"]),
            _tg_msg(3, D(2025, 4, 6, 21, 0), chan_name, chan,
                    ["Попалось в старом чате: «Мы долго молчали — но теперь скажем всё!» Дальше не читал."]),
            _tg_msg(4, D(2025, 4, 7, 12, 0), chan_name, chan, ["Анонс: в субботу ярмарка на площади"],
                    forwarded_from=TG_CHANNEL_NAME),
            _tg_msg(5, D(2025, 4, 8, 9, 15), chan_name, chan,
                    ["Вот что пишут: ", {"type": "link", "text": TG_LISTED_POST}]),
            _tg_msg(6, D(2025, 4, 9, 20, 40), chan_name, chan, [], file=not_included, media_type="audio_file",
                    mime_type="audio/mpeg", performer="Северная Стража", title="Пепел на знамёнах", duration_seconds=200),
            _tg_msg(7, D(2025, 4, 10, 20, 41), chan_name, chan, ["Под вечер"], file=not_included,
                    media_type="audio_file", mime_type="audio/mpeg", performer="Тихие сосны", title="Летний вечер",
                    duration_seconds=185),
            _tg_msg(8, D(2025, 4, 11, 8, 0), chan_name, chan,
                    ["Видео ", {"type": "text_link", "text": "вот тут", "href": VK_LISTED_POST}]),
            _tg_msg(9, D(2025, 4, 12, 18, 0), chan_name, chan,
                    ["Новости района: суд признал экстремистской листовку «Слово о Заречном крае и его забытых героях», "
                     "Минюст внёс её в федеральный список."]),
        ],
    }
    group = {
        "name": "Рыбаки Заозёрья", "type": "public_supergroup", "id": TG_GROUP_ID,
        "messages": [
            _tg_msg(50, D(2025, 3, 1, 18, 0), "Семён Придумкин", "user7011111111",
                    ["Кто читал «Слово о Заречном крае и его забытых героях»?"]),
            _tg_msg(51, D(2025, 3, 1, 18, 5), my_name, me, ["Читал «Слово о Заречном крае и о его забытых героях», давно"],
                    reply_to_message_id=50),
            _tg_msg(52, D(2025, 3, 2, 6, 30), my_name, me, ["Кто завтра на утренний клёв?"]),
        ],
    }
    friend = {
        "name": "Семён Придумкин", "type": "personal_chat", "id": TG_FRIEND,
        "messages": [
            _tg_msg(901, D(2025, 2, 1, 10, 0), "Семён Придумкин", f"user{TG_FRIEND}", ["Привет, завтра в силе?"]),
            _tg_msg(902, D(2025, 2, 1, 10, 2), my_name, me, ["Да, в шесть у моста"]),
            _tg_msg(903, D(2025, 2, 1, 10, 3), my_name, me, ["Глянь, что пишут про ярмарку"],
                    forwarded_from=TG_CHANNEL_NAME),
        ],
    }
    export = {
        "about": "Here is the data you requested. Remember: Telegram is ad free, it doesn't sell your data.",
        "personal_information": {"user_id": TG_OWNER, "first_name": "Глеб", "last_name": "Выдуманный",
                                 "phone_number": "+7 900 000 11 22", "username": "@gleb_vydumanny", "bio": ""},
        "profile_pictures": [],
        "contacts": {"about": "", "list": []},
        "chats": {"about": "This page lists all chats from this export.", "list": [channel, group, friend]},
    }
    folder = root / "Telegram Desktop" / "DataExport_2025-05-10"
    _json(folder / "result.json", export, indent=1)
    return root / "Telegram Desktop"


TELEGRAM = Case(
    "telegram",
    build_telegram,
    expected={
        f"{TG_CHANNEL_ID}/3": {(TG_CHANNEL, "distribution", "quote")},
        f"{TG_CHANNEL_ID}/4": {(TG_CHANNEL, "mention", "source")},
        f"{TG_CHANNEL_ID}/5": {(TG_CHANNEL, "distribution", "url")},
        f"{TG_CHANNEL_ID}/6": {(SONG_NAMED, "distribution", "audio")},
        f"{TG_CHANNEL_ID}/8": {(VIDEO_POST, "distribution", "url")},
        f"{TG_CHANNEL_ID}/9": {(LEAFLET, "mention", "quote")},
        f"{TG_GROUP_ID}/51": {(LEAFLET, "distribution", "quote")},
        f"{TG_FRIEND}/903": {(TG_CHANNEL, "mention", "source")},
    },
    clean=[f"{TG_CHANNEL_ID}/2", f"{TG_CHANNEL_ID}/7", f"{TG_GROUP_ID}/52", f"{TG_FRIEND}/902"],
)


# -- X (Twitter) archive ---------------------------------------------------------------------------

X_OWNER, X_OWNER_ID = "gleb_vydumanny", "1600000000000000001"


def _tweet(tid: str, when: D, text: str, urls: list[tuple[str, str]] | None = None,
           mentions: list[str] | None = None, reply_to: tuple[str, str, str] | None = None) -> dict[str, Any]:
    """A ``tweet`` record of ``tweets.js``: ``full_text`` holds t.co links, ``entities.urls`` expands them."""
    ents: dict[str, Any] = {
        "hashtags": [], "symbols": [],
        "user_mentions": [{"name": m, "screen_name": m, "indices": ["3", str(4 + len(m))], "id_str": "1", "id": "1"}
                          for m in (mentions or [])],
        "urls": [{"url": short, "expanded_url": full, "display_url": full.split("://", 1)[1][:26] + "…",
                  "indices": ["0", "23"]} for short, full in (urls or [])],
    }
    t: dict[str, Any] = {
        "edit_info": {"initial": {"editTweetIds": [tid], "editableUntil": "2025-01-01T00:00:00.000Z",
                                  "editsRemaining": "5", "isEditEligible": True}},
        "retweeted": False,
        "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
        "entities": ents,
        "display_text_range": ["0", str(len(text))],
        "favorite_count": "0",
        "id_str": tid,
        "truncated": False,
        "retweet_count": "0",
        "id": tid,
        "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
        "favorited": False,
        "full_text": text,
        "lang": "ru",
    }
    if reply_to:
        t.update({"in_reply_to_status_id_str": reply_to[0], "in_reply_to_status_id": reply_to[0],
                  "in_reply_to_user_id_str": reply_to[1], "in_reply_to_user_id": reply_to[1],
                  "in_reply_to_screen_name": reply_to[2]})
    return {"tweet": t}


def _ytd(name: str, records: list[Any]) -> str:
    return f"window.YTD.{name}.part0 = " + json.dumps(records, ensure_ascii=False, indent=2)


def build_twitter(root: Path) -> Path:
    """The archive as X gives it (``twitter-<date>-<hash>.zip`` with ``data/*.js`` and ``Your archive.html``)."""
    folder = root / "x"
    data = folder / "data"
    data.mkdir(parents=True)
    (folder / "Your archive.html").write_text("<!DOCTYPE html><html><body>Your archive</body></html>", "utf-8")
    (data / "account.js").write_text(_ytd("account", [{"account": {
        "email": "gleb@example.invalid", "createdVia": "web", "username": X_OWNER, "accountId": X_OWNER_ID,
        "createdAt": "2016-03-01T10:00:00.000Z", "accountDisplayName": "Глеб"}}]), "utf-8")
    tweets = [
        _tweet("1800000000000000001", D(2025, 1, 5, 9, 0), "Первый снег на даче, красота"),
        _tweet("1800000000000000002", D(2025, 1, 9, 19, 30), "Видео тут https://t.co/Vk1aB2cD3e",
               urls=[("https://t.co/Vk1aB2cD3e", VK_LISTED_POST)]),
        _tweet("1800000000000000003", D(2025, 1, 12, 21, 0),
               "Слово о Заречном крае, и о его забытых героях — кто-нибудь читал целиком?"),
        _tweet("1800000000000000004", D(2025, 1, 15, 8, 20),
               f"RT @{X_USER}: Сбор у моста в субботу, приходите с семьями", mentions=[X_USER]),
        _tweet("1800000000000000005", D(2025, 1, 18, 13, 45), "Вот оно https://t.co/Qt9xY8zW7v",
               urls=[("https://t.co/Qt9xY8zW7v", f"https://twitter.com/{X_USER}/status/{X_LISTED_STATUS}")]),
        _tweet("1800000000000000006", D(2025, 1, 20, 22, 10), "Сейчас играет: Северная Стража – Пепел на знамёнах 🎵"),
        _tweet("1800000000000000007", D(2025, 1, 21, 7, 0), "@semen_pr согласен, клёв был отличный",
               reply_to=("1799999999999999999", "1600000000000000777", "semen_pr")),
    ]
    (data / "tweets.js").write_text(_ytd("tweets", tweets), "utf-8")
    likes = [
        {"like": {"tweetId": X_LISTED_STATUS, "fullText": "Сбор у моста в субботу. Подробности позже.",
                  "expandedUrl": f"https://twitter.com/i/web/status/{X_LISTED_STATUS}"}},
        {"like": {"tweetId": "1456789012345600001", "fullText": "Фото с прошлой встречи у моста",
                  "expandedUrl": "https://twitter.com/i/web/status/1456789012345600001"}},
        {"like": {"tweetId": "1700000000000000009", "fullText": "Лучший рецепт ухи",
                  "expandedUrl": "https://twitter.com/i/web/status/1700000000000000009"}},
    ]
    (data / "like.js").write_text(_ytd("like", likes), "utf-8")
    return _zip(folder, root / "twitter-2025-02-01-5f0c2e7b1a9d.zip")


TWITTER = Case(
    "x",
    build_twitter,
    expected={
        "1800000000000000002": {(VIDEO_POST, "distribution", "url")},
        "1800000000000000003": {(LEAFLET, "distribution", "quote")},
        "1800000000000000004": {(X_PAGE, "mention", "source")},
        "1800000000000000005": {(X_PAGE, "distribution", "url")},
        "1800000000000000006": {(SONG_NAMED, "distribution", "quote")},
        f"like/{X_LISTED_STATUS}": {(X_PAGE, "mention", "page")},
    },
    clean=["1800000000000000001", "1800000000000000007", "like/1456789012345600001", "like/1700000000000000009"],
    unseen={"like/1456789012345600001": "a like in like.js gives the tweet's id, never its author"},
)


# -- Facebook (Download your information, JSON) ------------------------------------------------------


def _mojibake(obj: Any) -> Any:
    """Meta writes UTF-8 text as if each byte were a character (``\\u00d0\\u00bf`` for «п»)."""
    if isinstance(obj, str):
        return obj.encode("utf-8").decode("latin-1")
    if isinstance(obj, list):
        return [_mojibake(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _mojibake(v) for k, v in obj.items()}
    return obj


def _meta_json(path: Path, obj: Any) -> None:
    _json(path, _mojibake(obj), ascii_=True)


FB_OWNER = "Глеб Выдуманный"


def build_facebook(root: Path) -> Path:
    """The 2024+ layout (``your_facebook_activity/…``, ``personal_information/…``) as a ZIP."""
    folder = root / "facebook"
    act = folder / "your_facebook_activity"
    _meta_json(folder / "personal_information/profile_information/profile_information.json", {"profile_v2": {
        "name": {"full_name": FB_OWNER, "first_name": "Глеб", "middle_name": "", "last_name": "Выдуманный"},
        "emails": {"emails": ["gleb@example.invalid"], "previous_emails": [], "pending_emails": [], "ad_account_emails": []},
        "current_city": {"name": "Заозёрск", "timestamp": 1600000000},
        "username": "gleb.vydumanny", "profile_uri": "https://www.facebook.com/gleb.vydumanny"}})
    posts = [
        {"timestamp": 1710000000, "data": [{"post": "Починил лодку, весной на воду"}, {"update_timestamp": 1710000000}],
         "title": f"{FB_OWNER} updated his status."},
        {"timestamp": 1710000100, "data": [{"post": "Бабушка всегда повторяла: «пусть каждый дом на берегу реки услышит этот зов»."}],
         "title": f"{FB_OWNER} updated his status."},
        {"timestamp": 1710000200, "title": f"{FB_OWNER} shared a link.",
         "attachments": [{"data": [{"external_context": {"url": VK_LISTED_POST}}]}],
         "data": [{"update_timestamp": 1710000200}]},
        {"timestamp": 1710000300, "title": f"{FB_OWNER} shared {FB_PAGE_NAME}'s post.",
         "data": [{"post": "Полезная информация для всех"}]},
        {"timestamp": 1710000400, "data": [{"post": "Чёрный Бор – Ветер над курганами. Моя любимая с юности"}],
         "title": f"{FB_OWNER} updated his status."},
        {"timestamp": 1710000500, "title": f"{FB_OWNER} shared a link.",
         "attachments": [{"data": [{"external_context": {"url": "https://example.org/fishing/2025", "name": "Сезон рыбалки 2025"}}]}],
         "data": [{"update_timestamp": 1710000500}]},
    ]
    _meta_json(act / "posts/your_posts__check_ins__photos_and_videos_1.json", posts)
    _meta_json(act / "comments_and_reactions/comments.json", {"comments_v2": [
        {"timestamp": 1710000600, "data": [{"comment": {"timestamp": 1710000600, "comment": "Отличная новость, спасибо",
                                                        "author": FB_OWNER}}],
         "title": f"{FB_OWNER} commented on {FB_PAGE_NAME}'s post."},
        {"timestamp": 1710000700, "data": [{"comment": {"timestamp": 1710000700, "comment": "С днём рождения!",
                                                        "author": FB_OWNER}}],
         "title": f"{FB_OWNER} commented on Семён Придумкин's post."},
    ]})
    _meta_json(act / "comments_and_reactions/likes_and_reactions_1.json", [
        {"timestamp": 1710000800, "data": [{"reaction": {"reaction": "LIKE", "actor": FB_OWNER}}],
         "title": f"{FB_OWNER} likes {FB_PAGE_NAME}'s post."},
        {"timestamp": 1710000900, "data": [{"reaction": {"reaction": "LOVE", "actor": FB_OWNER}}],
         "title": f"{FB_OWNER} reacted to Семён Придумкин's photo."},
    ])
    _meta_json(act / "pages/pages_you've_liked.json", {"page_likes_v2": [
        {"name": FB_PAGE_NAME, "timestamp": 1710001000, "url": FB_PAGE_URL},
        {"name": "Рыболовный клуб Заозёрья", "timestamp": 1710001100, "url": "https://www.facebook.com/zaozerye.fishing"},
    ]})
    return _zip(folder, root / "facebook-glebvydumanny-2025-05-10-AbCdEfGh.zip")


FACEBOOK = Case(
    "facebook",
    build_facebook,
    expected={
        "post/1710000100": {(LEAFLET, "distribution", "quote")},
        "post/1710000200": {(VIDEO_POST, "distribution", "url")},
        "post/1710000300": {(FB_PAGE, "mention", "source")},
        "post/1710000400": {(SONG_DASH, "distribution", "quote")},
        "comment/1710000600": {(FB_PAGE, "mention", "page")},
        "reaction/1710000800": {(FB_PAGE, "mention", "page")},
        "page_like/1710001000": {(FB_PAGE, "mention", "page")},
    },
    clean=["post/1710000000", "post/1710000500", "comment/1710000700", "reaction/1710000900", "page_like/1710001100"],
)


# -- Instagram (Download your information, JSON) -----------------------------------------------------

IG_OWNER = "gleb.vydumanny"


def build_instagram(root: Path) -> Path:
    """The 2024+ layout (``your_instagram_activity/…``, ``media/…``, ``personal_information/…``) as a ZIP."""
    folder = root / "instagram"
    act = folder / "your_instagram_activity"
    _meta_json(folder / "personal_information/personal_information/personal_information.json", {"profile_user": [{
        "media_map_data": {},
        "string_map_data": {
            "Username": {"href": "", "value": IG_OWNER, "timestamp": 0},
            "Name": {"href": "", "value": "Глеб Выдуманный", "timestamp": 0},
        }}]})
    posts = []
    for i, (ts, caption) in enumerate([
        (1720000000, "Закат на реке 🌅"),
        (1720000100, "Нашёл в архиве «Слова о Заречном крае и его забытых героях». Кто автор?"),
        (1720000200, "🎵 Северная Стража — Пепел на знамёнах"),
        (1720000300, f"Полное видео: {VK_LISTED_POST.split('://', 1)[1]}"),
    ]):
        uri = f"media/posts/202407/4{i}7123456789_{i}.jpg"
        (folder / uri).parent.mkdir(parents=True, exist_ok=True)
        (folder / uri).write_bytes(b"\xff\xd8\xff\xe0 invented \xff\xd9")
        posts.append({"media": [{"uri": uri, "creation_timestamp": ts, "media_metadata": {}, "title": "",
                                 "cross_post_source": {"source_app": "FB"}}],
                      "title": caption, "creation_timestamp": ts})
    _meta_json(act / "content/posts_1.json", posts)

    def liked(ts: int, code: str, owner: str, caption: str) -> dict[str, Any]:
        return {"timestamp": ts, "media": [], "label_values": [
            {"label": "URL", "value": f"https://www.instagram.com/p/{code}/", "href": f"https://www.instagram.com/p/{code}/"},
            {"dict": [{"dict": [
                {"label": "URL", "value": f"https://www.instagram.com/{owner}", "href": f"https://www.instagram.com/{owner}"},
                {"label": "Name", "value": owner.replace("_", " ").title()},
                {"label": "Username", "value": owner}], "title": ""}], "title": "Owner"},
            {"label": "Caption", "value": caption}], "fbid": f"1780000000{ts}"}

    _meta_json(act / "likes/liked_posts.json", [
        liked(1720000400, "C7ogNi1zAr3", IG_USER, "Вечерние огни над переправой"),
        liked(1720000500, "C7rYbAk0o1x", "zaozerye_fishing", "Улов выходного дня"),
    ])
    _meta_json(act / "comments/post_comments_1.json", [
        {"media_list_data": [{"uri": ""}], "string_map_data": {
            "Comment": {"value": "Очень красиво!"}, "Media Owner": {"value": IG_USER}, "Time": {"timestamp": 1720000600}}},
        {"media_list_data": [{"uri": ""}], "string_map_data": {
            "Comment": {"value": "Какая рыба!"}, "Media Owner": {"value": "zaozerye_fishing"}, "Time": {"timestamp": 1720000700}}},
    ])
    return _zip(folder, root / "instagram-gleb.vydumanny-2025-05-10-XyZ.zip")


INSTAGRAM = Case(
    "instagram",
    build_instagram,
    expected={
        "post/1720000100": {(LEAFLET, "distribution", "quote")},
        "post/1720000200": {(SONG_NAMED, "distribution", "quote")},
        "post/1720000300": {(VIDEO_POST, "distribution", "url")},
        "like/1720000400": {(IG_PAGE, "mention", "page")},
        "comment/1720000600": {(IG_PAGE, "mention", "page")},
    },
    clean=["post/1720000000", "like/1720000500", "comment/1720000700"],
)


# -- Mastodon archive ------------------------------------------------------------------------------

FEDI_OWNER_HOST = "social.example.net"
FEDI_OWNER = f"https://{FEDI_OWNER_HOST}/users/gleb"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def _note(n: int, when: str, content: str, attachment: list[dict[str, Any]] | None = None,
          reply_to: str | None = None) -> dict[str, Any]:
    oid = f"{FEDI_OWNER}/statuses/{n}"
    return {
        "id": f"{oid}/activity", "type": "Create", "actor": FEDI_OWNER, "published": when,
        "to": [PUBLIC], "cc": [f"{FEDI_OWNER}/followers"],
        "object": {"id": oid, "type": "Note", "summary": None, "inReplyTo": reply_to, "published": when,
                   "url": f"https://{FEDI_OWNER_HOST}/@gleb/{n}", "attributedTo": FEDI_OWNER,
                   "to": [PUBLIC], "cc": [f"{FEDI_OWNER}/followers"], "sensitive": False,
                   "atomUri": oid, "conversation": f"tag:{FEDI_OWNER_HOST},2025-01-01:objectId={n}:objectType=Conversation",
                   "content": content, "contentMap": {"ru": content}, "attachment": attachment or [], "tag": [],
                   "replies": {"id": f"{oid}/replies", "type": "Collection"}},
        "signature": {"type": "RsaSignature2017", "creator": f"{FEDI_OWNER}#main-key", "created": when,
                      "signatureValue": "aW52ZW50ZWQ="},
    }


def _announce(n: int, when: str, target: str) -> dict[str, Any]:
    return {"id": f"{FEDI_OWNER}/statuses/{n}/activity", "type": "Announce", "actor": FEDI_OWNER,
            "published": when, "to": [PUBLIC], "cc": [f"{FEDI_OWNER}/followers"], "object": target,
            "atomUri": f"{FEDI_OWNER}/statuses/{n}/activity"}


def _link(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return (f'<a href="{url}" rel="nofollow noopener" translate="no" target="_blank">'
            f'<span class="invisible">{scheme}://</span><span class="">{rest}</span><span class="invisible"></span></a>')


FEDI_LISTED_URI = f"https://{FEDI_HOST}/users/zarechye/statuses/{FEDI_STATUS}"


def build_mastodon(root: Path) -> Path:
    """The archive as Mastodon gives it: ``archive-<date>-<hex>.tar.gz`` with ``outbox.json``,
    ``likes.json``, ``actor.json`` and ``media_attachments/``."""
    ctx = ["https://www.w3.org/ns/activitystreams", {"ostatus": "http://ostatus.org#", "sensitive": "as:sensitive"}]
    outbox = [
        _note(201, "2025-02-01T08:00:00Z", "<p>Лёд на Старице ещё крепкий, но к выходным обещают оттепель</p>"),
        _note(202, "2025-02-03T19:20:00Z", "<p>Нашёл цитату: «Мы долго молчали — а теперь скажем всё»</p><p>Откуда это?</p>"),
        _note(203, "2025-02-05T12:00:00Z", f"<p>Видео тут: {_link(VK_LISTED_POST)}</p>"),
        _note(204, "2025-02-07T22:00:00Z", "<p>Новая находка: Северная Стража – «Пепел на знамёнах»</p>",
              attachment=[{"type": "Document", "mediaType": "audio/mpeg", "url": "/media_attachments/files/114/000/204/original/a1b2c3.mp3",
                           "name": None, "blurhash": None}]),
        _announce(205, "2025-02-09T10:00:00Z", FEDI_LISTED_URI),
        _announce(206, "2025-02-10T10:00:00Z", "https://fish.example.com/users/angler/statuses/111222333444555666"),
        _note(207, "2025-02-11T09:00:00Z", '<p><span class="h-card"><a href="https://fish.example.com/@angler" class="u-url mention">@<span>angler</span></a></span> какая блесна?</p>',
              reply_to="https://fish.example.com/users/angler/statuses/111222333444555667"),
    ]
    folder = root / "mastodon"
    _json(folder / "outbox.json", {"@context": ctx, "id": "outbox.json", "type": "OrderedCollection",
                                   "totalItems": len(outbox), "orderedItems": outbox})
    _json(folder / "likes.json", {"@context": "https://www.w3.org/ns/activitystreams", "id": "likes.json",
                                  "type": "OrderedCollection",
                                  "orderedItems": [FEDI_LISTED_URI, "https://fish.example.com/users/angler/statuses/111222333444555000"]})
    _json(folder / "actor.json", {"@context": ctx, "id": FEDI_OWNER, "type": "Person", "preferredUsername": "gleb",
                                  "name": "Глеб", "url": f"https://{FEDI_OWNER_HOST}/@gleb", "summary": "<p>Рыбак</p>",
                                  "attachment": [], "icon": {"type": "Image", "mediaType": "image/png", "url": "avatar.png"}})
    mp3 = folder / "media_attachments/files/114/000/204/original/a1b2c3.mp3"
    mp3.parent.mkdir(parents=True, exist_ok=True)
    mp3.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00 invented")
    dest = root / "archive-20250301120000-0f1e2d3c4b5a69788796a5b4c3d2e1f0.tar.gz"
    with tarfile.open(dest, "w:gz") as tar:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                data = f.read_bytes()
                info = tarfile.TarInfo(f.relative_to(folder).as_posix())
                info.size = len(data)
                info.mtime = int(datetime(2025, 3, 1, tzinfo=UTC).timestamp())
                tar.addfile(info, io.BytesIO(data))
    return dest


MASTODON = Case(
    "mastodon",
    build_mastodon,
    expected={
        f"{FEDI_OWNER}/statuses/202": {(TG_CHANNEL, "distribution", "quote")},
        f"{FEDI_OWNER}/statuses/203": {(VIDEO_POST, "distribution", "url")},
        f"{FEDI_OWNER}/statuses/204": {(SONG_NAMED, "distribution", "quote")},
        f"{FEDI_OWNER}/statuses/205/activity": {(FEDI_POST, "distribution", "source")},
        f"like/{FEDI_LISTED_URI}": {(FEDI_POST, "mention", "page")},
    },
    clean=[f"{FEDI_OWNER}/statuses/201", f"{FEDI_OWNER}/statuses/206/activity", f"{FEDI_OWNER}/statuses/207",
           "like/https://fish.example.com/users/angler/statuses/111222333444555000"],
)


CASES: dict[str, Case] = {c.platform: c for c in (VK, TELEGRAM, TWITTER, FACEBOOK, INSTAGRAM, MASTODON)}

"""VK «Архив данных» (vk.com/data_protection): linked HTML pages in windows-1251, read page by page.

Field by field this follows shared/docs/formats.md §1 (VK). What is read:

* ``wall/wallN.html``: your wall. Each ``div.item`` becomes a ``post`` or a ``repost``; native
  id ``wall<owner>_<id>``, URL ``https://vk.com/wall<owner>_<id>``. How VK renders a repost in
  the archive is not verified by any public parser, so three forms are recognised: a nested
  block (a second ``.item__main`` or a ``copy``/``repost`` block), a second post link, or an
  attachment ``Запись на стене``/``Wall post``. Unknown blocks are kept in the raw HTML and
  counted as warnings.
* ``wall/<post>/comments*.html``, ``photos/photo-comments/…`` and ``comments/*.html``:
  comments (native id = the object and reply id, e.g. ``wall-1_2?reply=3``).
* ``likes/<type>/*.html``: likes (native id ``like_<object>``, e.g. ``like_wall-1_2``).
* ``photos/photo-albums/*.html``: photos (``photo<owner>_<id>``, the direct image URL as an
  attachment, description, date, album title).
* ``video/video-albums/*.html``: videos; ``audio/*.html``: audio records (performer, title).
* ``profile/page-info.html``: one ``profile`` item (``profile<owner>``); each field becomes an
  attachment of type ``profile_field`` with ``extra = {"field": <canonical name>, "label": …}``.

Private messages are not read. Dates carry no time zone: Europe/Moscow is assumed (or the
``tz`` option / ``$REPOSTGUARD_TZ``) and every dated item has ``date_tz_assumed=True``.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import functools
import hashlib
import json
import os
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from html import unescape as html_unescape
from html.entities import html5 as html5_entities
from pathlib import Path
from typing import Any, ClassVar, overload

from selectolax.lexbor import LexborHTMLParser, LexborNode

from repostguard.errors import InputError
from repostguard.importers._archive import ExportArchive
from repostguard.importers._base import Importer
from repostguard.importers._parallel import ENV_WORKERS, ordered_map, worker_count
from repostguard.importers._vk import (
    OBJECT_RE,
    PAGE_RE,
    WALL_RE,
    LiteralPattern,
    attachment_type,
    page_url,
    parse_vk_date,
    resolve_tz,
    wall_url,
)
from repostguard.model import Attachment, Item, Source

MAX_PAGE = 256 * 1024**2
ARCHIVE_HELP = "request VK's own archive at https://vk.com/data_protection (see docs/importers/vk.md)"

#: pages of the official archive that this importer reads, as regexes on names relative to the root
PAGE_PATTERNS: dict[str, re.Pattern[str]] = {
    "profile": re.compile(r"^profile/page-info\.html$"),
    "wall": re.compile(r"^wall/wall(\d+)\.html$"),
    "wall_comments": re.compile(r"^wall/[^/]+/comments?(\d*)\.html$"),
    "comments": re.compile(r"^comments/[^/]+\.html$"),
    "photo_comments": re.compile(r"^photos/photo-comments/[^/]+/comments?(\d*)\.html$"),
    "likes": re.compile(r"^likes/[^/]+/[^/]+\.html$"),
    "photos": re.compile(r"^photos/photo-albums/[^/]+\.html$"),
    "video": re.compile(r"^video/video-albums/[^/]+\.html$"),
    "audio": re.compile(r"^audio/[^/]+\.html$"),
}
#: any page that shows this is VK's official archive (also sections that are not read)
OFFICIAL_RE = re.compile(
    r"^(?:"
    + "|".join(p.pattern.strip("^$") for p in PAGE_PATTERNS.values())
    + r"|messages/index-messages\.html|messages/-?\d+/messages\d+\.html)$"
)
#: third-party dumps (VkOpt and similar): ``Диалоги/…/history_N.html``
THIRD_PARTY_RE = re.compile(
    r"(?:^|/)(?:Диалоги|Dialogs)/|(?:^|/)history_\d+\.html$|(?:^|/)vkopt[^/]*$", re.IGNORECASE
)
_JD_RE = re.compile(rb"""<meta\s+name=["']jd["']\s+content=["']([A-Za-z0-9+/=_-]+)["']""", re.IGNORECASE)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_SELF_RE = re.compile(r"^\s*(?:Вы|You)\b")
_URL_HEADS = ("http://", "https://", "vk.com/")


def _urlish(text: str) -> bool:
    """Whether ``text`` is one link and nothing else (whitespace around it aside): one ``split``,
    where the regex ``^\\s*(?:https?://|vk\\.com/)\\S*\\s*$`` took 2 us on an image URL."""
    words = text.split()
    return len(words) == 1 and words[0].startswith(_URL_HEADS)


#: classes of elements that may sit directly in a record (anything else is an "unknown block")
KNOWN_CLASSES = {
    "item",
    "item__main",
    "item__tertiary",
    "item__secondary",
    "item__header",
    "kludges",
    "attachment",
    "post__link",
    "clear_fix",
    "message-edited",
    "wall_post_text",
    "ui_crumb",
}
#: a class naming a repost block (each name contains "copy" or "repost": a class without either
#: is ruled out without running the regex, about 0.8 us for each classed block of every record)
REPOST_CLASS_RE = LiteralPattern(
    ("copy", "repost"), r"\b(?:copy_history|copy_quote|repost|wall_post_copy|item__repost|copy)\b"
)

#: VK profile labels (RU and EN interface) → canonical field names read by the identity matcher
PROFILE_LABELS: dict[str, str] = {
    "полное имя": "full_name",
    "full name": "full_name",
    "имя": "full_name",
    "name": "full_name",
    "дата рождения": "birth_date",
    "date of birth": "birth_date",
    "birthday": "birth_date",
    "birth date": "birth_date",
    "день рождения": "birth_date",
    "номер телефона": "phone",
    "телефон": "phone",
    "мобильный телефон": "phone",
    "phone number": "phone",
    "phone": "phone",
    "mobile phone": "phone",
    "mobile": "phone",
    "дополнительный телефон": "phone_extra",
    "домашний телефон": "phone_extra",
    "additional phone": "phone_extra",
    "home phone": "phone_extra",
    "публичный телефон": "phone_extra",
    "электронная почта": "email",
    "e-mail": "email",
    "email": "email",
    "почта": "email",
    "email address": "email",
    "город": "city",
    "city": "city",
    "current city": "city",
    "родной город": "home_town",
    "home town": "home_town",
    "hometown": "home_town",
    "страна": "country",
    "country": "country",
    "дата регистрации": "registration_date",
    "registration date": "registration_date",
    "подключённое устройство": "device",
    "подключенное устройство": "device",
    "connected device": "device",
    "место работы": "work",
    "работа": "work",
    "work": "work",
    "career": "work",
    "карьера": "work",
    "семейное положение": "relationship",
    "relationship status": "relationship",
    "военная служба": "military",
    "military service": "military",
    "школа": "school",
    "school": "school",
    "вуз": "university",
    "университет": "university",
    "university": "university",
    "образование": "university",
    "education": "university",
    "пол": "sex",
    "sex": "sex",
    "gender": "sex",
    "статус": "status",
    "status": "status",
    "сайт": "website",
    "личный сайт": "website",
    "website": "website",
    "web site": "website",
    "языки": "languages",
    "languages": "languages",
    "родственники": "relatives",
    "relatives": "relatives",
    "интересы": "interests",
    "interests": "interests",
    "о себе": "about",
    "about": "about",
    "about me": "about",
    "короткий адрес": "screen_name",
    "адрес страницы": "screen_name",
    "screen name": "screen_name",
    "skype": "skype",
    "логин в skype": "skype",
    "twitter": "twitter",
    "instagram": "instagram",
    "facebook": "facebook",
    "livejournal": "livejournal",
    "живой журнал": "livejournal",
    "telegram": "telegram",
}


def decode_html(data: bytes, where: str) -> str:
    """A page's text: its declared charset, else strict UTF-8, else windows-1251; InputError otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise InputError(
            where, "page is in an unexpected encoding (UTF-16 or binary), expected windows-1251 or UTF-8"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        declared = "utf-8"
    else:
        declared = _declared_charset(data)
    tried: list[str] = []
    last_err: UnicodeDecodeError | None = None
    for enc in ("utf-8", declared, "cp1251"):
        if not enc or enc in tried:
            continue
        tried.append(enc)
        try:
            return data.decode(enc)
        except LookupError:
            continue
        except UnicodeDecodeError as e:
            last_err = e
    pos = last_err.start if last_err is not None else 0
    raise InputError(where, f"page is in an unexpected encoding: not {' or '.join(tried)} text (byte {pos})")


def _declared_charset(data: bytes) -> str:
    """The charset a page declares in its first 4 KB (``<meta charset>``), lower case; "" if none."""
    m = _CHARSET_RE.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else ""


def page_encoding(data: bytes) -> tuple[str, str | None]:
    """The encoding :func:`decode_html` would read a page in, and the page's text if already decoded.

    A UTF-8 page is decoded here (that is how it is recognised); for any other page only the
    encoding is told (the declared one when Python knows it, else windows-1251), so that the page
    can be cut into records as bytes and each record decoded once. If a record then fails to
    decode, the caller falls back to :func:`decode_html`, which gives the error.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8", None
    try:
        # the first 64 KB first: a failed decode copies its whole input into the error
        codecs.getincrementaldecoder("utf-8")().decode(data[:65536], final=False)
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared:
        try:
            return codecs.lookup(declared).name, None
        except LookupError:
            pass
    return "cp1251", None


def read_jd(head: bytes) -> dict[str, Any] | None:
    """The archive marker ``<meta name="jd">`` of a page (owner id and generation time), or None."""
    m = _JD_RE.search(head)
    if not m:
        return None
    b64 = m.group(1)
    try:
        data = json.loads(base64.b64decode(b64 + b"=" * (-len(b64) % 4), altchars=b"-_"))
    except (binascii.Error, ValueError):
        try:
            data = json.loads(base64.b64decode(b64 + b"=" * (-len(b64) % 4)))
        except (binascii.Error, ValueError):
            return None
    return data if isinstance(data, dict) else None


def _classes(node: LexborNode) -> set[str]:
    return set((node.attributes.get("class") or "").split())


def _has_class_ancestor(node: LexborNode, stop: LexborNode, classes: set[str]) -> bool:
    p = node.parent
    while p is not None and p.mem_id != stop.mem_id:
        if _classes(p) & classes:
            return True
        p = p.parent
    return False


def _within(node: LexborNode, container: LexborNode | None) -> bool:
    if container is None:
        return False
    p: LexborNode | None = node
    while p is not None:
        if p.mem_id == container.mem_id:
            return True
        p = p.parent
    return False


#: ``<br>`` is turned into this character before parsing, so that a subtree's text keeps its line
#: breaks without walking every node; :func:`_raw` turns it back into ``<br>``
BR_MARK = "\u2028"
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
#: a ``<br`` that is not ``<br>`` (``<br/>``, ``<BR>``): rare, so it is looked for before the slower regex
_OTHER_BR_RE = re.compile("<(?:br|BR|Br)")
_EXCL_SEL = (
    ".kludges, .attachment, .item__tertiary, .item__main, [class*=copy], [class*=repost], script, style"
)
_BLOCKS = ("div", "p", "li", "ul", "ol", "blockquote", "table", "tr")


#: long text runs of the record being parsed, replaced by placeholders before parsing (see
#: :func:`elide_texts`); :func:`_clean` puts them back
_ELIDED: list[list[str]] = [[]]
_PH_RE = re.compile("\ue000(\\d+)\ue001")
LONG_TEXT = 80
#: what :func:`_clean` reads as a space, besides " " itself
_SPACES = ("\xa0", "\t", "\r", "\f", "\v")
_BR_RE_B = re.compile(rb"<br\s*/?>", re.IGNORECASE)


#: elements whose text is never elided
_RAW_TEXT_TAGS = ("script", "style", "!--", "textarea")
_RAW_TEXT_TAGS_B = tuple(t.encode() for t in _RAW_TEXT_TAGS)


def elide_texts(html: str) -> tuple[str, list[str]]:
    """``html`` with each text run longer than :data:`LONG_TEXT` replaced by a placeholder.

    The HTML parser then only builds the record's skeleton (its cost grows with every byte of
    text). Each run is entity-decoded and whitespace-normalized here, once (see
    :func:`_text_run`), and put back by :func:`_clean`. Splitting on ``<`` and looking for the
    tag's ``>`` runs at C speed; a long post is one text run once ``<br>`` is :data:`BR_MARK`.
    """
    pieces = html.split("<")
    texts: list[str] = []
    for i in range(1, len(pieces)):
        p = pieces[i]
        j = p.find(">")
        if j != -1 and len(p) - j > LONG_TEXT and not p.startswith(_RAW_TEXT_TAGS):
            lead, body, trail = _text_run(p[j + 1 :])
            pieces[i] = p[: j + 1] + lead + (f"\ue000{len(texts)}\ue001" if body else "") + trail
            if body:
                texts.append(body)
    skeleton = "<".join(pieces)
    if texts and _lookalikes(skeleton) != len(texts):  # its own text could be read as a placeholder
        return html, []
    return skeleton, texts


def elide_record(
    raw: bytes, encoding: str, utf8: dict[int, tuple[str, bytes]] | None = None
) -> tuple[str, list[str]]:
    """:func:`elide_texts` for a record's bytes in ``encoding``: the skeleton's text and the runs.

    Only the skeleton and the runs are decoded. In a single-byte encoding the C accelerator
    (:mod:`._vkspeed`, when it was built) does the work in one pass, and also gives each run's
    UTF-8 bytes: those are added to ``utf8`` (``id(run)`` → (run, bytes)), for the store. Records
    it leaves (see its source), other encodings, and every record where it was not built go
    through :func:`_elide_record_py`. Raises UnicodeDecodeError.
    """
    fast = _fast_args(encoding)
    if fast is not None:
        out = fast[0](raw, fast[1], fast[2], _ENTITY_VALUES, fast[3], LONG_TEXT, _RAW_TEXT_TAGS_B)
        if out is not None:
            sk, texts, encoded = out
            result = _checked(raw, encoding, sk, texts)
            if utf8 is not None and result[1]:
                for text, data in zip(texts, encoded, strict=True):
                    utf8[id(text)] = (text, data)
            return result
    return _elide_record_py(raw, encoding)


def _checked(raw: bytes, encoding: str, skeleton: bytes, texts: list[str]) -> tuple[str, list[str]]:
    """The elided record (its skeleton decoded), or the whole record when the skeleton's own text
    could be read as a placeholder."""
    decoded = skeleton.decode(encoding)
    if texts and _lookalikes(decoded) != len(texts):
        return prepare_html(raw.decode(encoding)), []
    return decoded, texts


_c_elide: Any
try:
    from ._vkspeed import elide as _c_elide
except ImportError:  # built without a C compiler: the Python code does it all, with the same result
    _c_elide = None


@functools.cache
def _fast_args(encoding: str) -> tuple[Any, str, bytes, str] | None:
    """The C accelerator and what it needs for ``encoding`` (its 256 characters, the bytes read as
    spaces, the characters an entity must not give), or None where the Python code must run."""
    spaces = _byte_spaces(encoding)
    if _c_elide is None or spaces is None or os.environ.get("REPOSTGUARD_NO_C"):
        return None
    table = bytes(range(256)).decode(encoding, "replace")
    if any(c.isdecimal() for c in table[128:]):  # the entity pattern's \d would read these as digits
        return None
    return _c_elide, table, b"".join(spaces), "".join(_RUN_SPACES)


def _elide_record_py(raw: bytes, encoding: str) -> tuple[str, list[str]]:
    """:func:`elide_record` in Python: the reference the accelerator is tested against.

    In a single-byte encoding the whitespace of the runs is normalized on the bytes, before
    decoding: single-byte searches there are a ``memchr``. ``<br>`` is read as a line break
    right away.
    """
    pieces = raw.replace(b"<br>", b"\n").split(b"<")
    if any(p[:2] in _BR_HEADS for p in pieces):  # <br/>, <BR>, ...: rare
        pieces = _BR_RE_B.sub(b"\n", b"<".join(pieces)).split(b"<")
    spaces = _byte_spaces(encoding)
    texts: list[str] = []
    for i in range(1, len(pieces)):
        p = pieces[i]
        j = p.find(b">")
        if j == -1 or len(p) - j <= LONG_TEXT or p.startswith(_RAW_TEXT_TAGS_B):
            continue
        t = p[j + 1 :]
        if spaces is None:  # not a single-byte encoding: normalized as text
            lead, body, trail = _text_run(t.decode(encoding))
            bl, bt = lead.encode("ascii"), trail.encode("ascii")
        else:
            for ch in spaces:
                if ch in t:
                    t = t.replace(ch, b" ")
            bl, core, bt = _ends(_collapse(t) if _uncollapsed(t) else t)
            body = core.decode(encoding)
            if b"&" in core:
                body, values = _unescape(body)
                if values is None or any(c in values for c in _RUN_SPACES):  # an entity gave whitespace
                    lead, body, trail = _text_run(bl.decode("ascii") + body + bt.decode("ascii"), decoded=True)
                    bl, bt = lead.encode("ascii"), trail.encode("ascii")
        if body:
            bl += b"&#57344;%d&#57345;" % len(texts)
            texts.append(body)
        pieces[i] = p[: j + 1] + bl + bt
    return _checked(raw, encoding, b"<".join(pieces), texts)


_BR_HEADS = frozenset({b"br", b"bR", b"Br", b"BR"})
#: a character reference to U+E000 (the placeholder's first character), in any spelling
_PH_REF_RE = re.compile(r"&#(?:0*57344|[xX]0*[eE]000);?")


def _lookalikes(skeleton: str) -> int:
    """How many placeholders ``skeleton`` would show once parsed (the record's own and ours)."""
    if "&#" not in skeleton and "\ue000" not in skeleton:
        return 0
    return skeleton.count("\ue000") + len(_PH_REF_RE.findall(skeleton))


#: characters whose presence in an entity's text means the run must be normalized again
_RUN_SPACES = (" ", "\n", BR_MARK, *_SPACES)


@functools.cache
def _byte_spaces(encoding: str) -> tuple[bytes, ...] | None:
    """The bytes that decode to one of :data:`_SPACES` (or :data:`BR_MARK`) in a single-byte,
    ASCII-compatible ``encoding``; None for any other encoding."""
    try:
        if bytes(range(128)).decode(encoding) != bytes(range(128)).decode("ascii"):
            return None
        one = [bytes([i]).decode(encoding, "replace") for i in range(256)]
        if any(len(c) != 1 for c in one) or "".join(one) != bytes(range(256)).decode(encoding, "replace"):
            return None
    except (LookupError, UnicodeDecodeError):
        return None
    return tuple(bytes([i]) for i, c in enumerate(one) if c in (*_SPACES, BR_MARK))


def _uncollapsed(t: bytes) -> bool:
    """Whether :func:`_collapse` would change ``t`` (bytes, other spaces already turned into " ").

    A search for a two-byte needle costs about 1 ns a byte; on a long text a vectorized look for
    two whitespace bytes in a row (about 10 us whatever the length) first rules most texts out.
    """
    if len(t) >= VECTOR_FROM:
        np = _numpy()
        a = np.frombuffer(t, np.uint8)
        ws = (a == 32) | (a == 10)
        if not (ws[1:] & ws[:-1]).any():
            return False
    return b"  " in t or b" \n" in t or b"\n " in t or b"\n\n\n" in t


@functools.cache
def _numpy() -> Any:
    """numpy, imported on first use: importing it costs ~150 ms, which only long posts repay.

    Unless numpy is already loaded or the variable is set, its OpenBLAS gets one thread: it would
    start one per CPU, which spin for a while (about 2 % of a 5,000-post import's CPU), and
    nothing here multiplies matrices.
    """
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import numpy

    return numpy


#: text length from which :func:`_uncollapsed` looks with array operations first (measured
#: crossover on the benchmark machine: about 3,000 bytes)
VECTOR_FROM = 3000


def _collapse(s: Any) -> Any:
    """Runs of spaces as one, no space beside a line break, at most one empty line (str or bytes;
    other whitespace already turned into spaces). Each maximal run of whitespace becomes " ",
    "\\n" or "\\n\\n", whatever surrounds it."""
    sp2, sp, nl_sp, sp_nl, nl, nl3, nl2 = _COLLAPSE[type(s) is bytes]
    while sp2 in s:
        s = s.replace(sp2, sp)
    if sp_nl in s or nl_sp in s:
        s = s.replace(sp_nl, nl).replace(nl_sp, nl)
    while nl3 in s:
        s = s.replace(nl3, nl2)
    return s


_COLLAPSE = {
    False: ("  ", " ", "\n ", " \n", "\n", "\n\n\n", "\n\n"),
    True: (b"  ", b" ", b"\n ", b" \n", b"\n", b"\n\n\n", b"\n\n"),
}


def _clean_spaces(s: str) -> str:
    """:func:`_collapse` after turning :data:`BR_MARK` into a line break and other spaces into " "."""
    if BR_MARK in s:
        s = s.replace(BR_MARK, "\n")
    for ch in _SPACES:
        if ch in s:
            s = s.replace(ch, " ")
    return _collapse(s)


def _text_run(t: str, decoded: bool = False) -> tuple[str, str, str]:
    """A long text run (entity-decoded unless ``decoded``), whitespace-normalized as :func:`_clean`
    would, and cut into (leading whitespace, body, trailing whitespace).

    :func:`_clean` normalizes each stretch of whitespace on its own ("  " → " ", ...), so the body
    can be put back as it is, once the text around its placeholder is cleaned: the run's
    whitespace at either end goes into the skeleton, where it meets its neighbours.
    """
    if not decoded and "&" in t:
        t = fast_unescape(t)
    return _ends(_clean_spaces(t))


def _ends(t: Any) -> tuple[Any, Any, Any]:
    """A normalized run (str or bytes) as (leading whitespace, body, trailing whitespace); a run of
    whitespace only is all leading."""
    ws = b" \n" if isinstance(t, bytes) else " \n"
    body = t.strip(ws)
    if not body:
        return t, body, body
    return t[: len(t) - len(t.lstrip(ws))], body, t[len(t.rstrip(ws)) :]


#: an entity ``&name;``/``&#N;`` (group 1), or else an ``&`` that the plain reading below leaves to
#: the standard library (group 2: no ``;``, hex, too long)
_ENTITY_OR_ODD_RE = re.compile(r"&(?:(#\d{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});|([#a-zA-Z]))")  # "&" first: fast search


def _entity_value(name: str) -> str | None:
    """The text of ``&name;`` read the plain way, or None when html.unescape reads it otherwise."""
    if name[0] == "#":
        n = int(name[1:])
        if (
            0x20 <= n < 0x7F
            or 0xA0 <= n < 0xD800
            or 0xE000 <= n < 0xFDD0
            or (0xFDEF < n < 0x110000 and n & 0xFFFE != 0xFFFE)
        ):
            return chr(n)
        return None  # control, surrogate and cp1252-remapped numbers: as browsers read them
    return html5_entities.get(name + ";")  # None e.g. for "&notit;", read as "¬it;" by the HTML rules


#: entity (``name`` or ``#N``) → its text, for those :func:`_entity_value` reads; numeric ones are
#: added as they are met, up to :data:`_MAX_ENTITIES`
_ENTITY_VALUES: dict[str, str] = {
    k[:-1]: v
    for k, v in html5_entities.items()
    if k.endswith(";") and re.fullmatch(r"[a-zA-Z][a-zA-Z0-9]{1,31}", k[:-1])
}
_MAX_ENTITIES = len(_ENTITY_VALUES) + 20000


def fast_unescape(t: str) -> str:
    """``html.unescape`` for the usual ``&name;``/``&#N;``, in one C-speed pass; the library for the rest."""
    return _unescape(t)[0]


def _unescape(t: str) -> tuple[str, str | None]:
    """:func:`fast_unescape`, and the entities' texts joined (None when the library read them).

    The regex splits the text at the entities; their texts come from a dict, mapped in C.
    """
    parts = _ENTITY_OR_ODD_RE.split(t)  # text, entity, odd, text, entity, odd, ..., text
    if len(parts) == 1:
        return t, ""
    if any(parts[2::3]):  # an "&" the plain reading does not cover
        return html_unescape(t), None
    del parts[2::3]  # text, entity, text, entity, ..., text
    names = parts[1::2]
    try:
        values = list(map(_ENTITY_VALUES.__getitem__, names))
    except KeyError:
        values = []
        for name in names:
            v = _ENTITY_VALUES.get(name)
            if v is None:
                v = _entity_value(name)
                if v is None:
                    return html_unescape(t), None
                if len(_ENTITY_VALUES) < _MAX_ENTITIES:
                    _ENTITY_VALUES[name] = v
            values.append(v)
    parts[1::2] = values
    return "".join(parts), "".join(values)


def _clean(s: str) -> str:
    """Whitespace normalized: NBSP and tabs as spaces, runs of spaces as one, at most one empty line.

    Plain ``str`` methods only: a regex over every character costs ~10x more on long posts. The
    long runs of an elided record are put back after the rest is normalized: they already are.
    """
    s = _clean_spaces(s)
    texts = _ELIDED[0]
    if texts and "\ue000" in s:
        whole = _PH_RE.fullmatch(s.strip())
        n = int(whole.group(1)) if whole is not None else len(texts)
        if n < len(texts):  # a post's text is often one run: no copy of it
            return texts[n].strip()
        s = _PH_RE.sub(lambda m: texts[int(m.group(1))] if int(m.group(1)) < len(texts) else m.group(0), s)
    return s.strip()


def prepare_html(html: str) -> str:
    """``<br>`` as :data:`BR_MARK`, so that subtree text keeps line breaks (see :func:`node_text`)."""
    html = html.replace("<br>", BR_MARK)
    if _OTHER_BR_RE.search(html):  # one pass instead of three substring searches
        html = _BR_RE.sub(BR_MARK, html)
    return html


def _raw(node: LexborNode) -> str:
    return (node.html or "").replace(BR_MARK, "<br>")


def node_text(el: LexborNode, skip: LexborNode | None = None, skip_links: bool = False) -> str:
    """The visible text of ``el`` (``<br>`` = newline), leaving out attachments and ``skip``."""
    parts: list[str] = []
    sel = _EXCL_SEL + (", a[href]" if skip_links else "")

    def walk(n: LexborNode) -> None:
        for c in n.iter(include_text=True):
            tag = c.tag
            if tag == "-text":
                parts.append(c.text(deep=False) or "")
            elif tag == "br":
                parts.append("\n")
            elif tag in ("script", "style", "img"):
                continue
            elif skip is not None and c.mem_id == skip.mem_id:
                continue
            elif tag == "a":
                href = c.attributes.get("href") or ""
                if skip_links and (WALL_RE.search(href) or PAGE_RE.search(href)):
                    continue
                walk(c)
            else:
                block = tag in _BLOCKS
                if block:
                    cls = _classes(c)
                    if cls & {
                        "kludges",
                        "attachment",
                        "item__tertiary",
                        "item__main",
                    } or REPOST_CLASS_RE.search(" ".join(cls)):
                        continue
                    parts.append("\n")
                if c.css_first(sel) is None and (skip is None or not _within(skip, c)):
                    parts.append(c.text(deep=True) or "")  # nothing to leave out below: take it whole
                else:
                    walk(c)
                if block:
                    parts.append("\n")

    walk(el)
    return _clean("".join(parts))


class VkArchiveImporter(Importer):
    """VK's official «Архив данных» (a ZIP or its unpacked folder, with or without ``Archive/``)."""

    platform = "vk"
    format_name: ClassVar[str] = "vk_archive"
    version = "1"
    FIXTURE_CASES: ClassVar[list[dict[str, object]]] = [
        {
            "path": "tests/fixtures/vk/archive_ru",
            "counts": {
                "profile": 1,
                "post": 3,
                "repost": 3,
                "comment": 3,
                "like": 3,
                "photo": 2,
                "video": 1,
                "audio": 2,
            },
            "warnings": 2,
            "items": [
                {
                    "native_id": "wall100001_10",
                    "kind": "post",
                    "date": "2021-05-02T19:08:00+03:00",
                    "date_tz_assumed": True,
                    "author": "self",
                    "url": "https://vk.com/wall100001_10",
                    "text": "re:^Привет, «мир» 😀\nвторая строка$",
                    "attachments.0.type": "photo",
                    "attachments.0.url": "re:^https://sun9-1\\.userapi\\.com/",
                    "attachments.1.type": "link",
                },
                {
                    "native_id": "wall100001_11",
                    "kind": "repost",
                    "reposted_from.name": "Тестовое сообщество",
                    "reposted_from.url": "https://vk.com/wall-200002_77",
                    "text": "re:Мой комментарий(.|\n)*Текст оригинала",
                    "date": "2021-02-02T08:15:45+03:00",
                },
                {
                    "native_id": "wall100001_12",
                    "kind": "repost",
                    "reposted_from.url": "https://vk.com/wall-300003_5",
                    "text": "re:Вторая ссылка",
                },
                {
                    "native_id": "wall100001_13",
                    "kind": "repost",
                    "reposted_from.url": "https://vk.com/wall-400004_9",
                    "attachments.0.type": "wall",
                },
                {
                    "native_id": "wall100001_14",
                    "kind": "post",
                    "author": "Пётр Тестов",
                    "date": "2020-12-25T00:05:00+03:00",
                },
                {
                    "native_id": "wall-200002_77?reply=501",
                    "kind": "comment",
                    "text": "Согласен полностью",
                    "url": "https://vk.com/wall-200002_77?reply=501",
                    "date": "2022-01-03T17:20:00+03:00",
                },
                {
                    "native_id": "like_wall-200002_77",
                    "kind": "like",
                    "url": "https://vk.com/wall-200002_77",
                    "attachments.0.type": "wall",
                },
                {
                    "native_id": "photo100001_457239017",
                    "kind": "photo",
                    "text": "Закат над рекой",
                    "attachments.0.url": "re:^https://sun9-2\\.userapi\\.com/.*size=",
                    "date": "re:^2019-08-01T",
                },
                {"native_id": "video100001_456239001", "kind": "video", "attachments.0.title": "Мой ролик"},
                {
                    "native_id": "re:^audio_",
                    "kind": "audio",
                    "attachments.0.artist": "Тестовый исполнитель",
                    "attachments.0.title": "Песня про тест",
                },
                {
                    "native_id": "profile100001",
                    "kind": "profile",
                    "url": "https://vk.com/id100001",
                    "text": "re:Номер телефона: \\+7 900 000-00-00",
                },
            ],
        },
        {
            "path": "tests/fixtures/vk/archive_en",
            "counts": {"profile": 1, "post": 1, "repost": 1, "comment": 1, "like": 1},
            "warnings": 0,
            "items": [
                {
                    "native_id": "wall100001_20",
                    "kind": "post",
                    "date": "2021-02-02T19:08:00+03:00",
                    "text": "Hello world",
                    "author": "self",
                },
                {
                    "native_id": "wall100001_21",
                    "kind": "repost",
                    "date": "2014-11-03T19:15:40+03:00",
                    "reposted_from.url": "https://vk.com/wall-200002_78",
                    "reposted_from.name": "Test Community",
                    "text": "re:Original text",
                },
                {
                    "native_id": "wall100001_30?reply=7",
                    "kind": "comment",
                    "date": "2014-11-03T07:15:40+03:00",
                },
                {"native_id": "like_photo-200002_5", "kind": "like", "attachments.0.type": "photo"},
                {"native_id": "profile100001", "text": "re:Full name: Test User"},
            ],
        },
    ]

    def __init__(self, path: Path, media_dir: Path | None = None, tz: str | None = None) -> None:
        super().__init__(path, media_dir)
        self.tz, self.tz_name = resolve_tz(tz)
        self.owner_id: int | None = None
        self._arc: ExportArchive | None = None
        self._agg: Counter[str] = Counter()
        self._agg_first: dict[str, str] = {}
        self._audio_seen: Counter[str] = Counter()
        self._record_raw: str | bytes | None = None
        self._record_enc: str | None = None
        #: while a page's items are made (see :meth:`parse_data`): the UTF-8 of the runs the
        #: accelerator cut out (see :func:`elide_record`), by the id of the run's text
        self._utf8: dict[int, tuple[str, bytes]] | None = None

    # -- detection and verification ---------------------------------------------------------

    @staticmethod
    def _names_cheap(path: Path, limit: int = 20000) -> list[str] | None:
        """File names of a folder or ZIP (wrapper folder kept), or None if it is neither."""
        if path.is_dir():
            out: list[str] = []
            for dirpath, dirs, files in os.walk(path):
                rel = Path(dirpath).relative_to(path)
                if len(rel.parts) > 5:
                    dirs[:] = []
                    continue
                out.extend((rel / f).as_posix() for f in files)
                if len(out) > limit:
                    break
            return out
        if path.is_file():
            try:
                with zipfile.ZipFile(path) as zf:
                    return [n.replace("\\", "/") for n in zf.namelist()[: limit * 10]]
            except (zipfile.BadZipFile, OSError, EOFError):
                return None
        return None

    @staticmethod
    def _strip(names: list[str]) -> list[str]:
        """Names without their wrapper folders (``Archive/`` or even ``Archive/Archive/``)."""
        files = [n for n in names if not n.endswith("/")]
        for _ in range(3):
            tops = {n.split("/", 1)[0] for n in files}
            if not files or len(tops) != 1 or not all("/" in n for n in files):
                break
            cut = len(next(iter(tops))) + 1
            files = [n[cut:] for n in files]
        return files

    @classmethod
    def _truncated_vk_zip(cls, path: Path) -> bool:
        """A file that starts like a ZIP but has no readable directory, with VK page names inside."""
        if not path.is_file():
            return False
        with open(path, "rb") as fh:
            head = fh.read(256 * 1024)
        if not head.startswith(b"PK\x03\x04") or zipfile.is_zipfile(path):
            return False
        return re.search(rb"(?:^|/)(?:wall/wall\d+|profile/page-info|comments/[^/]+)\.html", head) is not None

    @classmethod
    def detect(cls, path: Path) -> bool:
        path = Path(path)
        if cls._truncated_vk_zip(path):
            return True
        names = cls._names_cheap(path)
        if not names:
            return False
        stripped = cls._strip(names)
        return any(OFFICIAL_RE.match(n) or THIRD_PARTY_RE.search(n) for n in stripped)

    def _archive(self) -> ExportArchive:
        if self._arc is None:
            if self._truncated_vk_zip(self.path):
                raise InputError(
                    self.path,
                    "damaged or truncated ZIP (its directory is missing): download the archive again",
                )
            self._arc = ExportArchive.open(self.path)
            for w in self._arc.warnings:
                self.warn(w)
        return self._arc

    def pages(self) -> list[tuple[str, str]]:
        """``(section, name)`` of every page read, in import order (wall pages sorted by number)."""
        arc = self._archive()
        names = arc.names()
        rel = self._strip(names)
        cut = len(names[0]) - len(rel[0]) if names and rel else 0
        out: list[tuple[str, str]] = []
        for section, rx in PAGE_PATTERNS.items():
            found = [n for n in names if rx.match(n[cut:])]
            if section == "wall":
                found.sort(key=lambda n: int(rx.match(n[cut:]).group(1)))  # type: ignore[union-attr]
            else:
                found.sort(key=lambda n: _natural(n[cut:]))
            out.extend((section, n) for n in found)
        return out

    def verify(self) -> None:
        arc = self._archive()
        names = self._strip(arc.names())
        third = [n for n in arc.names() if THIRD_PARTY_RE.search(n)]
        if third and not any(OFFICIAL_RE.match(n) for n in names):
            raise InputError(
                arc.display(third[0]),
                "a VK dump made by a third-party tool (VkOpt or similar), not VK's official «Архив данных»; "
                + ARCHIVE_HELP,
            )
        pages = self.pages()
        if not pages:
            raise InputError(
                self.path,
                "no pages of a VK archive (wall/, comments/, likes/, photos/, video/, audio/, "
                "profile/) found; " + ARCHIVE_HELP,
            )
        owners: Counter[int] = Counter()
        first_page: dict[int, str] = {}
        missing = 0
        for _section, name in pages:
            with arc.open_bytes(name) as fh:
                try:
                    head = fh.read(8192)
                except (zipfile.BadZipFile, OSError, EOFError) as e:
                    raise InputError(arc.display(name), f"damaged or truncated ({e})") from e
            jd = read_jd(head)
            uid = jd.get("user_id") if jd else None
            if isinstance(uid, int) and not isinstance(uid, bool):
                owners[uid] += 1
                first_page.setdefault(uid, name)
            else:
                missing += 1
        if not owners:
            raise InputError(
                arc.display(pages[0][1]),
                'no VK archive marker (<meta name="jd">) on any page: not VK\'s official archive '
                "(a third-party dump or re-saved pages?); " + ARCHIVE_HELP,
            )
        if len(owners) > 1:
            desc = ", ".join(f"id{u} ({n} pages, e.g. {first_page[u]})" for u, n in owners.most_common())
            raise InputError(
                self.path,
                f"pages of several VK accounts are mixed in: {desc}; import each account's "
                "archive on its own",
            )
        self.owner_id = next(iter(owners))
        if missing:
            self.warn(
                f'{self.path}: {missing} pages have no VK archive marker (<meta name="jd">); read anyway'
            )

    # -- reading ------------------------------------------------------------------------------

    def _note(self, key: str, where: str) -> None:
        """Count an unknown structure; one warning per kind of structure is emitted at the end."""
        self._agg[key] += 1
        self._agg_first.setdefault(key, where)

    def iter_items(self) -> Iterator[Item]:
        """The items of every page, in page order.

        Runs of pages of the sections in :data:`PARALLEL_SECTIONS` are parsed in worker processes
        when they hold at least :data:`PARALLEL_MIN_BYTES` of HTML and more than one CPU is
        usable (see :mod:`repostguard.importers._parallel`); the items, their order and the
        warnings are the same either way.
        """
        if self.owner_id is None:
            self.verify()
        arc = self._archive()
        try:
            pages = self.pages()
            workers = self._workers(pages)
            i = 0
            while i < len(pages):
                if workers > 0 and pages[i][0] in PARALLEL_SECTIONS:
                    j = i
                    while j < len(pages) and pages[j][0] in PARALLEL_SECTIONS:
                        j += 1
                    yield from self._parse_in_workers(pages[i:j], workers)
                    i = j
                    continue
                section, name = pages[i]
                i += 1
                yield from self.parse_data(section, arc.read_bytes(name, MAX_PAGE), arc.display(name), name)
            for key, n in self._agg.items():
                self.warn(f"{self._agg_first[key]}: {key} ({n}x; kept in the raw record)")
        finally:
            self.close()

    def _workers(self, pages: list[tuple[str, str]]) -> int:
        """Worker processes for this archive: none unless it is large or the user asked."""
        workers = worker_count()
        if workers <= 0 or os.environ.get(ENV_WORKERS, "").strip():
            return workers
        arc = self._archive()
        size = sum(arc.size(name) for section, name in pages if section in PARALLEL_SECTIONS)
        return workers if size >= PARALLEL_MIN_BYTES else 0

    def _parse_in_workers(self, pages: list[tuple[str, str]], workers: int) -> Iterator[Item]:
        state = (str(self.path), str(self.media_dir) if self.media_dir else None, self.tz_name, self.owner_id)
        # pages this process takes over: parsed by an importer of their own, like a worker's
        # (this one's notes are merged in page order below)
        here: list[VkArchiveImporter] = []

        def local(page: tuple[str, str]) -> tuple[list[Item], dict[str, int], dict[str, str]]:
            if not here:
                here.append(VkArchiveImporter(self.path, self.media_dir, self.tz_name))
                here[0].owner_id = self.owner_id
            return _page_result(here[0], page, send=False)

        def named(pages: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
            # a page enters the window of pages in flight: the system reads it meanwhile
            arc = self._archive()
            for page in pages:
                arc.prefetch(page[1])
                yield page

        try:
            for items, agg, first in ordered_map(
                _worker_page, named(pages), workers, initializer=_worker_init, initargs=(state,), local=local
            ):
                for key, n in agg.items():
                    self._agg[key] += n
                    self._agg_first.setdefault(key, first[key])
                yield from items
        finally:
            for imp in here:
                imp.close()

    def parse_data(self, section: str, data: bytes, where: str, name: str = "") -> Iterator[Item]:
        """The items of one page as read from the archive (bytes).

        A page in a single-byte encoding (VK's windows-1251) is cut into records as bytes: each
        record's raw bytes are then kept as they are in the archive (half the size of UTF-8 for
        Cyrillic, and nothing to encode), and only they are decoded. UTF-8 pages, and pages whose
        bytes do not decode record by record, go through :meth:`parse_page`.
        """
        enc, html = page_encoding(data)
        if html is None and section != "profile" and enc != "utf-8":  # (page_encoding gives codec names)
            cut = _split_records(data)
            if cut is not None:
                head, records = cut
                utf8: dict[int, tuple[str, bytes]] = {}
                try:
                    title = _crumb_title(head.decode(enc))
                    elided = [elide_record(r, enc, utf8) for r in records]
                except UnicodeDecodeError:
                    pass
                else:
                    items = self._parse_records(section, records, elided, where, name, title, enc)
                    if items is not None:
                        self._utf8 = utf8
                        try:
                            for item in items:
                                encoded = self._utf8_of(item.text)
                                if encoded is not None:  # a run the accelerator cut out, as it is
                                    item.keep_text_as_utf8(encoded)
                                yield item
                        finally:
                            self._utf8 = None
                        return
        yield from self.parse_page(section, html if html is not None else decode_html(data, where), where, name)

    def parse_page(self, section: str, html: str, where: str, name: str = "") -> Iterator[Item]:
        """The items of one decoded page of ``section`` (a key of :data:`PAGE_PATTERNS`).

        Records (``<div class="item">`` at the top of ``.wrap_page_content``) are cut out of the
        page text and parsed one by one: the raw record is then the archive's own markup, and no
        serialisation of a whole page tree is needed. Pages that do not split cleanly are parsed
        whole.
        """
        if section != "profile":
            cut = _split_records(html)
            if cut is not None:
                head, records = cut
                elided = [elide_texts(prepare_html(chunk)) for chunk in records]
                items = self._parse_records(section, records, elided, where, name, _crumb_title(head))
                if items is not None:
                    yield from items
                    return
        yield from self._parse_whole(section, html, where, name)

    def _parse_records(
        self,
        section: str,
        records: list[Any],
        elided: list[tuple[str, list[str]]],
        where: str,
        name: str,
        title: str,
        encoding: str | None = None,
    ) -> Iterator[Item] | None:
        """The items of a page cut into records (their text, or their bytes in ``encoding``, kept as
        raw records) and elided, or None when the records' markup does not survive the cut."""
        if not _check_skeletons(elided, records):
            return None
        # one parse of the page's skeleton: a parser per record costs ~20x more
        tree = LexborHTMLParser('<div class="wrap_page_content">' + "".join(sk for sk, _ in elided) + "</div>")
        root = tree.css_first(".wrap_page_content")
        nodes = [c for c in root.iter() if c.tag == "div" and "item" in _classes(c)] if root else []
        if len(nodes) != len(records):  # the markup did not survive the cut: one parser per record
            nodes = []
            for sk, _ in elided:
                n = LexborHTMLParser(sk).css_first("div.item")
                if n is None:
                    return None
                nodes.append(n)
        return self._records_items(section, records, nodes, elided, where, name, title, encoding)

    def _records_items(
        self,
        section: str,
        records: list[Any],
        nodes: list[LexborNode],
        elided: list[tuple[str, list[str]]],
        where: str,
        name: str,
        title: str,
        encoding: str | None,
    ) -> Iterator[Item]:
        for idx, (chunk, node, (_sk, texts)) in enumerate(zip(records, nodes, elided, strict=True), 1):
            self._record_raw = chunk
            self._record_enc = encoding
            _ELIDED[0] = texts
            try:
                item = self._record(section, node, where, f"record {idx}", name, title)
            finally:
                self._record_raw = None
                self._record_enc = None
                _ELIDED[0] = []
            if item is not None:
                yield item

    def _parse_whole(self, section: str, html: str, where: str, name: str) -> Iterator[Item]:
        tree = LexborHTMLParser(prepare_html(html))
        root = tree.css_first(".wrap_page_content")
        if root is None:
            self._note("page without .wrap_page_content (records searched in the whole page)", where)
            root = tree.body or tree.root
        if root is None:
            return
        title = ""
        crumbs = tree.css(".ui_crumb")
        if crumbs:
            title = _clean(crumbs[-1].text(deep=True))
        nodes = [n for n in root.css("div.item") if not _has_class_ancestor(n, root, {"item"})]
        for idx, node in enumerate(nodes, 1):
            item = self._record(section, node, where, f"record {idx}", name, title)
            if item is not None:
                yield item
        if section == "profile":
            yield self._profile(root, where)

    def _record(
        self, section: str, node: LexborNode, where: str, pointer: str, name: str, title: str
    ) -> Item | None:
        if section == "wall":
            return self._wall(node, where, pointer)
        if section in ("comments", "wall_comments", "photo_comments"):
            return self._comment(node, where, pointer, own=section == "comments")
        if section == "likes":
            return self._like(node, where, pointer, name)
        if section == "photos":
            return self._photo(node, where, pointer, title)
        if section == "video":
            return self._video(node, where, pointer, title)
        if section == "audio":
            return self._audio(node, where, pointer)
        return None

    def _utf8_of(self, text: str) -> bytes | None:
        """The UTF-8 of ``text`` if the accelerator gave it for the page being parsed (the map
        holds the text itself, so an id found in it is this text's)."""
        known = self._utf8.get(id(text)) if self._utf8 else None
        return known[1] if known is not None else None

    def _joined(self, sep: str, parts: list[str]) -> str:
        """``sep.join(parts)``; its UTF-8 is known (see :meth:`_utf8_of`) when every part's is."""
        joined = sep.join(parts)
        if self._utf8 is not None and len(parts) > 1:
            found = [self._utf8_of(p) for p in parts]
            if None not in found:
                self._utf8[id(joined)] = (joined, sep.encode().join(d for d in found if d is not None))
        return joined

    def _item(self, node: LexborNode, where: str, pointer: str, **kw: Any) -> Item:
        date = kw.pop("date", None)
        return Item(
            platform="vk",
            date=date,
            date_tz_assumed=date is not None,
            raw=self._record_raw if self._record_raw is not None else _raw(node),
            raw_encoding=self._record_enc,
            source_file=where,
            pointer=pointer,
            **kw,
        )

    def _fallback_id(self, prefix: str, node: LexborNode, what: str, where: str) -> str:
        self._note(f"{what}: kept with an id made from its content", where)
        raw = self._record_raw if self._record_raw is not None else (node.html or "")
        data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
        return f"{prefix}_unknown_{hashlib.sha1(data).hexdigest()[:12]}"

    def _attachments(
        self,
        node: LexborNode,
        where: str,
        within: LexborNode | None = None,
        exclude: LexborNode | None = None,
        origin: str | None = None,
    ) -> list[Attachment]:
        out: list[Attachment] = []
        for att in node.css(".attachment"):
            if exclude is not None and _within(att, exclude):
                continue
            if within is not None and not _within(att, within):
                continue
            desc_node = att.css_first(".attachment__description")
            label = _clean(desc_node.text(deep=True)) if desc_node else ""
            link = att.css_first(".attachment__link") or att.css_first("a[href]")
            url = (link.attributes.get("href") or None) if link else None
            link_text = _clean(link.text(deep=True)) if link else ""
            rest = node_text(att, skip=desc_node)
            typ = attachment_type(label)
            if typ is None:
                typ = "unknown"
                self._note(f"unknown attachment type {label[:40]!r}", where)
            a = Attachment(type=typ, url=url)
            title = (
                rest
                if rest and not _urlish(rest)
                else (link_text if not _urlish(link_text) else "")
            )
            if typ == "audio" and title:
                artist, _, song = _split_audio(title)
                a.artist, a.title = artist, song
            elif title:
                a.title = title
            if label:
                a.extra["label"] = label
            if origin:
                a.extra["from"] = origin
            out.append(a)
        return out

    def _wall(self, node: LexborNode, where: str, pointer: str) -> Item:
        owner = self.owner_id
        mains = node.css(".item__main")
        own_main = mains[0] if mains else None
        nested: LexborNode | None = None
        if len(mains) > 1:
            nested = mains[1]
        if nested is None:
            for d in node.css("div[class]"):
                if REPOST_CLASS_RE.search(d.attributes.get("class") or ""):
                    nested = d
                    break
        # unknown blocks directly in the record
        for c in node.iter(include_text=False):
            cls = _classes(c)
            if cls and not cls & KNOWN_CLASSES and not (nested is not None and c.mem_id == nested.mem_id):
                self._note(f"unknown block <{c.tag} class={' '.join(sorted(cls))!r}> in a wall record", where)
        # post links outside attachments: (anchor, owner, post)
        links: list[tuple[LexborNode, int, int]] = []
        for a in node.css("a[href]"):
            m = WALL_RE.search(a.attributes.get("href") or "")
            if not m or m.group(3) or _has_class_ancestor(a, node, {"attachment"}):
                continue
            links.append((a, int(m.group(1)), int(m.group(2))))
        if not links:
            for a in node.css(".post__link"):
                m = WALL_RE.search(_clean(a.text(deep=True)))
                if m and not m.group(3):
                    links.append((a, int(m.group(1)), int(m.group(2))))
        # the own text block: the first child block of the first .item__main
        first_div = None
        if own_main is not None:
            first_div = next(
                (c for c in own_main.iter() if c.tag == "div" and not _classes(c) & {"kludges"}), None
            )
        own = [x for x in links if not _within(x[0], nested)]
        own.sort(key=lambda x: (x[1] != owner, "post__link" not in _classes(x[0])))
        own_link = own[0] if own else None
        # a second post link is a repost source, unless it is a link written in the post's own text
        second = [
            x
            for x in own
            if own_link is not None
            and (x[1], x[2]) != (own_link[1], own_link[2])
            and not (first_div is not None and _within(x[0], first_div))
        ]
        in_nested = [x for x in links if _within(x[0], nested)]
        if own_link is None:
            native = self._fallback_id("wall", node, "wall record without a post link", where)
            url = None
            rec_owner = owner
        else:
            native = f"wall{own_link[1]}_{own_link[2]}"
            url = f"https://vk.com/{native}"
            rec_owner = own_link[1]
        # own text: the first child block of the first .item__main, without nested blocks
        text = ""
        if own_main is not None:
            text = node_text(first_div if first_div is not None else own_main, skip=nested)
        # author and date from the record's own .item__tertiary
        tert = next((t for t in node.css(".item__tertiary") if not _within(t, nested)), None)
        meta = _clean(tert.text(deep=True)) if tert is not None else ""
        date = parse_vk_date(meta, self.tz) if meta else None
        if date is None:
            date = parse_vk_date(node_text(node, skip=nested), self.tz)
        if date is None:
            self._note("wall record without a readable date", where)
        author = "self"
        if meta and not _SELF_RE.match(meta):
            who = tert.css_first("a[href]") if tert is not None else None
            if who is not None and not WALL_RE.search(who.attributes.get("href") or ""):
                author = _clean(who.text(deep=True)) or "other"
            else:
                head = re.split(r"\d{1,2}\s+\S+\s+\d{4}|\bat\b", meta, maxsplit=1)[0].strip(" ,")
                author = head or "self"
        if rec_owner is not None and owner is not None and rec_owner != owner:
            self._note(
                f"wall record of another account's wall (owner {rec_owner}), imported as someone else's",
                where,
            )
            author = "other" if author == "self" else author
        atts = self._attachments(node, where, exclude=nested)
        source: Source | None = None
        repost_text = ""
        if nested is not None:
            nlink = in_nested[0] if in_nested else (second[0] if second else None)
            name, purl = _page_anchor(nested)
            source = Source(name=name, url=wall_link(nlink) if nlink else purl)
            repost_text = node_text(nested, skip_links=True)
            atts += self._attachments(nested, where, origin="repost")
            if source.url is None:
                self._note("repost block without a link to the original post", where)
        elif second:
            s = second[0][0]
            container = s.parent
            name, purl = _page_anchor(container) if container is not None else (None, None)
            source = Source(name=name, url=wall_link(second[0]))
            if (
                container is not None
                and container.mem_id != node.mem_id
                and (tert is None or container.mem_id != tert.mem_id)
            ):
                repost_text = node_text(container, skip_links=True)
        else:
            wall_att = next((a for a in atts if a.type == "wall"), None)
            if wall_att is not None:
                source = Source(name=wall_att.title, url=wall_att.url)
        if source is not None and not (source.url or source.name):
            source = None
        full_text = self._joined("\n\n", [t for t in (text, repost_text) if t])
        return self._item(
            node,
            where,
            pointer,
            native_id=native,
            kind="repost" if source else "post",
            text=full_text,
            date=date,
            author=author,
            attachments=atts,
            reposted_from=source,
            url=url,
        )

    def _comment(self, node: LexborNode, where: str, pointer: str, own: bool) -> Item:
        link_node: LexborNode | None = None
        m: re.Match[str] | None = None
        for a in node.css("a[href]"):
            if _has_class_ancestor(a, node, {"attachment"}):
                continue
            mm = OBJECT_RE.search(a.attributes.get("href") or "")
            if mm and (m is None or (mm.group(4) and not m.group(4))):
                link_node, m = a, mm
                if mm.group(4):
                    break
        if m is not None and m.group(4):
            native = f"{m.group(1)}{m.group(2)}_{m.group(3)}?reply={m.group(4)}"
        else:
            native = self._fallback_id("comment", node, "comment without a link to its reply", where)
        url = f"https://vk.com/{native}" if m is not None and m.group(4) else None
        # text: the first block that holds neither the link nor the date line
        text = ""
        tert = node.css_first(".item__tertiary")
        main = node.css_first(".item__main")
        for c in (main or node).iter():
            if c.tag != "div" or _classes(c) & {"kludges", "attachment", "item__tertiary"}:
                continue
            if link_node is not None and _within(link_node, c):
                continue
            text = node_text(c)
            if text:
                break
        if not text and main is not None:
            text = node_text(main, skip=link_node)
        meta = _clean(tert.text(deep=True)) if tert is not None else ""
        date = parse_vk_date(meta or node_text(node), self.tz, last=True)
        author = "self"
        if not own and meta and not _SELF_RE.match(meta):
            who = tert.css_first("a[href]") if tert is not None else None
            author = _clean(who.text(deep=True)) if who is not None else "other"
        return self._item(
            node,
            where,
            pointer,
            native_id=native,
            kind="comment",
            text=text,
            date=date,
            author=author or "other",
            attachments=self._attachments(node, where),
            url=url,
        )

    def _like(self, node: LexborNode, where: str, pointer: str, name: str) -> Item | None:
        for a in node.css("a[href]"):
            m = OBJECT_RE.search(a.attributes.get("href") or "")
            if m:
                obj = f"{m.group(1)}{m.group(2)}_{m.group(3)}"
                url = f"https://vk.com/{obj}"
                title = _clean(a.text(deep=True))
                att = Attachment(
                    type=m.group(1), url=url, title=None if _urlish(title) or not title else title
                )
                date = parse_vk_date(node_text(node), self.tz, last=True)
                return self._item(
                    node,
                    where,
                    pointer,
                    native_id=f"like_{obj}",
                    kind="like",
                    text="",
                    date=date,
                    attachments=[att],
                    url=url,
                    visibility=None,
                )
        self._note(
            f"like without a link to a VK object ({name.split('/')[1] if '/' in name else name})", where
        )
        return None

    def _photo(self, node: LexborNode, where: str, pointer: str, album: str) -> Item | None:
        link = None
        m = None
        for a in node.css("a[href]"):
            m = OBJECT_RE.search(a.attributes.get("href") or "")
            if m and m.group(1) == "photo":
                link = a
                break
            m = None
        img = node.css_first("img")
        src = img.attributes.get("src") if img is not None else None
        if m is None:
            alt = img.attributes.get("alt") if img is not None else None
            mm = re.fullmatch(r"(?:photo)?(-?\d+)_(\d+)", alt or "")
            if not mm:
                self._note("photo without a link to its page", where)
                return None
            obj = f"photo{mm.group(1)}_{mm.group(2)}"
        else:
            obj = f"photo{m.group(2)}_{m.group(3)}"
        desc = ""
        date = None
        for c in node.iter():
            if (
                c.tag != "div"
                or (link is not None and _within(link, c))
                or (img is not None and _within(img, c))
            ):
                continue
            t = _clean(c.text(deep=True))
            if not t or _urlish(t):
                continue
            d = parse_vk_date(t, self.tz)
            if d and (date is None) and len(t) < 80:
                date = d
                continue
            if not desc:
                desc = node_text(c)
        att = Attachment(type="photo", url=src or None)
        if album:
            att.extra["album"] = album
        return self._item(
            node,
            where,
            pointer,
            native_id=obj,
            kind="photo",
            text=desc,
            date=date,
            attachments=[att],
            url=f"https://vk.com/{obj}",
        )

    def _video(self, node: LexborNode, where: str, pointer: str, album: str) -> Item | None:
        for a in node.css("a[href]"):
            m = OBJECT_RE.search(a.attributes.get("href") or "")
            if m and m.group(1) in ("video", "clip"):
                obj = f"video{m.group(2)}_{m.group(3)}"
                url = f"https://vk.com/{obj}"
                title = _clean(a.text(deep=True))
                if not title or _urlish(title):
                    title = node_text(node, skip=a)
                    title = "" if parse_vk_date(title, self.tz) and len(title) < 40 else title.split("\n")[0]
                date = parse_vk_date(node_text(node), self.tz, last=True)
                att = Attachment(type="video", url=url, title=title or None)
                if album:
                    att.extra["album"] = album
                return self._item(
                    node,
                    where,
                    pointer,
                    native_id=obj,
                    kind="video",
                    text="",
                    date=date,
                    attachments=[att],
                    url=url,
                )
        self._note("video without a link to its page", where)
        return None

    def _audio(self, node: LexborNode, where: str, pointer: str) -> Item | None:
        perf = node.css_first(".audio__performer, .audio_performer, .performer")
        ttl = node.css_first(".audio__title, .audio_title, .title")
        if perf is not None or ttl is not None:
            artist = _clean(perf.text(deep=True)) if perf is not None else None
            title = _clean(ttl.text(deep=True)) if ttl is not None else None
        else:
            box = node.css_first(".item__main") or node
            blocks = [_clean(c.text(deep=True)) for c in box.iter() if c.tag == "div"]
            blocks = [b for b in blocks if b]
            if len(blocks) >= 2 and not any(s in blocks[0] for s in (" — ", " - ", " – ")):
                artist, title = blocks[0], blocks[1]
            else:
                artist, _, title = _split_audio(node_text(box) if box is not node else node_text(node))
        if not artist and not title:
            self._note("audio record without performer or title", where)
            return None
        obj = None
        for a in node.css("a[href]"):
            m = OBJECT_RE.search(a.attributes.get("href") or "")
            if m and m.group(1) == "audio":
                obj = f"audio{m.group(2)}_{m.group(3)}"
        if obj is None:
            key = hashlib.sha1(f"{artist}\x00{title}".encode()).hexdigest()[:16]
            self._audio_seen[key] += 1
            n = self._audio_seen[key]
            obj = f"audio_{key}" + (f"_{n}" if n > 1 else "")
        att = Attachment(type="audio", artist=artist or None, title=title or None)
        return self._item(
            node,
            where,
            pointer,
            native_id=obj,
            kind="audio",
            text="",
            attachments=[att],
            url=f"https://vk.com/{obj}" if not obj.startswith("audio_") else None,
        )

    def _profile(self, root: LexborNode, where: str) -> Item:
        lines: list[str] = []
        atts: list[Attachment] = []
        for row in root.css("div.item"):
            lab = row.css_first(".item__tertiary")
            if lab is None:
                continue
            label = _clean(lab.text(deep=True)).rstrip(":")
            value = node_text(row, skip=lab)
            if not label or not value:
                continue
            key = label.lower()
            field = PROFILE_LABELS.get(key)
            if field is None:
                field = re.sub(r"\W+", "_", key).strip("_") or "field"
            lines.append(f"{label}: {value}")
            atts.append(Attachment(type="profile_field", title=value, extra={"field": field, "label": label}))
        avatar = root.css_first("img.fans_fan_img")
        if avatar is not None and avatar.attributes.get("src"):
            atts.append(Attachment(type="photo", url=avatar.attributes.get("src"), extra={"field": "avatar"}))
        owner = self.owner_id
        return Item(
            platform="vk",
            native_id=f"profile{owner}",
            kind="profile",
            text="\n".join(lines),
            attachments=atts,
            url=page_url(owner) if owner else None,
            raw=_raw(root),
            source_file=where,
            pointer="profile",
        )

    def close(self) -> None:
        if self._arc is not None:
            self._arc.close()
            self._arc = None


_REC_START_RE = re.compile(r"""<div\s+class=["']item["']\s*>""")
_WRAP_RE = re.compile(r"""<div\s+class=["']wrap_page_content["']\s*>""")
_CRUMB_RE = re.compile(r"""<div\s+class=["']ui_crumb["']\s*>(.*?)</div>""", re.DOTALL)
_TAIL_MARKS = ('<div class="pagination', "<div class='pagination", "</body>")
#: the same, to cut a page into records as bytes (the markup is ASCII in any encoding VK uses)
_REC_START_RE_B = re.compile(_REC_START_RE.pattern.encode())
_WRAP_RE_B = re.compile(_WRAP_RE.pattern.encode())
_TAIL_MARKS_B = tuple(m.encode() for m in _TAIL_MARKS)

_MARKS_STR = (_WRAP_RE, _REC_START_RE, _TAIL_MARKS)
_MARKS_BYTES = (_WRAP_RE_B, _REC_START_RE_B, _TAIL_MARKS_B)


@overload
def _split_records(html: str) -> tuple[str, list[str]] | None: ...
@overload
def _split_records(html: bytes) -> tuple[bytes, list[bytes]] | None: ...
def _split_records(html: Any) -> tuple[Any, list[Any]] | None:
    """The page head and the text of each top-level record, or None if the page has no record list.

    ``html`` is the page's text, or its bytes in a single-byte or UTF-8 encoding (the markup
    looked for is ASCII). The records' ``<div>`` tags are not counted here (nor the closing tags
    of the page after the last record cut off): :func:`_check_skeletons` does it on the records'
    skeletons, which are much shorter.
    """
    wrap_re, start_re, tails = _MARKS_BYTES if isinstance(html, bytes) else _MARKS_STR
    wrap = wrap_re.search(html)
    if wrap is None:
        return None
    starts = [m.start() for m in start_re.finditer(html, wrap.end())]
    if not starts:
        return html[: wrap.end()], []
    end = len(html)
    for mark in tails:
        i = html.find(mark, starts[-1])
        if i != -1:
            end = min(end, i)
    bounds = [*starts[1:], end]
    return html[: wrap.end()], [html[s:e].rstrip() for s, e in zip(starts, bounds, strict=True)]


def _check_skeletons(elided: list[tuple[str, list[str]]], raws: list[Any]) -> bool:
    """Records cut by :func:`_split_records`, checked on their skeletons.

    Closing tags of the page after the last record are cut off the skeleton and the raw record
    (text or bytes) alike: eliding only replaces text, never tags. False if a record's ``<div>``
    tags do not balance (a record nested in another, or broken markup: the page is parsed whole).
    """
    for i, (sk, texts) in enumerate(elided):
        opens, closes = sk.count("<div"), sk.count("</div")
        if closes > opens:
            raw = raws[i]
            end = b"</div>" if isinstance(raw, bytes) else "</div>"
            while closes > opens and sk.endswith("</div>") and raw.endswith(end):
                sk, raw = sk[:-6].rstrip(), raw[:-6].rstrip()
                closes -= 1
            elided[i], raws[i] = (sk, texts), raw
        if opens != closes:
            return False
    return True


def _crumb_title(head: str) -> str:
    crumbs = _CRUMB_RE.findall(head)
    if not crumbs:
        return ""
    return _clean(LexborHTMLParser(f"<div>{crumbs[-1]}</div>").css_first("div").text(deep=True))  # type: ignore[union-attr]


def _natural(name: str) -> list[object]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def _split_audio(text: str) -> tuple[str | None, str, str]:
    text = " ".join(text.split())
    for sep in (" — ", " – ", " - "):
        if sep in text:
            a, b = text.split(sep, 1)
            return a.strip() or None, sep, b.strip()
    return None, "", text


def wall_link(link: tuple[LexborNode, int, int]) -> str:
    return wall_url(link[1], link[2])


def _page_anchor(el: LexborNode) -> tuple[str | None, str | None]:
    """The name and URL of the first link to a VK page (not to a post) inside ``el``."""
    for a in el.css("a[href]"):
        href = a.attributes.get("href") or ""
        if OBJECT_RE.search(href):
            continue
        m = PAGE_RE.search(href)
        if m or re.match(r"^(?:https?://)?(?:m\.)?vk\.com/[A-Za-z0-9_.]+/?$", href):
            name = _clean(a.text(deep=True))
            return (None if not name or _urlish(name) else name), href
    return None, None


#: sections whose pages are parsed independently of each other (audio numbers repeated titles
#: across pages, the profile is one page): these may go to worker processes
PARALLEL_SECTIONS = frozenset({"wall", "wall_comments", "comments", "photo_comments", "likes", "photos", "video"})
#: below this much HTML, starting worker processes (about half a second) does not pay
PARALLEL_MIN_BYTES = 24 * 1024**2

#: the importer of a worker process (see :meth:`VkArchiveImporter._parse_in_workers`)
_WORKER: list[VkArchiveImporter] = []


def _worker_init(state: tuple[str, str | None, str, int | None]) -> None:
    path, media_dir, tz_name, owner_id = state
    imp = VkArchiveImporter(Path(path), Path(media_dir) if media_dir else None, tz_name)
    imp.owner_id = owner_id
    _WORKER[:] = [imp]


def _page_result(
    imp: VkArchiveImporter, page: tuple[str, str], send: bool
) -> tuple[list[Item], dict[str, int], dict[str, str]]:
    """One page parsed by ``imp`` on its own: its items, and the notes the page gave."""
    imp._agg, imp._agg_first = Counter(), {}
    section, name = page
    arc = imp._archive()
    where = arc.display(name)
    items = list(imp.parse_data(section, arc.read_bytes(name, MAX_PAGE), where, name))
    if send:
        for item in items:
            item.prepare_to_send()  # bytes travel, and the store writes them as they are
    return items, dict(imp._agg), imp._agg_first


def _worker_page(page: tuple[str, str]) -> tuple[list[Item], dict[str, int], dict[str, str]]:
    """One page parsed in a worker process (raw records and texts already encoded)."""
    return _page_result(_WORKER[0], page, send=True)


__all__ = ["VkArchiveImporter", "decode_html", "read_jd", "node_text"]

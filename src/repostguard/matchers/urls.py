"""Finding URLs in text and reducing them to one canonical key, as written in lists and posts.

The list writes links the way court clerks typed them (``http://vk/com/id…``, ``http:// vk.com/…``,
``vkontakte.ru``, ``http:vkontakte.ru/id…``, ``vkontakte.ru (id15338492)``), and people write
them the way they do (``m.vk.com``, ``vk.ru``, no scheme, ``youtu.be``, a trailing slash).
:func:`canonical` reduces both to the same key:

* scheme, ``www.``, ``m.``/``mobile.`` removed; host lower-cased; VK hosts → ``vk.com``;
* VK content ids (``wall…_…``, ``video…_…``, ``photo…_…``, …) anywhere in the path or query →
  ``vk.com/<kind><owner>_<id>``; other VK paths keep their first segment (the page);
  ``public``/``event`` communities are the same as ``club``;
* YouTube ``watch?v=``, ``youtu.be/``, ``shorts/``, ``embed/`` → ``youtube.com/watch?v=<id>``
  (the id keeps its case);
* trailing slashes and punctuation, fragments and tracking parameters dropped.

A bare platform host (``vk.com``, ``youtube.com``, …) has no key: it must never match every link
to that platform. Nothing here ever opens a URL.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode

PLATFORM_HOSTS = {
    "vk.com", "youtube.com", "ok.ru", "facebook.com", "instagram.com", "x.com", "t.me",
    "livejournal.com", "google.com", "yandex.ru", "mail.ru", "my.mail.ru", "rutube.ru", "tiktok.com",
}
_HOST_ALIASES = {
    "vk.ru": "vk.com", "vkontakte.ru": "vk.com", "vkontakte.com": "vk.com", "vk.me": "vk.com",
    "youtu.be": "youtube.com", "youtube-nocookie.com": "youtube.com",
    "odnoklassniki.ru": "ok.ru", "twitter.com": "x.com", "fb.com": "facebook.com", "telegram.me": "t.me",
}
_STRIP_PREFIXES = ("www.", "m.", "mobile.", "new.", "web.")
_VK_CONTENT = re.compile(r"(wall|video|photo|audio|album|topic|clip|note|doc|market|product)(-?\d+_\d+)")
_VK_SECTIONS = {
    "video", "videos", "audio", "audios", "music", "photos", "albums", "search", "feed", "im", "friends",
    "groups", "apps", "wall", "doc", "docs", "login", "settings", "clips", "market", "id", "club", "public",
    "away", "share", "dev", "support", "write", "gifts", "bookmarks", "fave", "notifications", "stories",
}
_YT_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
#: query parameters that never name content: share and campaign tracking, on every host
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|igshid|igsh|si|feature|ref|rdr|pp)$", re.IGNORECASE)
#: hosts whose path alone names the post: every query parameter is dropped (``x.com/…/status/1?s=20&t=…``,
#: ``t.me/c/1?single``); elsewhere a parameter may name the page (``viewtopic.php?t=<topic>``)
_PATH_ONLY_HOSTS = frozenset({"x.com", "t.me", "instagram.com", "tiktok.com"})
_TLDS = (r"(?:ru|com|org|net|info|su|ua|by|kz|az|am|ge|uz|kg|tj|md|lv|lt|ee|tv|me|cc|biz|io|be|de|uk|us|eu|pro|"
         r"online|site|top|xyz|fm|ws|tk|ml|ga|cf|gq|to|ly|co|la|im|in|ch|fr|it|pl|cz|es|nl|se|fi|no|at|dk|ca|"
         r"au|jp|cn|ir|tr|il|ps|sy|iq|af|pk|ae|sa|eg|club|live|news|today|space|website|blog|media|world|"
         r"tech|store|shop|рф|рус)")
# Malformed forms in the list, repaired before extraction.
_FIXES = [
    ("http", re.compile(r"\b(https?):/+\s+", re.IGNORECASE), r"\1://"),
    ("http", re.compile(r"\b(https?):(?!//)/?(?=[\w])", re.IGNORECASE), r"\1://"),
    ("vk", re.compile(r"\b(vk|vkontakte)/(com|ru)\b", re.IGNORECASE), r"\1.\2"),
    ("vk", re.compile(r"\b((?:vk|vkontakte)\.(?:com|ru))\s*\(\s*((?:id|club|public)\d+)\s*\)", re.IGNORECASE),
     r"\1/\2"),
    ("vk", re.compile(r"\b((?:vk|vkontakte)\.(?:com|ru)/(?:video|wall|photo|audio))\s+(-?\d+_\d+)", re.IGNORECASE),
     r"\1\2"),
]
_URL = re.compile(
    r"(?:(?:https?|ftp)://[^\s«»\"<>\[\]{}|\\^`()]+"
    r"|(?<![@\w.-])(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+" + _TLDS
    + r"(?![\w@-])(?:/[^\s«»\"<>\[\]{}|\\^`()]*)?)",
    re.IGNORECASE,
)
_TRAIL = ".,;:!?)»\"'”…*"
#: every address holds a scheme or a dot followed by a letter or digit: most texts are ruled out at once
_MAYBE_URL = re.compile(r"://|\.[^\W_]")


_BROKEN_ESCAPE = re.compile(r"(%[0-9a-f]?)\s+(?=[0-9a-f])", re.IGNORECASE)


def join_broken_escapes(text: str) -> str:
    """``text`` with percent-escapes broken by a space joined again, as the list prints long addresses
    («%D0% B4» is «%D0%B4»). The list's entries are indexed both ways: a post may carry the address as the
    list printed it (cut at the space) or whole."""
    return _BROKEN_ESCAPE.sub(r"\1", text) if "%" in text else text


def find_urls(text: str, *, repair: bool = False) -> list[str]:
    """URLs (as written) found in ``text``; ``repair`` fixes the list's known malformations first."""
    if not text:
        return []
    if repair:
        low = text.lower()
        for need, rx, rep in _FIXES:
            if need in low:  # each fix needs its literal ("http" or "vk") in the text; most texts have neither
                text = rx.sub(rep, text)
    if "." not in text or _MAYBE_URL.search(text) is None:
        return []
    out = []
    # only whitespace-separated tokens holding a dot can hold an address: test those alone
    for token in text.split():
        if "." not in token:
            continue
        for m in _URL.finditer(token):
            u = m.group(0).rstrip(_TRAIL)
            if "@" in u.split("/", 1)[0] and "://" not in u:
                continue  # an e-mail address
            out.append(u)
    return out


def canonical(url: str) -> str | None:
    """The canonical key of ``url``, or None when it names no specific page (a bare platform host)."""
    u = url.strip().strip(_TRAIL)
    u = re.sub(r"^[a-z][a-z0-9+.-]*:/*", "", u, flags=re.IGNORECASE)
    if not u:
        return None
    m = re.match(r"([^/?#\s]+)(.*)$", u)
    if not m:
        return None
    host, rest = m.group(1).lower().rstrip("."), m.group(2)
    host = host.split("@")[-1].split(":")[0]
    changed = True
    while changed:
        changed = False
        for p in _STRIP_PREFIXES:
            if host.startswith(p) and host.count(".") >= 2:
                host = host[len(p) :]
                changed = True
    host = _HOST_ALIASES.get(host, host)
    if "." not in host:
        return None
    rest = rest.split("(", 1)[0]
    rest = unquote(rest.split("#", 1)[0]) if host != "vk.com" else rest
    path, _, query = rest.partition("?")
    if host == "vk.com":
        cm = _VK_CONTENT.search(path + "?" + query)
        if cm:
            return f"vk.com/{cm.group(1).lower()}{cm.group(2)}"
        seg = path.strip("/").split("/", 1)[0].split("#", 1)[0].lower().rstrip(_TRAIL)
        if not seg:
            return None
        if seg in _VK_SECTIONS or seg.endswith(".php"):
            # a section of VK (video search, notes…): only a specific query names something
            q = query.strip().rstrip(_TRAIL).rstrip("/").lower()
            return f"vk.com/{seg}?{q}" if q else None
        seg = re.sub(r"^(public|event)(\d+)$", r"club\2", seg)
        return f"vk.com/{seg}"
    if host == "youtube.com":
        vid = None
        qs = dict(parse_qsl(query))
        if "v" in qs:
            vid = qs["v"].rstrip("/")
        else:
            parts = [p for p in path.split("/") if p]
            if url_is_short(url) and parts:
                vid = parts[0]
            elif len(parts) >= 2 and parts[0] in ("shorts", "embed", "v", "live"):
                vid = parts[1]
            elif parts:
                return "youtube.com/" + "/".join(parts[:2]).lower().rstrip(_TRAIL)
        if vid:
            vid = vid.strip(_TRAIL)
            return f"youtube.com/watch?v={vid}" if _YT_ID.match(vid) else None
        return None
    path = re.sub(r"/+", "/", path).rstrip("/").rstrip(_TRAIL).rstrip("/").lower()
    params = [] if host in _PATH_ONLY_HOSTS else [
        (k, v.rstrip("/")) for k, v in parse_qsl(query, keep_blank_values=True) if not _TRACKING.match(k)]
    q = ("?" + urlencode(sorted(params))).lower() if params else ""
    if not path and not q:
        return None if host in PLATFORM_HOSTS else host
    return f"{host}{path}{q}"


_X_STATUS = re.compile(r"^x\.com/(\w{1,50})/status(?:es)?/(\d+)(?:/.*)?$")
_AP_WEB_STATUS = re.compile(r"^([^/]+)/@(\w[\w.-]*)/(\d+)$")
_AP_URI_STATUS = re.compile(r"^([^/]+)/users/(\w[\w.-]*)/statuses/(\d+)$")


def aliases(key: str) -> list[str]:
    """Other canonical keys of the same object as ``key``: the forms an export writes for a post that
    the list names in another form. An X status by its id (``like.js`` gives ``x.com/i/web/status/<id>``,
    without the author); a Mastodon status's ActivityPub id (``host/users/<name>/statuses/<id>``, what an
    archive's boosts and likes give) and its web address (``host/@<name>/<id>``)."""
    m = _X_STATUS.match(key)
    if m:
        return [] if m.group(1) == "i" else [f"x.com/i/web/status/{m.group(2)}", f"x.com/i/status/{m.group(2)}"]
    m = _AP_WEB_STATUS.match(key)
    if m:
        return [f"{m.group(1)}/users/{m.group(2)}/statuses/{m.group(3)}"]
    m = _AP_URI_STATUS.match(key)
    if m:
        return [f"{m.group(1)}/@{m.group(2)}/{m.group(3)}"]
    return []


def url_is_short(url: str) -> bool:
    return bool(re.search(r"(^|//|\.)youtu\.be/", url, re.IGNORECASE))


def host_of(key: str) -> str:
    return key.split("/", 1)[0].split("?", 1)[0]


def is_site_only(key: str) -> bool:
    """True when ``key`` names a whole site (a host without path) rather than a page."""
    return "/" not in key and "?" not in key

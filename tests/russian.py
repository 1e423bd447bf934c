"""Finding what is not Russian in text the interface shows in Russian mode (the test of issue 22: no English
word and no internal code), with what is allowed to stay: brand and product names, file formats, and
whatever the caller marks as data (post text, URLs, list entries, paths)."""

from __future__ import annotations

import re

#: names that are the same in Russian text: platforms, products, formats, units
ALLOWED = {
    "repostguard", "vk", "vkontakte", "telegram", "x", "twitter", "facebook", "instagram", "mastodon", "ok", "max",
    "odnoklassniki", "youtube", "tiktok", "whatsapp", "google", "chrome", "chromium", "firefox", "windows", "macos",
    "linux", "json", "jsonl", "csv", "html", "pdf", "zip", "url", "utc", "msk", "ocr", "tesseract", "pdq", "api",
    "id", "sqlite", "ics", "ctrl", "c", "utf", "pyinstaller", "python", "mb", "gb", "kb", "iana", "https", "http",
    "www",
    "weasyprint", "icalendar",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z_\-]*[A-Za-z]|[A-Za-z]")
_DATA = re.compile(
    r"https?://\S+|www\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|ru|org|net|me|io)\b|\S+@\S+|[\w./\\-]*[/\\][\w./\\-]+"
    r"|\S+\.(?:json|jsonl|csv|html|zip|sqlite|txt|ics|rgbk|pdf|png|jpg)\b|--[a-z][a-z-]*")


def foreign_words(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """The Latin-script words of ``text`` that are neither allowed names nor inside ``data`` (post texts, list
    entries, paths the caller knows), nor inside an address, a path, a file name or an option."""
    for d in sorted(data, key=len, reverse=True):
        if d:
            text = text.replace(d, " ")
    text = _DATA.sub(" ", text)
    return [w for w in _WORD.findall(text) if w.lower() not in ALLOWED]

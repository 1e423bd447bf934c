"""Video and audio records as the list names them: performers, titles with their artist, video ids.
Used by the FSM matcher (:mod:`.fsm`) to match a record by every field it comes with."""

from __future__ import annotations

import re

from repostguard.matchers.normalize import norm
from repostguard.model import Item

#: between two performers named one after the other: «А» и «Б», «А», «Б»
AND_GAP = re.compile(r"\s*(?:,|и)\s*")
#: the words that start an entry describing a video (in the entry's compact form)
VIDEO_WORDS = ("видео", "ролик", "фильм", "клип")
#: letters a video title needs to name the material on its own (shorter ones are a mention to check)
VIDEO_TITLE_LETTERS = 10
#: a VK video's id as an export names it: ``video-1_2``, ``video1_2`` or ``1_2``
VK_VIDEO_ID = re.compile(r"^(?:video)?(-?\d+_\d+)$")


def named_in(performer: str, words: set[str]) -> bool:
    """Whether every word of ``performer`` is in ``words`` in some grammatical form (its stem starts a word:
    «Замай» → «Замая», «Слава КПСС» → «Славы КПСС»)."""
    parts = [w for w in norm(performer).split() if len(w) >= 3]
    return bool(parts) and all(any(x.startswith(w[: max(3, len(w) - 2)]) for x in words) for w in parts)


def video_id_urls(item: Item) -> list[tuple[str, str]]:
    """The address of each video attachment that is named by its id only (``attachments[i].id``)."""
    out = []
    for i, a in enumerate(item.attachments):
        if a.type != "video" or a.url:
            continue
        m = VK_VIDEO_ID.match(str(a.extra.get("id") or a.extra.get("video_id") or "").strip())
        if m:
            out.append((f"attachments[{i}].id", f"https://vk.com/video{m.group(1)}"))
    return out


#: what separates the performers of one record: «А, Б», «А & Б», «А feat. Б», «А и Б», «А x Б», «А / Б»
PERFORMERS = re.compile(r"\s*(?:,|&|/|;|\bfeat\.?|\bft\.?|\s[xх×]\s|\sи\s)\s*", re.IGNORECASE)
#: «Артист — Название» in one title (any dash between spaces)
ARTIST_DASH = re.compile(r"^(.+?)\s+[-–—]\s+(.+)$")


def split_audio_title(artist: str, title: str) -> tuple[str, str]:
    """The performer and title of an audio record: a title «Артист — Название» with no performer given is
    split at its first spaced dash."""
    if artist.strip():
        return artist.strip(), title.strip()
    m = ARTIST_DASH.match(title.strip())
    return (m.group(1).strip(), m.group(2).strip()) if m else ("", title.strip())


#: the automaton runs over bytes in a one-byte encoding of Cyrillic and Latin letters (half the length of
#: UTF-8 for Russian text); a letter it cannot encode becomes "?" on both sides, so it can only add
#: candidates, which verification (on the text itself) then rejects

"""Which network a screenshot is from, told by its interface's words: a table (data), versioned.

Each platform has cue words as they appear on its screens (Russian and English interfaces), each
with a weight: 3 for words only that network shows (its name, «Класс!», «Нравится: N»), 1 for
words several show. A cue is a regular expression matched on the lower-cased text read from the
screenshot. A screenshot is from the platform with the highest total, when that total is at least
:data:`MIN_SCORE` and ahead of the next one; else it is ``unknown``. Change :data:`CUES_VERSION`
with the table: items keep the version that named their platform.
"""

from __future__ import annotations

import re

CUES_VERSION = "1"
MIN_SCORE = 3

CUES: dict[str, list[tuple[str, int]]] = {
    "vk": [
        (r"вконтакте", 3), (r"vk\.com", 3), (r"\bvk\b", 2),
        (r"(?<!:)\bнравится\b(?!:)", 1), (r"\bподелиться\b", 1), (r"\bзаписи\b", 1), (r"\bкомментировать\b", 1),
        (r"\bмессенджер\b", 1), (r"\bсервисы\b", 1), (r"\bклипы\b", 1), (r"\bпросмотр(ов|а)?\b", 1),
    ],
    "odnoklassniki": [
        (r"одноклассники", 3), (r"ok\.ru", 3), (r"\bкласс!", 3), (r"\bклассы\b", 2),
        (r"\bзаметки\b", 1), (r"\bлента\b", 1), (r"\bмоменты\b", 1), (r"\bподелиться\b", 1),
        (r"\bкомментировать\b", 1), (r"\bдрузья\b", 1),
    ],
    "telegram": [
        (r"telegram", 3), (r"телеграм", 3), (r"t\.me/", 3), (r"переслано (из|от)", 2), (r"forwarded from", 2),
        (r"\bподписчик(а|ов)?\b", 1), (r"\bsubscribers\b", 1), (r"\bканал\b", 1), (r"\bобсудить\b", 1),
        (r"был[аи]? (в сети|недавно)", 1), (r"\bв сети\b", 1),
    ],
    "instagram": [
        (r"instagram", 3), (r"нравится: ?\d", 3), (r"посмотреть (все )?комментарии", 3),
        (r"view all \d* ?comments", 3), (r"отмет(ки|ок) «?нравится»?", 2), (r"\bliked by\b", 2),
        (r"\bпубликаци[ия]\b", 1), (r"\bподписчики\b", 1), (r"\bподписки\b", 1), (r"\breels\b", 1),
    ],
    "max": [
        (r"max\.ru", 3), (r"^max$", 3), (r"мессенджер max", 3), (r"\bчаты\b", 1), (r"\bзвонки\b", 1),
    ],
}
PLATFORMS = tuple(CUES)

_COMPILED = {p: [(re.compile(rx, re.I | re.M), w) for rx, w in cues] for p, cues in CUES.items()}


def scores(text: str) -> dict[str, int]:
    """Each platform's total of cue weights found in ``text`` (each cue counted once)."""
    low = text.lower()
    return {p: sum(w for rx, w in cues if rx.search(low)) for p, cues in _COMPILED.items()}


def recognise(text: str) -> tuple[str, dict[str, int]]:
    """The platform ``text`` (the words of one screenshot) is from, or ``unknown``; and the scores."""
    sc = scores(text)
    ranked = sorted(sc.items(), key=lambda kv: -kv[1])
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if top >= MIN_SCORE and top > second:
        return best, sc
    return "unknown", sc

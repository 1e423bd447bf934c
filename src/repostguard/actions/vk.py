"""VK through the official API: wall.delete, wall.deleteComment, likes.delete and friends.

The token is held in memory only; it travels in the POST body (never in a URL, so it is never
in a log line) and is never written anywhere. The base URL defaults to the official one and is
overridable with ``REPOSTGUARD_VK_API_URL`` (tests point it at a local fake server).

Error handling (codes from the API's published error list):

* 6 "too many requests per second": wait (growing) and retry, up to ``max_retries`` times;
* 9 "flood control", 14 "captcha needed", 5 "authorization failed" (expired or revoked token):
  stop the run with a message saying what to do; nothing is lost, the next run resumes;
* 7, 15, 100, 210, 211, 212 (denied / not found): probe whether the object still exists; if it
  is gone the item is recorded as already deleted, otherwise as denied, and the run goes on.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from repostguard.actions._base import DENIED, DONE, GONE, Call, Credentials, Platform, Result, StopRun, TokenClient
from repostguard.i18n import t
from repostguard.model import Item

if TYPE_CHECKING:
    from repostguard.store import Store

NAME = "vk"
#: VK moved its API to api.vk.ru in 2025 (docs/clean.md, sources)
DEFAULT_URL = "https://api.vk.ru/method"
API_VERSION = "5.199"

RETRY_CODES = {6, 10}  # too many requests per second; internal server error
#: why each stop code stops the run (:data:`repostguard.actions._base.STOP_REASONS`)
STOP_REASON = {5: "token", 9: "flood", 14: "captcha", 17: "validation"}
#: what each stop code tells the person (catalogue keys; other retried codes: too many requests)
STOP_CODES = {
    5: "act_vk_stop_token",
    9: "act_vk_stop_flood",
    14: "act_vk_stop_captcha",
    17: "act_vk_stop_validation",
}
#: codes after which the object may simply be gone already: probe before calling it denied
PROBE_CODES = {7, 15, 100, 104, 210, 211, 212}
NOT_FOUND_CODES = {100, 104}
#: deletion methods whose object can be looked up (the others are photo/video comments)
PROBES = {"wall.delete", "likes.delete", "wall.deleteComment", "photos.delete", "video.delete"}

_OBJ = re.compile(r"(wall|photo|video)(-?\d+)_(\d+)(?:\?(?:.*&)?reply=(\d+)|_r(\d+))?")
_COMMENT_LIKE_TYPE = {"wall": "comment", "photo": "photo_comment", "video": "video_comment"}
_LIKE_TYPE = {"wall": "post", "photo": "photo", "video": "video"}
_COMMENT_METHOD = {
    "wall": "wall.deleteComment",
    "photo": "photos.deleteComment",
    "video": "video.deleteComment",
}


@dataclass
class VkObject:
    """A VK object named by an item: ``kind`` wall|photo|video, owner, id, optional comment id."""

    kind: str
    owner_id: int
    object_id: int
    comment_id: int | None = None


def parse_object(item: Item) -> VkObject | None:
    """The VK object an item names, read from its native id, then its URL."""
    for s in (item.native_id, item.url or ""):
        m = _OBJ.search(s)
        if m:
            reply = m.group(4) or m.group(5)
            return VkObject(m.group(1), int(m.group(2)), int(m.group(3)), int(reply) if reply else None)
    return None


def vk_call(item: Item, action: str) -> Call | None:
    """The VK API call deleting ``item``; None if VK has no API for it (done by hand)."""
    if action != "delete":
        return None  # VK's API cannot archive/hide a post: the checklist says how to do it by hand
    obj = parse_object(item)
    if obj is None:
        return None
    if item.kind == "like":
        if obj.comment_id is None and re.search(r"\?reply(?!=)", item.native_id):
            # a like of a comment whose id the archive does not give: removing the like of the
            # post instead would be wrong, so this one is done by hand
            return None
        if obj.comment_id is not None:
            return Call(
                "likes.delete",
                {"type": _COMMENT_LIKE_TYPE[obj.kind], "owner_id": obj.owner_id, "item_id": obj.comment_id},
            )
        return Call(
            "likes.delete", {"type": _LIKE_TYPE[obj.kind], "owner_id": obj.owner_id, "item_id": obj.object_id}
        )
    if item.kind == "comment" or obj.comment_id is not None:
        if obj.comment_id is None:
            return None
        return Call(_COMMENT_METHOD[obj.kind], {"owner_id": obj.owner_id, "comment_id": obj.comment_id})
    if item.kind in ("post", "repost") and obj.kind == "wall":
        return Call("wall.delete", {"owner_id": obj.owner_id, "post_id": obj.object_id})
    if item.kind in ("photo", "avatar") and obj.kind == "photo":  # avatar: a photo of the profile album
        return Call("photos.delete", {"owner_id": obj.owner_id, "photo_id": obj.object_id})
    if item.kind == "video" and obj.kind == "video":
        return Call("video.delete", {"owner_id": obj.owner_id, "video_id": obj.object_id})
    return None


def _captcha_detail(err: dict[str, Any]) -> dict[str, str]:
    """What the person needs to solve a captcha: its id, and the address of its picture or page on VK
    (kept only when it is a VK address: the page links to it, never loads it)."""
    out = {"sid": str(err.get("captcha_sid") or "")}
    for key, name in (("captcha_img", "img"), ("redirect_uri", "page")):
        url = str(err.get(key) or "")
        if _vk_https(url):
            out[name] = url
    return out


def _vk_https(url: str) -> bool:
    """Whether ``url`` is an https address on VK's own domains."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "https" and is_vk_host(parts.hostname or "")


def is_vk_host(host: str) -> bool:
    """Whether ``host`` is one of VK's own domains (vk.com, vk.ru) or their subdomains."""
    host = host.lower()
    return any(host == d or host.endswith("." + d) for d in VK_DOMAINS)


#: VK's own domains
VK_DOMAINS = ("vk.com", "vk.ru")


class VkApiError(Exception):
    """An error answer of the VK API."""

    def __init__(self, code: int, message: str, answer: dict[str, Any]) -> None:
        super().__init__(f"VK error {code}: {message}")
        self.code = code
        self.answer = answer


class VkClient(TokenClient):
    """VK API client for deletions.

    Parameters as :class:`TokenClient`'s: ``token`` (kept in memory only); ``http`` an
    ``httpx.Client`` (its transport decides where requests go; tests pass a MockTransport or point
    ``base_url`` at a fake); ``base_url`` (default ``REPOSTGUARD_VK_API_URL`` or the official URL);
    ``sleep`` used for back-off waits.
    """

    platform = NAME
    label = "VK"
    url_env = "REPOSTGUARD_VK_API_URL"
    default_url = DEFAULT_URL
    #: how many times errors 6 and 10 are retried, and the first back-off wait in seconds (doubling)
    max_retries = 5
    backoff = 1.0

    # -- transport -----------------------------------------------------------------------------

    def call(self, method: str, params: dict[str, Any], *, sending: bool = False) -> Any:
        """Call ``method``; retry error 6; raise VkApiError for other errors, StopRun for stops.

        ``sending`` marks a state-changing call: a network failure then may have reached VK.
        """
        data = {k: str(v) for k, v in params.items()}
        if sending and self._captcha:
            data.update(self._captcha)  # the person's answer to the captcha goes with the next request
            self._captcha.clear()
        data["access_token"] = self._token
        data["v"] = API_VERSION
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = self.http.post(f"{self.base_url}/{method}", data=data)
                payload = resp.json()
            except (httpx.TransportError, ValueError) as e:
                if attempt <= 2 and isinstance(e, httpx.ConnectError):
                    self.sleep(self.backoff * attempt)
                    continue  # a connect error never reached VK: safe to retry
                raise StopRun(
                    "act_vk_network",
                    answer={"network_error": type(e).__name__},
                    maybe_sent=sending and not isinstance(e, httpx.ConnectError),
                    reason="network",
                ) from None
            if not isinstance(payload, dict):
                raise StopRun(
                    "act_vk_unexpected", answer={"answer": str(payload)[:200]}, maybe_sent=sending,
                    reason="network",
                )
            if "error" in payload:
                err = payload["error"] if isinstance(payload["error"], dict) else {}
                code = int(err.get("error_code") or 0)
                msg = str(err.get("error_msg") or "")
                answer = {"error_code": code, "error_msg": msg}
                if code in RETRY_CODES and attempt <= self.max_retries:
                    self.sleep(self.backoff * (2 ** (attempt - 1)))
                    continue
                if code in STOP_CODES or code in RETRY_CODES:
                    raise StopRun(
                        STOP_CODES.get(code, "act_vk_stop_rate"), answer=answer, reason=STOP_REASON.get(code, "rate"),
                        detail=_captcha_detail(err) if code == 14 else None, code=code,
                    )
                raise VkApiError(code, msg, answer)
            return payload.get("response")

    # -- Actioner --------------------------------------------------------------------------------

    def __init__(self, token: str, **kw: Any) -> None:
        super().__init__(token, **kw)
        self._captcha: dict[str, str] = {}  # the person's answer to a captcha, sent with the next request

    def answer_captcha(self, sid: str, key: str) -> None:
        """Send the person's answer ``key`` to captcha ``sid`` with the next deletion request."""
        self._captcha = {"captcha_sid": sid, "captcha_key": key.strip()}

    def whoami(self) -> tuple[str, str]:
        """The account the token belongs to: its id and its name as VK shows it (``users.get``)."""
        resp = self.call("users.get", {})
        if not isinstance(resp, list) or not resp or not isinstance(resp[0], dict) or "id" not in resp[0]:
            raise StopRun("act_vk_whoami", answer={"answer": str(resp)[:200]})
        me = resp[0]
        name = " ".join(str(me.get(k) or "") for k in ("first_name", "last_name")).strip()
        return str(me["id"]), name

    def account_id(self) -> str:
        return self.whoami()[0]

    def prepare(self, item: Item, action: str) -> Call | None:
        return vk_call(item, action)

    def execute(self, call: Call) -> Result:
        try:
            resp = self.call(call.method, call.params, sending=True)
        except VkApiError as e:
            if e.code in PROBE_CODES:
                if call.method not in PROBES:
                    # no probe method: VK's own "not found" is the best evidence there is
                    return Result(GONE if e.code in NOT_FOUND_CODES else DENIED, e.answer)
                if not self.exists(call):
                    return Result(GONE, e.answer)
            return Result(DENIED, e.answer)
        return Result(DONE, {"response": resp})

    def exists(self, call: Call) -> bool:
        p = call.params
        try:
            if call.method == "wall.delete":
                resp = self.call("wall.getById", {"posts": f"{p['owner_id']}_{p['post_id']}"})
                items = resp.get("items", []) if isinstance(resp, dict) else resp
                return bool(items) and not any(isinstance(i, dict) and i.get("is_deleted") for i in items)
            if call.method == "likes.delete":
                resp = self.call(
                    "likes.isLiked", {"type": p["type"], "owner_id": p["owner_id"], "item_id": p["item_id"]}
                )
                return bool(resp.get("liked")) if isinstance(resp, dict) else bool(resp)
            if call.method == "wall.deleteComment":
                resp = self.call(
                    "wall.getComment", {"owner_id": p["owner_id"], "comment_id": p["comment_id"]}
                )
                items = resp.get("items", []) if isinstance(resp, dict) else []
                return bool(items) and not any(isinstance(i, dict) and i.get("deleted") for i in items)
            if call.method == "photos.delete":
                resp = self.call("photos.getById", {"photos": f"{p['owner_id']}_{p['photo_id']}"})
                items = resp.get("items", []) if isinstance(resp, dict) else resp
                return bool(items)
            if call.method == "video.delete":
                resp = self.call("video.get", {"videos": f"{p['owner_id']}_{p['video_id']}"})
                items = resp.get("items", []) if isinstance(resp, dict) else resp
                return bool(items)
        except VkApiError as e:
            if e.code in NOT_FOUND_CODES:
                return False  # VK says it does not exist
            if e.code in PROBE_CODES:
                return True  # cannot see it: report it as still online (never claim "gone" unsure)
            raise StopRun("act_vk_cannot_check", answer=e.answer, code=e.code) from None
        # photo and video comments have no probe method: report them as still there
        return True


# -- the declaration ---------------------------------------------------------------------------------


def archive_owner(store: Store) -> str | None:
    """The VK account an archive belongs to: its own profile page, else the owner of most own wall posts."""
    for (nid,) in store.conn.execute("SELECT native_id FROM items WHERE platform=? AND kind='profile'", (NAME,)):
        if nid.startswith("profile") and nid[7:].isdigit():
            return str(nid[7:])  # the archive's own profile page names its owner
    counts: Counter[str] = Counter()
    for row in store.conn.execute(
        "SELECT * FROM items WHERE platform=? AND kind IN ('post','repost') AND author='self'", (NAME,)
    ):
        obj = parse_object(store.row_to_item(row))
        if obj and obj.kind == "wall" and obj.owner_id > 0 and obj.comment_id is None:
            counts[str(obj.owner_id)] += 1
    return counts.most_common(1)[0][0] if counts else None


def connect(creds: Credentials) -> VkClient:
    """The VK client on the person's user token (``REPOSTGUARD_VK_TOKEN`` or a hidden prompt)."""
    return VkClient(creds.secret("REPOSTGUARD_VK_TOKEN", t("act_vk_token_prompt")))


#: what goes to the checklist on this platform, and why (for readers: ``route`` decides)
VK_BY_HAND = (
    ("hide", "VK's API cannot archive a post"),
    ("photo and video comments without a comment id", "the archive does not give the id the API needs"),
    ("a like of a comment without the comment's id", "removing the post's like instead would be wrong"),
    ("audio, messages, bookmarks, subscriptions, the profile", "no deletion method in the API"),
)
PLATFORM = Platform(name=NAME, label=VkClient.label, route=vk_call, manual=VK_BY_HAND, owner=archive_owner,
                    connect=connect, hosts=VK_DOMAINS)


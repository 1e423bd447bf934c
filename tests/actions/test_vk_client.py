"""The VK client alone, on httpx.MockTransport: calls per kind, each error code's handling."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qs

import httpx
import pytest

from repostguard.actions._base import DENIED, DONE, GONE, StopRun
from repostguard.actions.vk import VkClient, vk_call
from repostguard.model import Item


def _item(native: str, kind: str, url: str | None = None) -> Item:
    return Item(platform="vk", native_id=native, kind=kind, url=url)


@pytest.mark.parametrize(
    "native,kind,method,params",
    [
        ("wall100001_10", "post", "wall.delete", {"owner_id": 100001, "post_id": 10}),
        ("wall100001_11", "repost", "wall.delete", {"owner_id": 100001, "post_id": 11}),
        (
            "wall-200002_77?reply=501",
            "comment",
            "wall.deleteComment",
            {"owner_id": -200002, "comment_id": 501},
        ),
        ("wall100001_30?reply=7", "comment", "wall.deleteComment", {"owner_id": 100001, "comment_id": 7}),
        ("like_wall-200002_77", "like", "likes.delete", {"type": "post", "owner_id": -200002, "item_id": 77}),
        ("like_photo-200002_5", "like", "likes.delete", {"type": "photo", "owner_id": -200002, "item_id": 5}),
        ("photo100001_457239017", "photo", "photos.delete", {"owner_id": 100001, "photo_id": 457239017}),
        # a photo of the profile pictures album (-6) is a profile picture, deleted like any photo
        ("photo100001_457239020", "avatar", "photos.delete", {"owner_id": 100001, "photo_id": 457239020}),
        ("like_wall-1_2?reply=3", "like", "likes.delete", {"type": "comment", "owner_id": -1, "item_id": 3}),
        (
            "like_photo-1_2?reply=3",
            "like",
            "likes.delete",
            {"type": "photo_comment", "owner_id": -1, "item_id": 3},
        ),
        ("video100001_456239001", "video", "video.delete", {"owner_id": 100001, "video_id": 456239001}),
    ],
)
def test_calls_per_kind(native: str, kind: str, method: str, params: dict[str, int]) -> None:
    call = vk_call(_item(native, kind), "delete")
    assert call is not None and call.method == method and call.params == params


@pytest.mark.parametrize(
    "native,kind,action",
    [
        ("audio_123", "audio", "delete"),
        ("profile100001", "profile", "delete"),
        ("avatar/profile", "avatar", "delete"),
        ("wall1_2", "post", "hide"),
        ("nonsense", "post", "delete"),
    ],
)
def test_no_api_call_means_by_hand(native: str, kind: str, action: str) -> None:
    assert vk_call(_item(native, kind), action) is None


def _client(handler: Callable[[str, dict[str, str]], dict[str, object]], sleeps: list[float]) -> VkClient:
    def h(req: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(req.content.decode()).items()}
        assert "access_token" not in str(req.url)
        return httpx.Response(200, json=handler(req.url.path.rsplit("/", 1)[-1], form))

    return VkClient(
        "tok",
        http=httpx.Client(transport=httpx.MockTransport(h)),
        base_url="http://vk.test/method",
        sleep=sleeps.append,
    )


def _err(code: int) -> dict[str, object]:
    return {"error": {"error_code": code, "error_msg": f"error {code}"}}


def test_error_6_waits_and_retries() -> None:
    seen: list[str] = []

    def handler(method: str, form: dict[str, str]) -> dict[str, object]:
        seen.append(method)
        assert form["access_token"] == "tok" and form["v"]
        return _err(6) if len(seen) < 3 else {"response": 1}

    sleeps: list[float] = []
    call = vk_call(_item("wall1_2", "post"), "delete")
    assert call is not None
    res = _client(handler, sleeps).execute(call)
    assert res.status == DONE and seen == ["wall.delete"] * 3 and len(sleeps) == 2 and sleeps[1] > sleeps[0]


def test_error_6_forever_stops() -> None:
    call = vk_call(_item("wall1_2", "post"), "delete")
    assert call is not None
    with pytest.raises(StopRun, match="ошибка VK 6"):
        _client(lambda m, f: _err(6), []).execute(call)


@pytest.mark.parametrize("code,word", [(5, "токен"), (9, "флуд"), (14, "капч"), (17, "подтвердить вход")])
def test_stop_codes(code: int, word: str) -> None:
    call = vk_call(_item("wall1_2", "post"), "delete")
    assert call is not None
    with pytest.raises(StopRun, match=word) as ei:
        _client(lambda m, f: _err(code), []).execute(call)
    assert ei.value.answer["error_code"] == code and not ei.value.maybe_sent


@pytest.mark.parametrize("code", [15, 7, 210])
def test_access_denied_probes_then_denied_or_gone(code: int) -> None:
    call = vk_call(_item("wall1_2", "post"), "delete")
    assert call is not None

    def still_there(method: str, form: dict[str, str]) -> dict[str, object]:
        return _err(code) if method == "wall.delete" else {"response": {"items": [{"id": 2}]}}

    def gone(method: str, form: dict[str, str]) -> dict[str, object]:
        return _err(code) if method == "wall.delete" else {"response": {"items": []}}

    assert _client(still_there, []).execute(call).status == DENIED
    assert _client(gone, []).execute(call).status == GONE


def test_network_loss_after_sending_is_maybe_sent() -> None:
    def h(req: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset")

    c = VkClient("tok", http=httpx.Client(transport=httpx.MockTransport(h)), base_url="http://vk.test/method")
    call = vk_call(_item("wall1_2", "post"), "delete")
    assert call is not None
    with pytest.raises(StopRun) as ei:
        c.execute(call)
    assert ei.value.maybe_sent


def test_connect_error_is_retried_then_not_sent() -> None:
    tries: list[int] = []

    def h(req: httpx.Request) -> httpx.Response:
        tries.append(1)
        raise httpx.ConnectError("no route")

    c = VkClient(
        "tok",
        http=httpx.Client(transport=httpx.MockTransport(h)),
        base_url="http://vk.test/method",
        sleep=lambda s: None,
    )
    call = vk_call(_item("wall1_2", "post"), "delete")
    assert call is not None
    with pytest.raises(StopRun) as ei:
        c.execute(call)
    assert not ei.value.maybe_sent and len(tries) == 3


def test_token_never_in_repr_or_answers() -> None:
    c = _client(lambda m, f: {"response": [{"id": 5}]}, [])
    assert "tok" not in repr(c) and c.account_id() == "5"
    answer = json.dumps(c.execute(vk_call(_item("wall1_2", "post"), "delete")).answer)  # type: ignore[arg-type]
    assert "tok" not in answer


def test_unprobeable_comment_not_found_is_gone_denied_is_denied() -> None:
    call = vk_call(_item("photo100001_5?reply=9", "comment"), "delete")
    assert call is not None and call.method == "photos.deleteComment"
    seen: list[str] = []

    def not_found(method: str, form: dict[str, str]) -> dict[str, object]:
        seen.append(method)
        return _err(100)

    assert _client(not_found, []).execute(call).status == GONE
    assert _client(lambda m, f: _err(15), []).execute(call).status == DENIED
    assert seen == ["photos.deleteComment"]  # no probe call for it

"""What the start screen's parts (the check box, the folder upload, the zone setting) need of the
start screen itself, so they do not import it (it imports them to register their routes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import Response

from repostguard.app.jobs import Job, Jobs
from repostguard.app.web import ReviewApp


class Screen(Protocol):
    """The start screen as its parts see it: the workspace, the jobs, and how to draw the page."""

    review: ReviewApp
    jobs: Jobs
    fsm: Path | None
    max_upload: int
    db: Path
    base: str

    def page(self, request: Request, *, error: str = "", status: int = 200, **extra: Any) -> Response:
        """The start screen, with an error line or extra context."""
        ...

    def has_list(self) -> bool:
        """Whether a list to scan with is available."""
        ...

    def refuse_busy_or_listless(self) -> None:
        """:class:`~repostguard.app.intake.Refused` when a job runs or no list is available."""
        ...

    def scan(self, path: Path, label: str) -> Job:
        """Start the import and scan of ``path`` as the background job."""
        ...

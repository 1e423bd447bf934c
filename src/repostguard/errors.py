"""The error tree of repostguard, and the exit codes the CLI maps it to.

::

    RepostguardError            base; anything else escaping is a bug ("please report")
    ├── UserError               bad input or usage: exit 2, one line naming the file and place
    │   ├── InputError          an input file that cannot be read as what it claims to be
    │   └── ListError           a list file that does not parse as the official list
    └── ExternalError           the outside world failed (network, platform, missing engine): exit 3

Their messages are catalogue keys of the domain ``errors`` (``err_…``) with fields, said in the language of
the moment they are shown. So are the warnings and notes that do not stop the work (:class:`Notice`: an
import's skipped records, a missing media file…).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from repostguard.i18n import has, t


class Notice:
    """A message that does not stop the work (an import's warning or note, the reason a record was skipped):
    a catalogue key and its fields, said in the language of the moment it is shown (``str()``, an f-string).
    A field may be a Notice itself (a reason inside a warning); text that is not a key is shown as it is."""

    __slots__ = ("key", "fields")

    def __init__(self, key: str, **fields: Any) -> None:
        self.key = key
        self.fields = fields

    def __str__(self) -> str:
        return t(self.key, **self.fields) if has(self.key) else self.key

    def __repr__(self) -> str:
        return f"Notice({self.key!r}, {self.fields!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Notice) and (self.key, self.fields) == (other.key, other.fields)

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted((k, repr(v)) for k, v in self.fields.items()))))


class Listing:
    """Several values (or :class:`Notice` s) named in one message, separated by ``sep``, each said in the
    language of the moment the message is shown."""

    __slots__ = ("items", "sep")

    def __init__(self, items: Iterable[object], sep: str = ", ") -> None:
        self.items = tuple(items)
        self.sep = sep

    def __str__(self) -> str:
        return self.sep.join(str(i) for i in self.items)

    def __repr__(self) -> str:
        return f"Listing({list(self.items)!r})"


def os_reason(e: OSError) -> Notice:
    """Why a file could not be read, in words (not the system's English text)."""
    if isinstance(e, FileNotFoundError):
        return Notice("err_os_not_found")
    if isinstance(e, PermissionError):
        return Notice("err_os_denied")
    if isinstance(e, IsADirectoryError):
        return Notice("err_os_is_folder")
    return Notice("err_os_other", errno=e.errno if e.errno is not None else "?")


class RepostguardError(Exception):
    """Base of every expected error; ``exit_code`` is what the CLI exits with.

    The message is a catalogue key with its ``fields`` (said in the language of the moment it is shown:
    :func:`repostguard.i18n.t`), or, for messages not moved to the catalogues yet, plain text.
    """

    exit_code = 1

    def __init__(self, message: str = "", **fields: Any) -> None:
        super().__init__(message)
        self.key = message
        self.fields = fields

    def __str__(self) -> str:
        return t(self.key, **self.fields) if has(self.key) else (str(self.args[0]) if self.args else "")


class UserError(RepostguardError):
    """Bad input or usage; the message is one line and names the file and the place."""

    exit_code = 2


class InputError(UserError):
    """An input file that cannot be read as what it claims to be."""

    def __init__(self, path: object, message: str, line: int | None = None, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = t("err_where_line", path=self.path, line=self.line) if self.line is not None else f"{self.path}"
        return f"{where}: {super().__str__()}"


class ListError(InputError):
    """A list file (FSM CSV or an organisation list) that does not parse as the official list."""


class ExternalError(RepostguardError):
    """The network, a platform or an external engine failed."""

    exit_code = 3


__all__ = ["ExternalError", "InputError", "ListError", "Listing", "Notice", "RepostguardError", "UserError",
           "os_reason"]

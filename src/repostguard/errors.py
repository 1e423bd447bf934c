"""The error tree of repostguard, and the exit codes the CLI maps it to.

::

    RepostguardError            base; anything else escaping is a bug ("please report")
    ├── UserError               bad input or usage: exit 2, one line naming the file and place
    │   ├── InputError          an input file that cannot be read as what it claims to be
    │   └── ListError           a list file that does not parse as the official list
    └── ExternalError           the outside world failed (network, platform, missing engine): exit 3
"""

from __future__ import annotations


class RepostguardError(Exception):
    """Base of every expected error; ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class UserError(RepostguardError):
    """Bad input or usage; the message is one line and names the file and the place."""

    exit_code = 2


class InputError(UserError):
    """An input file that cannot be read as what it claims to be."""

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        where = f"{path}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.message = message


class ListError(InputError):
    """A list file (FSM CSV or an organisation list) that does not parse as the official list."""


class ExternalError(RepostguardError):
    """The network, a platform or an external engine failed."""

    exit_code = 3

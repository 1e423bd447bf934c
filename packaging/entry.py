"""Entry script of the one-file app (``packaging/repostguard.spec``): the ``repostguard`` command.

With no arguments it opens the app, as ``repostguard`` does; with arguments it is the CLI.
``multiprocessing.freeze_support()`` comes first: the picture stage of a scan runs a pool of worker
processes (forkserver on Linux, spawn on Windows and macOS), and in a frozen app each helper process
is this same executable started again with multiprocessing's own arguments; PyInstaller's runtime
hook makes ``freeze_support`` recognise those arguments on every platform, run the helper, and exit
before the CLI ever sees them.
"""

from __future__ import annotations

import multiprocessing


def run() -> None:
    """Run the CLI (``repostguard.cli:main``) unless this process is a multiprocessing helper."""
    multiprocessing.freeze_support()
    from repostguard.cli import main

    main()


if __name__ == "__main__":
    run()

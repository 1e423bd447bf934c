"""PyInstaller runtime hook of the one-file app (runs before the entry script, in every process).

1. Tesseract's language data bundled in the app. The spec bundles ``rus.traineddata`` and
   ``eng.traineddata`` (when the build machine had them) in ``<bundle>/tessdata``;
   ``repostguard.media.ocr.tessdata_dir`` looks at ``TESSDATA_PREFIX`` first, so pointing it there
   makes OCR work on a machine without Tesseract. A ``TESSDATA_PREFIX`` the person set wins; without
   bundled data nothing changes and the system's data is searched as usual.
2. The browser the app opens gets the environment the person started the app with. On Linux the
   bootloader puts the bundle's folder in ``LD_LIBRARY_PATH`` (and OpenCV adds to it), so a browser
   started with the app's environment would load the bundle's copies of libstdc++, OpenSSL, zlib...
   instead of its own, and may not start. ``webbrowser`` starts browsers with ``subprocess``; it is
   given one that passes the cleaned environment (``LD_LIBRARY_PATH`` as it was before the app
   started, none of PyInstaller's ``_PYI_*`` variables, no ``TESSDATA_PREFIX`` of step 1).
"""

import os
import sys
from collections.abc import Callable
from typing import Any

_BUNDLE = getattr(sys, "_MEIPASS", "")


def _use_bundled_tessdata() -> bool:
    """Point ``TESSDATA_PREFIX`` at the bundled data when the person set none; whether it did."""
    bundled = os.path.join(_BUNDLE, "tessdata")
    if "TESSDATA_PREFIX" in os.environ or not os.path.isfile(os.path.join(bundled, "rus.traineddata")):
        return False
    os.environ["TESSDATA_PREFIX"] = bundled
    return True


def _outside_environment(set_tessdata: bool) -> dict[str, str]:
    """The current environment without what the bundle added to it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("_PYI_")}
    if set_tessdata:
        env.pop("TESSDATA_PREFIX", None)
    for var in ("LD_LIBRARY_PATH", "LIBPATH"):  # LIBPATH: AIX
        original = env.pop(f"{var}_ORIG", None)
        env.pop(var, None)
        if original is not None:
            env[var] = original
    return env


def _clean_browser_environment(set_tessdata: bool) -> None:
    """Make ``webbrowser`` start browsers (and ``xdg-settings``) with the outside environment."""
    import subprocess
    import types
    import webbrowser

    def outside(function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if kwargs.get("env") is None:
                kwargs["env"] = _outside_environment(set_tessdata)
            return function(*args, **kwargs)

        return call

    shim = types.SimpleNamespace(**vars(subprocess))
    for name in ("Popen", "run", "call", "check_call", "check_output"):
        setattr(shim, name, outside(getattr(subprocess, name)))
    setattr(webbrowser, "subprocess", shim)  # noqa: B010 - replaces the module's own import


_set = _use_bundled_tessdata()
if sys.platform != "win32":  # Windows opens the browser through the shell (os.startfile)
    _clean_browser_environment(_set)

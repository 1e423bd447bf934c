"""The one-file app: built once with ``scripts/build-app.sh`` (``packaging/repostguard.spec``) into a
temporary folder, then run the way a person runs it, with an empty environment (only the data dir,
the temporary folder and, for the start without arguments, a harmless "browser"): no ``PATH`` to the
virtual environment, no ``PYTHONPATH``, so whatever the executable needs must be inside it.

- the CLI: ``--help``, ``--version``, ``lists update --from``, ``demo --dir`` (writes the report);
- the app: ``app --no-browser --no-ocr --db``: the URL line, the start screen and its static files,
  the demo history uploaded as the page uploads it, the job polled until done, the finding listed
  on the review page, SIGTERM, the exit and the unpacked bundle removed;
- with no arguments it is the app (as ``repostguard``), opening the browser on its address, and the
  browser gets the environment from outside the bundle;
- OCR and the picture stage's worker processes: a scan of pictures with text, two workers.

The build takes a minute or two, so it runs once for the module. The tests are skipped only when the
pinned PyInstaller (pyproject.toml, the ``build`` extra) is not installed here, and fail then under
CI (``CI=true``), where scripts/setup.sh installs it (the pictures' test likewise needs the DejaVu
font and Tesseract's data, Debian packages that scripts/setup.sh installs). Nothing here uses the
network: the build script installs nothing when the pins are installed, and the app is reached on
127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from repostguard import __version__
from repostguard.cli.demo import write_demo_files

ROOT = Path(__file__).resolve().parents[2]
EXE_NAME = "repostguard.exe" if sys.platform == "win32" else "repostguard"
#: seconds: the build (cold, two cores), the app's start (unpacking the bundle), one job
BUILD_TIMEOUT = 1800
START_TIMEOUT = 60
JOB_TIMEOUT = 120
#: the demo history's first item and the words of the list entry it quotes (cli/demo.py)
DEMO_QUOTE = "Вымышленный призыв к несуществующему восстанию"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _pyinstaller_problem() -> str | None:
    """Why the build extra's pinned PyInstaller is not usable in this environment (None when it is)."""
    with open(ROOT / "pyproject.toml", "rb") as fh:
        pins: list[str] = tomllib.load(fh)["project"]["optional-dependencies"]["build"]
    for pin in pins:
        name, want = pin.split("==")
        try:
            have = version(name)
        except PackageNotFoundError:
            return f"{pin} is not installed (pip install -e '.[build]' needs PyPI)"
        if have != want:
            return f"{name} {have} is installed, not the pinned {want}"
    return None


def _needs(problem: str | None) -> None:
    """Skip (fail under CI) when ``problem`` says what this machine lacks."""
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{problem}, and CI=true", pytrace=False)
    pytest.skip(problem)


@dataclass
class Built:
    """The built executable and how long the build took."""

    exe: Path
    seconds: float


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``scripts/build-app.sh`` into a temporary dist and work folder (once for the module)."""
    _needs(_pyinstaller_problem())
    root = tmp_path_factory.mktemp("onefile-build")
    log = root / "build.log"
    t0 = time.monotonic()
    with open(log, "w", encoding="utf-8") as out:
        rc = subprocess.run(
            ["bash", str(ROOT / "scripts" / "build-app.sh"), "--distpath", str(root / "dist"),
             "--workpath", str(root / "work")],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT, check=False,
        ).returncode
    seconds = time.monotonic() - t0
    text = log.read_text("utf-8", "replace")
    assert rc == 0, f"the build failed ({rc}):\n{text[-4000:]}"
    exe = root / "dist" / EXE_NAME
    assert exe.is_file(), f"no {exe} after the build:\n{text[-4000:]}"
    shutil.rmtree(root / "work", ignore_errors=True)  # PyInstaller's intermediate files (150 MB)
    return Built(exe, seconds)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The executable's whole environment: its own data dir and temporary folder, nothing else."""
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    tmp.mkdir()
    return {"REPOSTGUARD_HOME": str(home), "TMPDIR": str(tmp)}


def _run(exe: Path, args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout, check=False)


def _unpacked(env: dict[str, str]) -> list[str]:
    """Folders the one-file executable unpacked itself into (``_MEI…``) and left behind."""
    return sorted(p.name for p in Path(env["TMPDIR"]).glob("_MEI*"))


class App:
    """The app started from the executable: its URL, the lines it printed, and how to stop it."""

    def __init__(self, exe: Path, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([str(exe), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, encoding="utf-8")
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        threading.Thread(target=self._read, args=(self.proc.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, self.errors.append), daemon=True).start()
        try:
            self.url = self.lines.get(timeout=START_TIMEOUT).strip()
        except queue.Empty:
            self.stop()
            raise AssertionError(f"no URL line within {START_TIMEOUT} s; stderr: {''.join(self.errors)}") from None
        assert self.url.startswith("http://127.0.0.1:") and self.url.endswith("/start"), self.url
        parts = urlsplit(self.url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base = self.url[: -len("start")]  # http://127.0.0.1:PORT/TOKEN/

    @staticmethod
    def _read(stream: Any, put: Any) -> None:
        for line in stream:
            put(line)

    def get(self, url: str) -> tuple[int, str]:
        with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 - the local app only
            return r.status, r.read().decode("utf-8")

    def post(self, path: str, body: bytes) -> dict[str, Any]:
        req = urllib.request.Request(self.base + path, data=body, method="POST", headers={
            "content-type": "application/octet-stream", "origin": self.origin})
        with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 - the local app only
            data: dict[str, Any] = json.loads(r.read())
        return data

    def wait_job(self) -> dict[str, Any]:
        end = time.monotonic() + JOB_TIMEOUT
        while time.monotonic() < end:
            job: dict[str, Any] = json.loads(self.get(self.base + "job")[1])
            if job["state"] != "running":
                return job
            time.sleep(0.1)
        raise AssertionError(f"the job did not finish within {JOB_TIMEOUT} s")

    def stop(self) -> int:
        """SIGTERM, as a service manager or ``kill`` stops it; the exit status."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("the app did not stop within 30 s of SIGTERM") from None


@pytest.fixture
def start_app(built: Built, env: dict[str, str]) -> Iterator[Any]:
    """Start the app with given arguments; every app started is stopped at the end."""
    apps: list[App] = []

    def start(args: list[str], extra_env: dict[str, str] | None = None) -> App:
        app = App(built.exe, args, {**env, **(extra_env or {})})
        apps.append(app)
        return app

    yield start
    for app in apps:
        if app.proc.poll() is None:
            app.proc.kill()
            app.proc.wait()


def test_cli_help_and_version(built: Built, env: dict[str, str]) -> None:
    r = _run(built.exe, ["--help"], env)
    assert r.returncode == 0, r.stderr
    assert " repostguard " in r.stdout.splitlines()[0]  # "Usage: repostguard …", in the interface's language
    for command in ("app", "scan", "demo", "lists", "report", "check"):
        assert f"  {command} " in r.stdout, command
    r = _run(built.exe, ["--version"], env)
    assert r.returncode == 0 and __version__ in r.stdout, r.stdout + r.stderr
    assert _unpacked(env) == []


def test_demo_writes_the_report(built: Built, env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "demo"
    r = _run(built.exe, ["demo", "--dir", str(out)], env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    report = out / "report.html"
    assert report.is_file() and str(report.resolve()) in r.stdout
    html = report.read_text("utf-8")
    assert DEMO_QUOTE in html and "<script>alert" not in html  # post text escaped
    findings = json.loads((out / "findings.json").read_text("utf-8"))["findings"]
    assert {"demo-1", "demo-3", "demo-5"} <= {f["item"] for f in findings}
    assert '<html lang="ru">' in html  # Russian by default
    # the other language comes from the bundled catalogues too
    r = _run(built.exe, ["demo", "--dir", str(tmp_path / "demo-en"), "--lang", "en"], env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert '<html lang="en">' in (tmp_path / "demo-en" / "report.html").read_text("utf-8")


def test_app_upload_job_review_and_sigterm(built: Built, env: dict[str, str], start_app: Any,
                                           tmp_path: Path) -> None:
    lst, hist = write_demo_files(tmp_path / "demo")
    r = _run(built.exe, ["lists", "update", "--from", str(lst)], env)
    assert r.returncode == 0 and "fsm-" in r.stdout, r.stdout + r.stderr  # the version installed
    app = start_app(["app", "--no-browser", "--no-ocr", "--db", str(tmp_path / "ws.sqlite")])
    status, page = app.get(app.url)
    assert status == 200 and "/static/start.js" in page
    for name in ("app.css", "start.js"):  # the package's static files are in the bundle
        status, body = app.get(f"{app.base}static/{name}")
        assert status == 200 and body.strip(), name
    # the page's upload: the file as the body, same Origin; then the job, polled
    answer = app.post(f"upload?name={hist.name}", hist.read_bytes())
    assert "error" not in answer, answer
    job = app.wait_job()
    assert job["state"] == "done", job
    assert job["result"]["items"] == 13 and job["result"]["findings"] > 0, job
    status, review = app.get(app.base)
    assert status == 200 and DEMO_QUOTE in review
    rc = app.stop()
    assert rc in (0, -signal.SIGTERM), (rc, "".join(app.errors))
    assert "Traceback" not in "".join(app.errors)
    assert _unpacked(env) == []  # it stopped cleanly: the bundle's temporary folder is gone


def test_no_arguments_opens_the_app_in_the_browser(built: Built, start_app: Any, tmp_path: Path) -> None:
    """As ``repostguard``: the app, and the browser opened on its address, with the environment from
    outside the bundle (not its libraries' folder, which could stop a real browser from starting)."""
    seen = tmp_path / "browser.txt"
    browser = tmp_path / "browser.sh"  # a "browser" that writes down what it was given
    browser.write_text(f'#!/bin/sh\n{{ echo "$1"; env; }} > "{seen}.part" && mv "{seen}.part" "{seen}"\n',
                       encoding="utf-8")
    browser.chmod(0o755)
    app = start_app([], {"BROWSER": str(browser)})
    status, page = app.get(app.url)
    assert status == 200 and "/static/start.js" in page
    end = time.monotonic() + 10
    while not seen.exists() and time.monotonic() < end:
        time.sleep(0.05)
    url, *env = seen.read_text("utf-8").splitlines()
    assert url == app.url
    names = {line.split("=", 1)[0] for line in env}
    assert "REPOSTGUARD_HOME" in names and "BROWSER" in names
    assert not names & {"LD_LIBRARY_PATH", "TESSDATA_PREFIX"}, names
    assert not any(name.startswith("_PYI_") for name in names), names
    assert app.stop() in (0, -signal.SIGTERM)


def test_pictures_are_read_by_worker_processes(built: Built, env: dict[str, str], tmp_path: Path) -> None:
    """OCR in the frozen app (tesserocr's libtesseract and the bundled language data) in the picture
    stage's pool of two worker processes (multiprocessing helpers started from the executable)."""
    from PIL import Image, ImageDraw, ImageFont

    from repostguard.media.ocr import tessdata_dir

    _needs(None if DEJAVU.is_file() else f"no {DEJAVU} (fonts-dejavu-core) to draw the pictures")
    _needs(None if tessdata_dir() else "no Tesseract language data on this machine to bundle")
    lst, _ = write_demo_files(tmp_path / "demo")
    font = ImageFont.truetype(str(DEJAVU), 40)
    rows = []
    for i in range(6):  # at least 4 pictures: a pool, not in-process
        im = Image.new("RGB", (800, 600), (90 + 10 * i, 140, 200))
        draw = ImageDraw.Draw(im)
        draw.rectangle((0, 0, 800, 120), fill="white")
        draw.text((40, 35), "ВЫМЫСЕЛ СИЛЬНЕЕ ПРАВДЫ" if i % 2 == 0 else "ХОРОШЕЙ ВСЕМ ПЯТНИЦЫ", font=font,
                  fill="black")
        path = tmp_path / f"p{i}.jpg"
        im.save(path, quality=90)
        rows.append({"platform": "generic", "id": f"pic-{i}", "kind": "post", "text": "",
                     "date": f"2022-01-0{i + 1}T10:00:00+03:00", "attachments": [{"type": "photo", "path": str(path)}]})
    items = tmp_path / "pictures.jsonl"
    items.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "findings.json"
    r = _run(built.exe, ["scan", str(items), "--fsm", str(lst), "--db", str(tmp_path / "p.sqlite"),
                         "--json", str(out), "--jobs", "2", "-q"], env)
    assert r.returncode == 0, r.stdout + r.stderr
    found = {(f["item"], str(f["entry"])) for f in json.loads(out.read_text("utf-8"))["findings"]}
    assert found == {("pic-0", "7"), ("pic-2", "7"), ("pic-4", "7")}, found
    assert _unpacked(env) == []

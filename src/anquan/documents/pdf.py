"""Converting a generated .docx to PDF with LibreOffice (Debian's ``libreoffice --headless``), on demand.

Each conversion runs with a fresh LibreOffice profile in its own temporary directory
(``-env:UserInstallation=file:///tmp/…``), so concurrent conversions never share or lock a
profile, and is stopped (its whole process group) after a timeout; the directory is removed
afterwards in every case.

Once per version, a few at a time (``cached_pdf``): a conversion costs ~5 s and ~150 MB, so the PDF is
kept under ``MEDIA_ROOT/documents/pdf/<sha256 of the .docx>.pdf`` (a new file is a new hash, so a new
version converts afresh) and written atomically (a temporary file in the same directory, then
``os.replace``). Racing requests for the same file take an exclusive ``fcntl.flock`` on a lock file
named by the hash: the first converts, the others wait and serve what it wrote. At most
``PDF_CONVERSION_SLOTS`` conversions run at once on the machine (one ``flock`` per slot file, taken
without blocking); a request that gets neither its document's lock nor a slot within
``PDF_CONVERSION_WAIT_SECONDS`` raises ``ConversionBusy`` (503 "公文正在转换，请稍后再试"), never a
500. File locks work the same for SQLite and PostgreSQL, with or without Redis, in web and worker
processes alike — all on one machine, which is how the platform is deployed (docs/decisions.md).

Fonts: LibreOffice runs with ``FONTCONFIG_FILE`` set to ``fonts/fonts.conf`` beside this module, which
maps the GB/T 9704 faces the .docx names (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体) to free
faces of the same kind from Debian packages (see that file and docs/decisions.md).
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

TIMEOUT_SECONDS = 120
FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"


BUSY = "公文正在转换，请稍后再试"
#: How often a waiting request tries the locks again (flock has no timeout of its own).
POLL_SECONDS = 0.1


class ConversionFailed(Exception):
    """LibreOffice is missing, failed, or took too long; the message is for users (Chinese)."""


class ConversionBusy(ConversionFailed):
    """Every conversion slot (or this document's own conversion) stayed busy for the whole wait: answer 503."""

    def __init__(self, message: str = BUSY):
        super().__init__(message)


def soffice_path() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(data: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    binary = soffice_path()
    if binary is None:
        raise ConversionFailed("服务器未安装LibreOffice，暂不能转换PDF，请下载Word文档")
    work = Path(tempfile.mkdtemp(prefix="anquan-pdf-"))
    try:
        source = work / "document.docx"
        source.write_bytes(data)
        profile = work / "profile"
        command = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
                   "--nologo", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work), str(source)]
        env = {**os.environ, "HOME": str(work), "SAL_USE_VCLPLUGIN": "svp", "FONTCONFIG_FILE": str(FONTS_CONF)}
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=work,
                                   start_new_session=True)
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: soffice and its children only
            process.communicate()
            raise ConversionFailed("PDF转换超时，请稍后重试或下载Word文档") from None
        target = work / "document.pdf"
        if process.returncode != 0 or not target.exists():
            raise ConversionFailed("PDF转换失败，请下载Word文档：" + err.decode("utf-8", "replace")[-200:].strip())
        return target.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "documents" / "pdf"


def cached_pdf(data: bytes, *, wait: float | None = None) -> Path:
    """The PDF of this .docx, converted at most once per content however many requests ask at once.

    Returns the path of the cached file. Raises ``ConversionBusy`` when the wait runs out and
    ``ConversionFailed`` when LibreOffice fails (a failure is not cached: the next request tries again).
    """
    digest = hashlib.sha256(data).hexdigest()
    directory = cache_dir()
    target = directory / f"{digest}.pdf"
    if target.exists():
        return target
    (directory / "locks").mkdir(parents=True, exist_ok=True)
    wait = settings.PDF_CONVERSION_WAIT_SECONDS if wait is None else wait
    deadline = time.monotonic() + wait
    # Lock files stay (empty, one per version): removing one another request may hold open would let a
    # third lock a fresh file of the same name and convert beside it.
    with _exclusive(directory / "locks" / f"{digest}.lock", deadline):
        if target.exists():  # converted by the request we waited for
            return target
        with _slot(directory / "locks", deadline):
            converted = docx_to_pdf(data)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{digest}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as fh:
                fh.write(converted)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    return target


def _try_lock(path: Path):
    """An open file holding an exclusive flock on ``path``, or None when another open file holds it."""
    fh = open(path, "a+b")
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        return None
    except BaseException:
        fh.close()
        raise
    return fh


@contextlib.contextmanager
def _exclusive(path: Path, deadline: float) -> Iterator[None]:
    while (fh := _try_lock(path)) is None:
        if time.monotonic() >= deadline:
            raise ConversionBusy()
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        fh.close()


@contextlib.contextmanager
def _slot(directory: Path, deadline: float) -> Iterator[None]:
    """One of ``PDF_CONVERSION_SLOTS`` machine-wide conversion slots (a counting semaphore of lock files)."""
    slots = max(1, int(settings.PDF_CONVERSION_SLOTS))
    while True:
        for n in range(slots):
            fh = _try_lock(directory / f"slot-{n}.lock")
            if fh is not None:
                try:
                    yield
                finally:
                    fh.close()
                return
        if time.monotonic() >= deadline:
            raise ConversionBusy()
        time.sleep(POLL_SECONDS)

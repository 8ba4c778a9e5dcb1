"""Converting a generated .docx to PDF with LibreOffice (Debian's ``libreoffice --headless``), on demand.

Each conversion runs with a fresh LibreOffice profile in its own temporary directory
(``-env:UserInstallation=file:///tmp/…``), so concurrent conversions never share or lock a
profile, and is stopped (its whole process group) after a timeout; the directory is removed
afterwards in every case.

Fonts: LibreOffice runs with ``FONTCONFIG_FILE`` set to ``fonts/fonts.conf`` beside this module, which
maps the GB/T 9704 faces the .docx names (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体) to free
faces of the same kind from Debian packages (see that file and docs/decisions.md).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120
FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"


class ConversionFailed(Exception):
    """LibreOffice is missing, failed, or took too long; the message is for users (Chinese)."""


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

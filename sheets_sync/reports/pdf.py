"""PDF conversion with LibreOffice in headless mode.

Each call gets its own throw-away LibreOffice profile (``-env:UserInstallation=file:///tmp/…``): two
conversions at once, or a LibreOffice the office user has open, cannot block each other on the profile
lock.  The process runs in its own process group and is killed as a group when ``timeout`` passes.
The PDF is written next to the .docx (same name, ``.pdf``), replacing an older one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from sheets_sync.errors import RenderError

CANDIDATES = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    """Path of the LibreOffice executable on PATH, or None."""
    return next((p for p in (shutil.which(c) for c in CANDIDATES) if p), None)


def to_pdf(docx: Path, *, timeout: float = 120) -> Path:
    """Convert ``docx`` to PDF; raise :class:`RenderError` when LibreOffice is missing, fails or
    exceeds ``timeout`` seconds."""
    docx = Path(docx)
    if not docx.is_file():
        raise RenderError(f"{docx} does not exist", fix="render the document first")
    exe = find_soffice()
    if exe is None:
        raise RenderError("LibreOffice (soffice) is not installed or not on PATH, so no PDF can be made",
                          fix="install it (Debian/Ubuntu: apt-get install libreoffice-writer; Windows: "
                              "libreoffice.org) or render without --pdf")
    with tempfile.TemporaryDirectory(prefix="sheets-sync-lo-") as work:
        profile = Path(work, "profile").as_uri()
        outdir = Path(work, "out")
        outdir.mkdir()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "pdf", "--outdir", str(outdir), str(docx.resolve())]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True, env={**os.environ, "HOME": work})
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill(proc)
            raise RenderError(f"LibreOffice did not convert {docx.name} within {timeout:g} s",
                              fix="retry; if it keeps happening raise the timeout or check the server load"
                              ) from exc
        produced = outdir / (docx.stem + ".pdf")
        if proc.returncode != 0 or not produced.is_file():
            detail = (err or out).decode("utf-8", "replace").strip().splitlines()
            raise RenderError(f"LibreOffice could not convert {docx.name} (exit code {proc.returncode}"
                              f"{': ' + detail[-1] if detail else ''})",
                              fix="open the .docx in Word or LibreOffice to see whether it is damaged")
        target = docx.with_suffix(".pdf")
        shutil.move(str(produced), target)
        return target


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.communicate()

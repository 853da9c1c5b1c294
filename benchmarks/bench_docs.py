"""Where the benchmarks write their results: one marked section each of ``docs/benchmarks.md``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def append(current: str, text: str) -> str:
    return current.rstrip("\n") + "\n\n" + text + "\n"


def publish(text: str, write: Callable[[str], None] | None) -> int:
    """Print a benchmark's section and, with ``--write-docs`` (``write`` given), put it into
    ``docs/benchmarks.md``; the script's exit code (0)."""
    print(text)
    if write is not None:
        write(text)
    return 0


def write_section(doc: Path, start: str, end: str, text: str,
                  place: Callable[[str, str], str] = append) -> None:
    """Replace the section of ``doc`` from marker ``start`` to marker ``end`` (``text`` carries both)
    with ``text``; a file without the section gets it where ``place(current, text)`` puts it (at the
    end by default).  A missing file starts as ``# Benchmarks``."""
    current = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if start in current and end in current:
        head, rest = current.split(start, 1)
        current = head + text + rest.split(end, 1)[1]
    else:
        current = place(current, text)
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(current, encoding="utf-8")

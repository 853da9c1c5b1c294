"""No function of sheets_sync is so branchy that a reader cannot hold it in their head: radon's
cyclomatic complexity stays under 30 for every function and method (issue 8, "Fewer moving parts")."""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit

import sheets_sync

LIMIT = 30
PACKAGE = Path(sheets_sync.__file__).parent


def complexities() -> list[tuple[str, int]]:
    """(``path:line name``, complexity) of every function, method and class in the package."""
    out = []
    for file in sorted(PACKAGE.rglob("*.py")):
        for block in cc_visit(file.read_text(encoding="utf-8")):
            out.append((f"{file.relative_to(PACKAGE.parent)}:{block.lineno} {block.fullname}", block.complexity))
    return out


def test_the_package_is_measured() -> None:
    names = [name for name, _ in complexities()]
    assert any(name.endswith(" check_row") for name in names)
    assert len(names) > 300


def test_no_function_has_complexity_30_or_more() -> None:
    too_complex = [f"{name} ({c})" for name, c in complexities() if c >= LIMIT]
    assert too_complex == [], "break these into steps named after what they decide: " + ", ".join(too_complex)

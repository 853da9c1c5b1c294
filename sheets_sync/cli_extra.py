"""Registration point for commands added by later features (render, approvals, run, doctor...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def register(parsers: list[Callable[[Any], None]], commands: dict[str, Any]) -> None:
    """Add extra sub-commands; each feature module appends its parser builder and handler."""
    return None

"""The progress port: how a long task of the service (provision, a full sweep, an import, a render)
tells its caller how far it is, without knowing who shows it or how.

A task takes an optional :data:`Progress` callback and calls it once after each step, with the steps
done so far, the total and what the step was (a bidang code, a document's name).  The CLI passes
:func:`sheets_sync.cli.common.progress_to` (a bar on a terminal, one line per step otherwise); the
service running unattended passes nothing.  The callback never changes what the task does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``: step ``done`` of ``total`` is finished; ``what`` names it."""


def steps(items: Sequence[T], progress: Progress | None, name: Callable[[T], str]) -> Iterator[T]:
    """``items`` one by one; after the caller's loop body is done with one (also when it ``continue``\\ s),
    ``progress`` hears ``(n, len(items), name(item))``.  Without ``progress`` it is plain iteration."""
    total = len(items)
    for n, item in enumerate(items, start=1):
        yield item
        if progress is not None:
            progress(n, total, name(item))

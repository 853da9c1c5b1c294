"""``python -m sheets_sync`` — same as the ``sheets-sync`` command."""

from .cli import main

raise SystemExit(main())

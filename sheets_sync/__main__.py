"""``python -m sheets_sync`` — same as the ``sheets-sync`` command."""

from sheets_sync.cli import main

raise SystemExit(main())

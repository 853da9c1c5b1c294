"""The imperative shell: the office's use cases, each wiring the ports it needs to the pure core.

* :mod:`.app` — the composition root: builds backend, store, notifier and clock from settings.
* :mod:`.office` — ``init``: a ready office folder from a shipped sample.
* :mod:`.provision` — one form per bidang and a tab per period.
* :mod:`.poll` — read changed forms, keep every read, compute statuses.
* :mod:`.control_io` — read the control spreadsheet through a backend; write the form links.
* :mod:`.approvals` — decisions of the review meeting (freeze, lock, return).
* :mod:`.documents` — render documents from frozen snapshots; the ``Dokumen`` tab.
* :mod:`.rekap` — the ``Rekap`` tab (the only user of pandas).
* :mod:`.status_view` — the status table and JSON for people.
* :mod:`.demo` — the simulated week on the embedded default.

Services take the :class:`~sheets_sync.service.app.App` (typed ports only) and never import a concrete
backend; only :mod:`.app` chooses implementations.
"""

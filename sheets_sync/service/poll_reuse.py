"""Which bidang statuses a poll can keep instead of computing them again.

A bidang's status is a function of: the validated control (known by the backend's fingerprint of the
control spreadsheet, see :func:`~sheets_sync.service.control_io.load_control`), the period, whether
the deadline has passed, the office's check rules, the bidang's latest stored read and its latest
approval.  :class:`Reuse` folds those into one key per bidang, kept in the store after each poll; when
a bidang was not read, did not fail and its key is the one its stored status was computed under, the
stored status is the answer — no snapshot decoded, no check run, nothing written.  An idle poll of
2,000 bidang is then three small queries, and the ``Rekap`` is not even recomputed when no key moved.

Without a control fingerprint (a backend that cannot tell) nothing is reused: every status is
computed as before.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from sheets_sync.model import Finding, Period, Schedule, UnitStatus
from sheets_sync.service.app import App
from sheets_sync.store import LatestIds, PollState


def _meta(period: Period) -> str:
    return f"status_keys:{period}"


def _memo(period: Period) -> str:
    return f"poll_statuses:{period}"


def status_of(unit: str, period: Period, st: PollState) -> UnitStatus:
    """A stored status as the poll reports it."""
    return UnitStatus(unit, period, st.state, st.filled, st.required, tuple(Finding.from_dict(f) for f in st.findings),
                      st.last_change, st.completed_at, st.done, st.stale)


@dataclass
class Reuse:
    """The keys of this poll and those the stored statuses were computed under."""

    app: App
    period: Period
    context: str | None  # None: nothing can be reused
    before: dict[str, str]
    ids: dict[str, LatestIds] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    reused: set[str] = field(default_factory=set)
    pending: dict[str, str] = field(default_factory=dict)  # unit → its lock/unlock still pending, and the provision
    before_text: str = ""
    statuses: dict[str, UnitStatus] = field(default_factory=dict)  # unit → its status in this poll (keyed ones)
    _states: dict[str, PollState] | None = None
    _known: dict[str, tuple[str, UnitStatus]] | None = None

    @classmethod
    def start(cls, app: App, period: Period, control_key: str | None, schedule: Schedule | None,
              now: datetime, ids: dict[str, LatestIds]) -> Reuse:
        """``ids``: :meth:`~sheets_sync.store.Store.latest_ids` at the start of the poll (updated in place
        by :meth:`stored` as reads are kept)."""
        if control_key is None:
            return cls(app, period, None, {}, ids)
        passed = schedule is not None and now > schedule.deadline
        rules = app.settings.rules
        context = json.dumps([control_key, str(period), passed, rules.require_bukti, rules.negatif_variant,
                              rules.cap, rules.predikat_scale, rules.include_qualitative], default=str)
        before_text = app.store.get_meta(_meta(period)) or "{}"
        before = json.loads(before_text)
        from sheets_sync.service.provision import provisioned_units

        pending: dict[str, str] = {}
        for a in app.store.pending_tab_actions(str(period)):  # kunci_gagal findings hang on these
            pending[a["unit"]] = pending.get(a["unit"], "") + f"{a['id']}:{a['attempts']}:{a['last_error']};"
        ready = provisioned_units(app, period)  # form_belum_siap hangs on this
        context += "\n" + ",".join(sorted(ready))
        # Hashed once: the context names every prepared bidang, so hashing it into each key was
        # quadratic in the number of bidang (most of an idle poll at 2,000).
        context = hashlib.sha256(context.encode()).hexdigest()
        return cls(app, period, context, before, ids, pending=pending, before_text=before_text)

    def key(self, unit: str) -> str | None:
        """This poll's key for ``unit`` (after its read, if any, was stored)."""
        if self.context is None:
            return None
        snap, approval = self.ids.get(unit, LatestIds())
        text = f"{self.context}\n{unit}\n{snap}\n{approval}\n{self.pending.get(unit, '')}"
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    def stored(self, unit: str, snapshot_id: int) -> None:
        """A read of ``unit`` in this poll is kept as the new snapshot ``snapshot_id`` (its key moves)."""
        self.ids[unit] = self.ids.get(unit, LatestIds())._replace(snapshot=snapshot_id)

    def kept(self, unit: str) -> UnitStatus | None:
        """The stored status of ``unit`` when nothing it depends on moved, else None.  The status this
        process kept or computed under the same key is returned as it is (decoding every stored status
        and its findings was most of an idle poll); a new process decodes the stored one."""
        key = self.key(unit)
        if key is None or self.before.get(unit) != key:
            return None
        if self._known is None:
            self._known = self._last()
        known = self._known.get(unit)
        if known is not None and known[0] == key:
            status = known[1]
        else:
            if self._states is None:
                self._states = self.app.store.poll_states(str(self.period))
            st = self._states.get(unit)
            if st is None:
                return None
            status = status_of(unit, self.period, st)
        self.keys[unit] = key
        self.reused.add(unit)
        self.statuses[unit] = status
        return status

    def computed(self, unit: str, status: UnitStatus) -> None:
        """``unit``'s status was computed (and stored) under this poll's key."""
        key = self.key(unit)
        if key is not None:
            self.keys[unit] = key
            self.statuses[unit] = status

    def finish(self) -> None:
        """Keep this poll's keys in the store (for the next poll, in any process) and its statuses in
        this process."""
        if self.context is None:
            return
        text = json.dumps(self.keys, sort_keys=True)
        if text != self.before_text:
            self.app.store.set_meta(_meta(self.period), text)
        self.app.memo[_memo(self.period)] = {u: (k, self.statuses[u]) for u, k in self.keys.items()}

    def _last(self) -> dict[str, tuple[str, UnitStatus]]:
        memo = self.app.memo.get(_memo(self.period))
        return memo if isinstance(memo, dict) else {}

    def rekap_key(self, extra: str) -> str | None:
        """What the Rekap of this poll depends on beyond the statuses' keys (``extra``: links, digest);
        None when a status was computed without a key."""
        if self.context is None or len(self.keys) == 0:
            return None
        return hashlib.sha256(json.dumps([self.keys, extra], sort_keys=True).encode()).hexdigest()

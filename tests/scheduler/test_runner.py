"""The service Runner: due-ness from an injected clock, guarded jobs, catch-up once, clock jumps, clean stop."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import schedule

from sheets_sync.core.clock import ManualClock
from sheets_sync.errors import StoreError, TransientError
from sheets_sync.runtime.scheduler import JobSpec, Runner
from sheets_sync.store import Store

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2025, 4, 9, 6, 0, tzinfo=WIB)  # Wednesday 06:00


class Job:
    """A fake job recording the times it ran; ``codes`` (or exceptions) are returned in turn."""

    def __init__(self, *codes: int | Exception) -> None:
        self.codes = list(codes)
        self.runs: list[datetime] = []

    def __call__(self, now: datetime) -> int:
        self.runs.append(now)
        result = self.codes.pop(0) if self.codes else 0
        if isinstance(result, Exception):
            raise result
        return result


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "state.sqlite3")
    yield s
    s.close()


def runner(store: Store, clock: ManualClock, **jobs: JobSpec) -> Runner:
    return Runner(jobs, store, clock, clock.sleep, WIB)


def test_an_interval_job_runs_every_n_minutes_of_the_injected_clock(store: Store) -> None:
    clock, poll = ManualClock(START), Job()
    r = runner(store, clock, poll=JobSpec(poll, every_minutes=15))
    for _ in range(10):  # 10 ticks, 5 minutes apart: 0, 15, 30, 45 → 4 runs
        r.tick()
        clock.advance(minutes=5)
    assert [t.strftime("%H:%M") for t in poll.runs] == ["06:00", "06:15", "06:30", "06:45"]
    assert len(store.job_runs("poll")) == 4 and all(run["ok"] == 1 for run in store.job_runs("poll"))


def test_a_daily_job_runs_once_at_its_local_time(store: Store) -> None:
    clock, remind = ManualClock(START), Job()
    r = runner(store, clock, reminders=JobSpec(remind, at=time(8, 0)))
    for _ in range(2 * 24 * 4):  # two days in 15-minute ticks
        r.tick()
        clock.advance(minutes=15)
    assert [t.isoformat() for t in remind.runs] == ["2025-04-09T08:00:00+07:00", "2025-04-10T08:00:00+07:00"]


def test_the_daily_time_is_the_offices_zone_not_the_clocks(store: Store) -> None:
    clock, remind = ManualClock(START.astimezone(ZoneInfo("UTC"))), Job()
    r = Runner({"reminders": JobSpec(remind, at=time(8, 0))}, store, clock, clock.sleep, ZoneInfo("Asia/Makassar"))
    while not remind.runs:
        r.tick()
        clock.advance(minutes=15)
    assert remind.runs[0].astimezone(ZoneInfo("Asia/Makassar")).strftime("%H:%M") == "08:00"


def test_a_job_that_raises_is_logged_recorded_and_the_loop_goes_on(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    clock, bad, good = ManualClock(START), Job(RuntimeError("sheet exploded")), Job()
    r = runner(store, clock, poll=JobSpec(bad, every_minutes=15), digest=JobSpec(good, every_minutes=15))
    assert r.tick() == {"poll": 3, "digest": 0}
    [run] = store.job_runs("poll")
    assert run["ok"] == 0 and run["error"] == "RuntimeError: sheet exploded" and run["finished_at"]
    assert "job poll failed: RuntimeError: sheet exploded" in caplog.text and "Traceback" in caplog.text
    clock.advance(minutes=15)
    assert r.tick() == {"poll": 0, "digest": 0}


def test_an_outage_is_survived_and_polling_resumes_at_its_interval(store: Store) -> None:
    clock = ManualClock(START)
    poll = Job(*[TransientError("Sheets 503")] * 4, 0, 0)
    r = runner(store, clock, poll=JobSpec(poll, every_minutes=15))
    codes = []
    for _ in range(6):
        codes.append(r.tick()["poll"])
        clock.advance(minutes=15)
    assert codes == [3, 3, 3, 3, 0, 0]
    assert [run["ok"] for run in store.job_runs("poll")] == [0, 0, 0, 0, 1, 1]


def test_a_failed_daily_job_is_retried_until_it_succeeds_then_waits_for_tomorrow(store: Store) -> None:
    clock = ManualClock(START.replace(hour=8))
    digest = Job(2, TransientError("SMTP down"), 0)
    r = runner(store, clock, digest=JobSpec(digest, at=time(8, 0), retry_minutes=30))
    for _ in range(4 * 6):  # 6 hours in 15-minute ticks
        r.tick()
        clock.advance(minutes=15)
    assert [t.strftime("%H:%M") for t in digest.runs] == ["08:00", "08:30", "09:00"]


def test_missed_runs_after_downtime_are_caught_up_once(store: Store) -> None:
    clock = ManualClock(START.replace(hour=9))
    first = runner(store, clock, digest=JobSpec(Job(), at=time(7, 30)), poll=JobSpec(Job(), every_minutes=15))
    first.tick()
    clock.advance(days=3, hours=2)  # the machine was off for three days
    digest, poll = Job(), Job()
    again = runner(store, clock, digest=JobSpec(digest, at=time(7, 30)), poll=JobSpec(poll, every_minutes=15))
    again.tick()
    again.tick()
    assert len(digest.runs) == 1 and len(poll.runs) == 1


def test_a_new_install_does_not_run_yesterdays_daily_slot(store: Store) -> None:
    clock, digest = ManualClock(START), Job()  # 06:00, slot 07:30: the latest slot was yesterday
    r = runner(store, clock, digest=JobSpec(digest, at=time(7, 30)))
    r.tick()
    assert digest.runs == []
    clock.advance(hours=1, minutes=30)
    r.tick()
    assert len(digest.runs) == 1


def test_a_clock_jump_far_forward_runs_each_job_once(store: Store) -> None:
    clock, poll, digest = ManualClock(START.replace(hour=9)), Job(), Job()
    r = runner(store, clock, poll=JobSpec(poll, every_minutes=15), digest=JobSpec(digest, at=time(7, 30)))
    r.tick()
    clock.advance(days=40)
    for _ in range(5):
        r.tick()
    assert len(poll.runs) == 2 and len(digest.runs) == 2


def test_a_clock_jump_backwards_causes_no_storm_and_no_stall(store: Store) -> None:
    clock, poll, digest = ManualClock(START.replace(hour=9)), Job(), Job()
    r = runner(store, clock, poll=JobSpec(poll, every_minutes=15), digest=JobSpec(digest, at=time(7, 30)))
    r.tick()
    clock.advance(hours=-5)  # NTP corrects a clock that ran 5 hours fast
    for _ in range(4):
        r.tick()
    assert len(poll.runs) == 2  # once right away (its last run is "in the future"), then back to normal
    clock.advance(minutes=15)
    r.tick()
    assert len(poll.runs) == 3
    assert len(digest.runs) == 1  # 04:00 today: the 07:30 slot it already ran for is not redone
    # a fresh Runner on the same store (last run read back from SQLite, still "in the future") agrees
    poll2 = Job()
    r2 = runner(store, clock, poll=JobSpec(poll2, every_minutes=15), digest=JobSpec(digest, at=time(7, 30)))
    for _ in range(3):
        r2.tick()
    assert len(poll2.runs) == 1 and len(digest.runs) == 1


def test_delivery_runs_right_after_each_poll(store: Store) -> None:
    clock, poll, deliver = ManualClock(START), Job(), Job()
    r = runner(store, clock, poll=JobSpec(poll, every_minutes=15),
               deliver=JobSpec(deliver, every_minutes=60, after=("poll",)))
    assert list(r.tick()) == ["poll", "deliver"]  # due by itself too: still runs once
    clock.advance(minutes=15)
    assert list(r.tick()) == ["poll", "deliver"]
    clock.advance(minutes=5)
    assert r.tick() == {}
    assert len(deliver.runs) == 2


def test_an_unknown_dependency_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown job"):
        runner(store, ManualClock(START), deliver=JobSpec(Job(), after=("pol",)))


def test_runs_never_overlap(store: Store, tmp_path: Path) -> None:
    clock = ManualClock(START)
    inner: list[dict[str, int]] = []
    holder: list[Runner] = []

    def reentrant(now: datetime) -> int:
        inner.append(holder[0].tick())
        return holder[0].run_once()

    r = runner(store, clock, poll=JobSpec(reentrant, every_minutes=15))
    holder.append(r)
    assert r.tick() == {"poll": 3}  # the nested run_once returned 3: "could not run"
    assert inner == [{}]


def test_a_second_process_holding_the_lock_file_blocks_run_once(store: Store, tmp_path: Path) -> None:
    lock = tmp_path / "sheets-sync.lock"
    clock, job = ManualClock(START), Job()
    a = Runner({"poll": JobSpec(job)}, store, clock, clock.sleep, WIB, lock_path=lock)
    b = Runner({"poll": JobSpec(job)}, store, clock, clock.sleep, WIB, lock_path=lock)
    codes: list[int] = []

    def nested(now: datetime) -> int:
        codes.append(b.run_once())
        return 0

    a.jobs["poll"] = JobSpec(nested)
    assert a.run_once() == 0
    assert codes == [3]
    assert b.run_once() == 0  # released afterwards


@pytest.mark.parametrize(
    ("results", "expected"),
    [((0, 0), 0), ((1, 0), 1), ((0, RuntimeError("x")), 1), ((2, 0), 1), ((3, RuntimeError("y")), 3)],
)
def test_run_once_exit_codes(store: Store, results: tuple[int | Exception, ...], expected: int) -> None:
    clock = ManualClock(START)
    jobs = {f"job{i}": JobSpec(Job(res)) for i, res in enumerate(results)}
    assert Runner(jobs, store, clock, clock.sleep, WIB).run_once() == expected


def test_run_once_runs_every_job_once_with_dependents_last(store: Store) -> None:
    clock, order = ManualClock(START), list[str]()

    def job(name: str) -> Callable[[datetime], int]:
        def run(now: datetime) -> int:
            order.append(name)
            return 0
        return run

    jobs = {name: JobSpec(job(name), after=after)
            for name, after in (("deliver", ("poll",)), ("poll", ()), ("reminders", ()))}
    assert Runner(jobs, store, clock, clock.sleep, WIB).run_once() == 0
    assert order == ["poll", "reminders", "deliver"]


def test_run_once_reports_3_when_the_store_cannot_record(store: Store) -> None:
    clock, job = ManualClock(START), Job()
    r = runner(store, clock, poll=JobSpec(job))

    def broken(*_: object) -> int:
        raise StoreError("database is locked")

    store.job_started = broken  # type: ignore[method-assign,assignment]
    assert r.run_once() == 3
    assert len(job.runs) == 1  # the job itself still ran


class EveryLoop(schedule.Scheduler):
    """A heartbeat that ticks on every loop iteration (instead of every 30 s of real time)."""

    def run_pending(self) -> None:
        self.run_all()


def test_run_forever_ticks_with_the_fake_clock_and_stops_on_request(store: Store) -> None:
    clock, poll = ManualClock(START), Job(TransientError("down"), TransientError("down"))
    r = runner(store, clock, poll=JobSpec(poll, every_minutes=1))

    def sleep(seconds: float) -> None:
        clock.sleep(30)
        if clock.now >= START + timedelta(minutes=10):
            r.request_stop()

    r.sleep = sleep
    assert r.run_forever(heartbeat=EveryLoop()) == 0
    assert len(poll.runs) == 10
    assert [run["ok"] for run in store.job_runs("poll")][:3] == [0, 0, 1]


def test_sigterm_finishes_the_current_job_then_exits_cleanly(store: Store) -> None:
    clock, after = ManualClock(START), Job()
    finished: list[bool] = []

    def long_job(now: datetime) -> int:
        os.kill(os.getpid(), signal.SIGTERM)
        finished.append(True)  # still running after the signal arrived
        return 0

    before = signal.getsignal(signal.SIGTERM)
    r = runner(store, clock, poll=JobSpec(long_job, every_minutes=15), digest=JobSpec(after, every_minutes=15))
    assert r.run_forever(heartbeat=EveryLoop()) == 0
    assert finished == [True] and after.runs == []  # the next due job waits for the next start
    assert store.job_runs("poll")[0]["ok"] == 1
    assert signal.getsignal(signal.SIGTERM) is before


def test_next_due_tells_when_the_next_job_will_run(store: Store) -> None:
    clock = ManualClock(START.replace(hour=9))
    r = runner(store, clock, poll=JobSpec(Job(), every_minutes=15), digest=JobSpec(Job(), at=time(7, 30)))
    r.tick()
    assert r.next_due() == clock.now + timedelta(minutes=15)
    assert r.due() == []


def test_a_naive_clock_is_refused(store: Store) -> None:
    r = Runner({"poll": JobSpec(Job(), every_minutes=1)}, store, lambda: datetime(2025, 4, 9), lambda s: None, WIB)
    with pytest.raises(ValueError, match="aware"):
        r.due()


def test_a_simulated_week_runs_each_daily_job_once_per_day(store: Store) -> None:
    clock = ManualClock(datetime(2025, 4, 7, 0, 0, tzinfo=WIB))  # Monday
    poll, remind, digest, deliver = Job(), Job(), Job(), Job()
    r = Runner({"poll": JobSpec(poll, every_minutes=60), "reminders": JobSpec(remind, at=time(8, 0)),
                "digest": JobSpec(digest, at=time(7, 30)),
                "deliver": JobSpec(deliver, after=("poll", "reminders", "digest"))},
               store, clock, clock.sleep, WIB)
    ticks = r.simulate(datetime(2025, 4, 13, 23, 59, tzinfo=WIB), timedelta(minutes=15))
    assert len(remind.runs) == 7 and len(digest.runs) == 7 and len(poll.runs) == 7 * 24
    assert all(t.strftime("%H:%M") == "08:00" for t in remind.runs)
    assert len(deliver.runs) == len(ticks)  # delivery after every tick that ran something


def test_simulate_refuses_a_real_sleep(store: Store) -> None:
    r = Runner({"poll": JobSpec(Job(), every_minutes=15)}, store, lambda: START, lambda s: None, WIB)
    with pytest.raises(ValueError, match="ManualClock"):
        r.simulate(START + timedelta(hours=1))

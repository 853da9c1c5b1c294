"""Running unattended: the scheduler (:mod:`.scheduler`), the jobs it runs (:mod:`.jobs`) and the
logging set-up with secret redaction (:mod:`.logs`).

The scheduler knows nothing of SAKIP: it runs named jobs at their times with an injected clock and
records each run through a small job-log port; :mod:`.jobs` binds the service's use cases to it.
"""

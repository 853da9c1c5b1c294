"""The functional core: pure SAKIP and SOP logic, no I/O.

Everything here takes values and returns values — cells as read, the validated control, the rules
the office chose — and decides: how a typed cell parses (:mod:`.parse`, :mod:`.cells`), what a form
looks like and what a read of it means (:mod:`.form`), what the control spreadsheet's tabs say
(:mod:`.control`), whether a bidang is complete and what is wrong (:mod:`.checks`), capaian and its
roll-ups (:mod:`.capaian`), who is reminded when (:mod:`.plan`, :mod:`.workdays`), the coordinator's
summary (:mod:`.summary`) and how Indonesian numbers and dates are printed (:mod:`.fmt`).

``core`` imports nothing outside itself but :mod:`sheets_sync.model` and :mod:`sheets_sync.errors`
(an import-linter contract checks it): settings arrive as values, so the rules can be tested with
plain data and reused by every backend and report.
"""

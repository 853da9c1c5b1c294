"""How statuses are shown: the terminal table and the stable JSON of ``sheets-sync status``.

JSON (stable; new keys may be added, none removed)::

    {"period": "2025-TW1", "generated_at": "2025-04-11T09:00:00+07:00",
     "deadline": "2025-04-10T16:00:00+07:00",
     "units": [{"code": "MP", "name": "...", "state": "Sebagian", "filled": 2, "required": 3,
                "percent": 66.67, "stale": false, "last_change": "...", "completed_at": null, "link": "...",
                "approval": "Belum dibahas",
                "findings": [{"cell": "TW1!H8", "code": "nilai_tidak_valid", "message": "...",
                              "fix": "...", "severity": "error", "indicator": "3.3"}]}],
     "capaian": [{"indicator": "3.1", "tingkat": "sasaran", "iku": true, "realisasi": "88,94",
                  "capaian": "107,81%", "capaian_sd": "104,63%", "predikat": "Sangat Tinggi",
                  "tahun_lalu": {"realisasi": "84,15", "selisih": 4.79, "perubahan": 5.69, "arah": "kenaikan",
                                 "makna": "membaik", "rumus": "perubahan = (R − R tahun lalu) / ..."},
                  "renstra": {"target": "90", "periode": "2021–2026", "capaian": "98,82%",
                              "rumus": "R / T × 100 (positif)"}}]}

``capaian`` is computed from the approved data where a bidang is approved, else from its latest read
(like a draft document); ``tahun_lalu`` and ``renstra`` are null when there is nothing to compare with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sheets_sync.core.fmt import angka, tanggal_jam, tanggal_ringkas
from sheets_sync.i18n import N_, _, current_language
from sheets_sync.model import Control, Period, UnitStatus
from sheets_sync.notify import problem_text
from sheets_sync.service.app import App
from sheets_sync.texts import Text, from_stored


def status_json(app: App, period: Period, control: Control, sts: Sequence[UnitStatus]) -> dict[str, Any]:
    forms = app.store.forms(period.year)
    sched = control.schedule(period)
    units = []
    for s in sts:
        unit = control.unit(s.unit)
        appr = app.store.current_approval(s.unit, str(period))
        units.append({
            "code": s.unit, "name": unit.name if unit else s.unit, "state": s.state, "filled": s.filled,
            "required": s.required, "percent": round(s.percent, 2), "stale": s.stale,
            "last_change": s.last_change.isoformat() if s.last_change else None,
            "completed_at": s.completed_at.isoformat() if s.completed_at else None,
            "link": (rec.link if (rec := forms.get(s.unit)) else ""),
            "approval": appr.status if appr else "Belum dibahas",
            "findings": [
                {"cell": f.location, "code": f.code, "message": f.message, "fix": f.fix, "severity": f.severity,
                 "indicator": f.indicator}
                for f in s.findings
            ],
        })
    return {"period": str(period), "generated_at": app.now().isoformat(),
            "deadline": sched.deadline.isoformat() if sched else None, "units": units,
            "control_findings": [f.as_dict() for f in control.findings],
            "documents": documents_of(app, period),
            "source": source_of(app, period),
            "capaian": capaian_of(app, period, control),
            "failed_messages": [{"key": m.dedupe_key, "to": m.to_addrs, "subject": m.subject,
                                 "error": from_stored(m.last_error).render()}
                                for m in app.store.messages(period=str(period)) if m.status == "failed"],
            "delivery_problem": _indonesian(problem_text(app.store, app.tz))}


def _indonesian(text: Text | None) -> str | None:
    """A message as ``status --json`` keeps it: the Indonesian text (like a finding's ``message``)."""
    return None if text is None else text.render()


def source_of(app: App, period: Period) -> dict[str, Any] | None:
    """The period's import record for ``status --json`` (None: its data comes from the forms)."""
    from sheets_sync.service.importer import period_source

    src = period_source(app, period)
    if src is None:
        return None
    return {"kind": src.kind, "file": src.file, "sha256": src.sha256, "imported_at": src.at,
            "units": list(src.units), "reason": src.reason}


def capaian_of(app: App, period: Period, control: Control) -> list[dict[str, Any]]:
    """Per indicator: the period's capaian with the comparison with last year and the Renstra target.  In
    TW IV ``tahun_lalu.capaian`` also compares the year's capaian with last year's (needs the master's
    Target Tahun Lalu; see :func:`sheets_sync.core.capaian.capaian_versus_last_year`)."""
    from dataclasses import replace
    from datetime import date

    from sheets_sync.core.capaian import F_CAPAIAN_TAHUN_LALU, F_TAHUN_LALU, number_text, realisasi_text
    from sheets_sync.reports import RenderRequest
    from sheets_sync.reports import measure as pk
    from sheets_sync.service.control_io import read_budget
    from sheets_sync.service.documents import gather, last_year_data

    data = gather(app, period, control, want_final=False).data
    last_year = last_year_data(app, period, control).data
    budget = read_budget(app.backend, app.settings.control, period)
    req = RenderRequest(office=app.settings.office, documents=app.settings.documents, rules=app.settings.rules,
                        period=period, edition="triwulan", indicators=control.indicators, units=control.units,
                        data=data, generated_on=date(period.year, 1, 1), anggaran=budget.total,
                        budget_lines=budget.lines, last_year=last_year)
    m = pk.measure(req)
    annual = {line.ind.code: line for line in pk.measure(replace(req, edition="tahunan")).lines
              } if period.quarter == 4 else {}
    out = []
    for line in m.lines:
        y, r = line.lalu, line.renstra
        year_line = annual.get(line.ind.code)
        cy = year_line.capaian_banding if year_line else None
        capaian = None if cy is None or year_line is None or year_line.capaian_lalu is None else {
            "target_tahun_lalu": line.ind.target_tahun_lalu, "capaian_tahun_lalu": year_line.capaian_lalu.display,
            "capaian": year_line.period.capaian.display, "selisih_poin": round(cy.selisih, 4),
            "perubahan": None if cy.perubahan is None else round(cy.perubahan, 2), "arah": cy.arah,
            "rumus": F_CAPAIAN_TAHUN_LALU}
        out.append({
            "indicator": line.ind.code, "tingkat": line.ind.tingkat, "iku": line.ind.iku,
            "realisasi": realisasi_text(line.period, line.ind, m.rules), "capaian": line.period.capaian.display,
            "capaian_sd": line.upto.capaian_tahunan.display, "predikat": line.period.predikat,
            "tahun_lalu": None if y is None else {
                "realisasi": number_text(y.lalu), "selisih": round(y.selisih, 4),
                "perubahan": None if y.perubahan is None else round(y.perubahan, 2), "arah": y.arah,
                "makna": y.makna, "sumber": line.lalu_sumber, "rumus": F_TAHUN_LALU, "capaian": capaian},
            "renstra": None if r is None else {
                "target": line.ind.target_renstra, "periode": line.ind.periode_renstra, "capaian": r.display,
                "rumus": r.formula},
        })
    return out


def documents_of(app: App, period: Period) -> list[dict[str, Any]]:
    """The period's documents with the status the office set in ``Dokumen``."""
    from sheets_sync.service.documents import document_statuses
    from sheets_sync.service.review import ident

    docs = app.store.documents(str(period))
    if not docs:
        return []
    kept = document_statuses(app)
    return [{"kind": d.kind, "version": d.version, "final": not d.draft, "letter_number": d.letter_number,
             "path": d.path, "link": d.link, "sha256": d.sha256,
             "status": kept[ident(d)]} for d in docs]


def source_line(app: App, period: Period) -> str:
    """Where the period's data came from when it was not the forms ("" when it was): imported from a
    file (when, which file, its SHA-256, which bidang) or declared *tidak tersedia* (when, why)."""
    from datetime import datetime

    from sheets_sync.service.importer import KIND_UNAVAILABLE, period_source

    src = period_source(app, period)
    if src is None:
        return ""
    when = tanggal_jam(datetime.fromisoformat(src.at).astimezone(app.tz), current_language())
    if src.kind == KIND_UNAVAILABLE:
        reason = f": {src.reason}" if src.reason else ""
        return _("Data {period} dinyatakan tidak tersedia pada {when}{reason}").format(
            period=period, when=when, reason=reason)
    return _("Diimpor {when} dari {file}, SHA-256 {sha}… — disetujui melalui impor: {units}").format(
        when=when, file=src.file, sha=src.sha256[:12], units=", ".join(src.units))


STATE_WORDS = (N_("Belum mengisi"), N_("Sebagian"), N_("Lengkap"), N_("Terlambat"), N_("Tidak mengisi"),
               N_("Belum dibahas"), N_("Disetujui"), N_("Perlu perbaikan"))
"""The states and approval statuses core computes, marked so they are shown in the language in use."""

SEVERITY_WORDS = {"error": N_("galat"), "warning": N_("peringatan"), "info": N_("info")}
"""How a finding's severity is shown (the JSON keeps the codes ``error``/``warning``/``info``)."""


def severity_text(severity: str) -> str:
    """A finding's severity in the language in use."""
    return _(SEVERITY_WORDS.get(severity, severity))


SHRINKABLE = (1, 5)
"""Columns cut when the table is wider than the terminal: Bidang, then Perubahan terakhir."""

MIN_COLUMN = 8
"""No column is cut narrower than this (a cut column still says what it holds)."""


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with "…" when longer."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def cut_left(text: str, width: int) -> str:
    """``text`` keeping its end (a path's file name) with a leading "…" when longer than ``width``."""
    return text if len(text) <= width else "…" + text[len(text) - width + 1:]


def wrap(text: str, width: int | None, indent: str = "    ") -> str:
    """``text`` wrapped to ``width`` (None: as it is), continuation lines indented; every line ends in a newline."""
    if width is None:
        return text + "\n"
    import textwrap

    lines = []
    for para in text.split("\n"):
        first = para[: len(para) - len(para.lstrip())]
        lines.extend(textwrap.wrap(para, width, initial_indent="", subsequent_indent=first + indent,
                                   break_on_hyphens=False) or [""])
    return "\n".join(lines) + "\n"


def column_widths(rows: list[list[str]], width: int | None) -> list[int]:
    """The width of each column: its longest cell, the shrinkable ones narrowed until a line fits ``width``."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    if width is None:
        return widths
    while sum(widths) + 2 * (len(widths) - 1) > width:
        candidates = [i for i in SHRINKABLE if i < len(widths) and widths[i] > MIN_COLUMN]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _table(rows: list[list[str]], width: int | None = None) -> str:
    widths = column_widths(rows, width)
    lines = []
    for n, r in enumerate(rows):
        cells = [cut_left(c, widths[i]) if i == 6 else cut(c, widths[i]) for i, c in enumerate(r)]  # 6: a link
        lines.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def shown_link(app: App, link: str) -> str:
    """A form's link as printed: a local path relative to the office folder, anything else unchanged."""
    from pathlib import Path

    path = Path(link)
    if path.is_absolute() and path.is_relative_to(app.settings.base):
        return str(path.relative_to(app.settings.base))
    return link


def _heading(app: App, period: Period, deadline: str, width: int | None) -> list[str]:
    """The lines above the table: the period and office, the deadline, where imported data came from."""
    out = [wrap(_("Status {period} — {office} ({when})").format(
               period=period.label_in(_), office=app.settings.office.singkatan,
               when=tanggal_jam(app.now(), current_language())), width),
           wrap(_("Batas pengisian: {deadline}").format(deadline=deadline), width)]
    source = source_line(app, period)
    if source:
        out.append(wrap(source, width))
    return out


def render_table(app: App, period: Period, sts: Sequence[UnitStatus], control: Control | None = None,
                 width: int | None = None) -> str:
    """The per-bidang table followed by the findings, in the language in use with the fix.

    ``width`` (the terminal's columns; None: no limit) bounds every line: the table's Bidang, link and
    last-change columns are cut with "…", paths are shown relative to the office folder and cut at the
    left, findings and messages are wrapped.
    """
    from sheets_sync.service.control_io import load_control

    control = control or load_control(app)
    forms = app.store.forms(period.year)
    sched = control.schedule(period)
    deadline = tanggal_jam(sched.deadline, current_language()) if sched else "–"
    rows = [[_("Kode"), _("Bidang"), _("Terisi"), "%", _("Status"), _("Perubahan terakhir"), _("Tautan")]]
    stale = _(" (basi)")
    not_yet = " — " + _("Selesai belum berlaku")  # "Selesai" chosen while required cells are missing
    for s in sts:
        unit = control.unit(s.unit)
        rows.append([
            s.unit, unit.name if unit else s.unit, f"{s.filled}/{s.required}", angka(s.percent, 0),
            _(s.state) + (not_yet if s.done_not_valid else "") + (stale if s.stale else ""),
            tanggal_ringkas(s.last_change.astimezone(app.tz), current_language()) if s.last_change else "–",
            shown_link(app, rec.link) if (rec := forms.get(s.unit)) else "–",
        ])
    out = _heading(app, period, deadline, width)
    if width is not None and sum(column_widths(rows, None)) + 2 * (len(rows[0]) - 1) > width:
        # too wide with the links: the table without them, then one link per line (cut at the left)
        links = [(r[0], r[6]) for r in rows[1:]]
        out.append(_table([r[:6] for r in rows], width))
        out.append(_("\nTautan formulir:\n"))
        out.extend(f"  {code:6} {cut_left(link, width - 9)}\n" for code, link in links)
    else:
        out.append(_table(rows, width))
    docs = documents_of(app, period)
    if docs:
        out.append(_("\nDokumen ({n}):\n").format(n=len(docs)))
        for d in docs:
            number = _("  Nomor {number}").format(number=d["letter_number"]) if d["letter_number"] else ""
            where = shown_link(app, d["link"] or d["path"])
            out.append(wrap(f"- {d['kind']} v{d['version']} {'FINAL' if d['final'] else 'DRAFT'} [{d['status']}]"
                            f"{number}", width)
                       + "    " + (cut_left(where, width - 4) if width else where) + "\n")
    failed = [m for m in app.store.messages(period=str(period)) if m.status == "failed"]
    if failed:
        out.append(_("\nE-mail gagal dikirim ({n}):\n").format(n=len(failed)))
        for m in failed:
            error = from_stored(m.last_error).render(_)
            out.append(wrap(f"- {', '.join(m.to_addrs)}: {m.subject}", width) + wrap(f"    {error}", width))
    problem = problem_text(app.store, app.tz)
    if problem is not None:
        out.append("\n" + wrap("! " + problem.render(_), width)
                   + wrap(_("    Perbaikan: perbaiki penyebabnya, lalu `sheets-sync outbox retry`."), width))
    findings = [f for s in sts for f in s.findings] + list(control.findings)
    if findings:
        out.append(_("\nTemuan ({n}):\n").format(n=len(findings)))
        fix = _("    Perbaikan: {fix}")
        for f in findings:
            line = f"- [{severity_text(f.severity)}] {f.unit} {f.location} ({f.code}): {f.message_in(_)}"
            out.append(wrap(line, width)
                       + wrap(fix.format(fix=f.fix_in(_)), width))
    else:
        out.append(_("\nTidak ada temuan.\n"))
    return "".join(out)

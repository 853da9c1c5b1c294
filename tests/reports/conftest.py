"""The request factory fixture of the document tests (data in :mod:`report_data`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from report_data import INDICATORS, OFFICE, SIGNATORY, UNITS, VALUES, MakeRequest, payloads

from sheets_sync.config import DocumentSettings, RuleSettings
from sheets_sync.model import Period
from sheets_sync.reports import RenderRequest


@pytest.fixture
def make_request(tmp_path: Path) -> MakeRequest:
    def make(period: Period = Period(2025, 1), edition: str = "triwulan", **kw: Any) -> RenderRequest:
        values = kw.pop("values", VALUES)
        upto = {code: {q: v for q, v in qs.items() if q <= period.quarter} for code, qs in values.items()}
        indicators = kw.pop("indicators", INDICATORS)
        args: dict[str, Any] = dict(
            office=OFFICE, documents=DocumentSettings(output=tmp_path, signatory=SIGNATORY),
            rules=RuleSettings(), period=period, edition=edition, indicators=indicators, units=UNITS,
            data=payloads(upto, indicators, kw.pop("keterangan", None)), generated_on=date(2025, 2, 24),
            snapshot_ref="snapshot sha256 0123abcd")
        args.update(kw)
        return RenderRequest(**args)

    return make

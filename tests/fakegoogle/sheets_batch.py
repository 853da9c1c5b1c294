"""``spreadsheets.batchUpdate`` for the fake: each supported request kind, applied atomically."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from typing import Any

from .sheets_model import Box, Json, Sheet, SheetsError, Spreadsheet, output_grid

Handler = Callable[["BatchContext", Json, str], Json]

CELL_LIMIT = 10_000_000
"""A spreadsheet holds "up to 10 million cells or 18,278 columns" over all its tabs
(https://support.google.com/drive/answer/37603).  A request that would pass it is refused whole with
400 INVALID_ARGUMENT "This action would increase the number of cells in the workbook above the limit of
10000000 cells." (the message as reported, e.g. https://stackoverflow.com/q/61002924 and
https://issuetracker.google.com/issues/36762373)."""


def over_limit_error(book: Spreadsheet) -> SheetsError | None:
    """The error Sheets gives when ``book``'s grid has grown past :data:`CELL_LIMIT`, else None."""
    if sum(s.rows * s.cols for s in book.sheets) <= CELL_LIMIT:
        return None
    return SheetsError(
        f"Invalid requests: This action would increase the number of cells in the workbook above the limit "
        f"of {CELL_LIMIT} cells."
    )


class BatchContext:
    """One batchUpdate in progress: the spreadsheet, the caller, an id source, the title sink."""

    def __init__(self, book: Spreadsheet, identity: str, rng: random.Random) -> None:
        self.book = book
        self.identity = identity
        self.rng = rng
        self.new_title: str | None = None

    def new_id(self, taken: set[int]) -> int:
        while True:
            n = self.rng.randint(1, 2_000_000_000)
            if n not in taken:
                return n


def _fields_apply(target: Json, source: Json, fields: str) -> Json:
    if fields == "*":
        return copy.deepcopy(source)
    out = copy.deepcopy(target)
    for path in fields.split(","):
        keys = path.strip().split(".")
        src: Any = source
        dst = out
        for k in keys[:-1]:
            src = src.get(k, {}) if isinstance(src, dict) else {}
            dst = dst.setdefault(k, {})
        last = keys[-1]
        if isinstance(src, dict) and last in src:
            dst[last] = src[last]
        else:
            dst.pop(last, None)
    return out


def add_sheet(ctx: BatchContext, req: Json, where: str) -> Json:
    props = req.get("properties", {}) or {}
    book = ctx.book
    title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
    if book.by_title(title) is not None:
        raise SheetsError(
            f'Invalid {where}: A sheet with the name "{title}" already exists. Please enter another name.'
        )
    taken = {s.sheet_id for s in book.sheets}
    sid = props.get("sheetId")
    if sid is not None and int(sid) in taken:
        raise SheetsError(f"Invalid {where}: Sheet with id {sid} already exists.")
    grid = props.get("gridProperties", {}) or {}
    sheet = Sheet(
        sheet_id=int(sid) if sid is not None else ctx.new_id(taken),
        title=title,
        index=0,
        rows=int(grid.get("rowCount", 1000)),
        cols=int(grid.get("columnCount", 26)),
        frozen_rows=int(grid.get("frozenRowCount", 0)),
        frozen_cols=int(grid.get("frozenColumnCount", 0)),
        hidden=bool(props.get("hidden", False)),
    )
    index = props.get("index")
    pos = len(book.sheets) if index is None else min(int(index), len(book.sheets))
    book.sheets.insert(pos, sheet)
    book.reindex()
    return {"addSheet": {"properties": sheet.properties()}}


def delete_sheet(ctx: BatchContext, req: Json, where: str) -> Json:
    sheet = ctx.book.by_id(int(req.get("sheetId", 0)), where)
    if len(ctx.book.sheets) == 1:
        raise SheetsError(f"Invalid {where}: You can't remove all the sheets in a document.")
    ctx.book.sheets.remove(sheet)
    ctx.book.reindex()
    return {}


def update_sheet_properties(ctx: BatchContext, req: Json, where: str) -> Json:
    props = req.get("properties", {}) or {}
    fields = req.get("fields")
    if not fields:
        raise SheetsError(f"Invalid {where}: At least one field must be updated, but none were specified.")
    sheet = ctx.book.by_id(int(props.get("sheetId", 0)), where)
    merged = _fields_apply(sheet.properties(), props, fields)
    new_title = merged.get("title", sheet.title)
    other = ctx.book.by_title(new_title)
    if other is not None and other is not sheet:
        raise SheetsError(f'Invalid {where}: A sheet with the name "{new_title}" already exists.')
    grid = merged.get("gridProperties", {})
    sheet.title = new_title
    sheet.rows = int(grid.get("rowCount", sheet.rows))
    sheet.cols = int(grid.get("columnCount", sheet.cols))
    sheet.frozen_rows = int(grid.get("frozenRowCount", 0))
    sheet.frozen_cols = int(grid.get("frozenColumnCount", 0))
    sheet.hidden = bool(merged.get("hidden", False))
    if "index" in merged and merged["index"] != sheet.index:
        ctx.book.sheets.remove(sheet)
        ctx.book.sheets.insert(min(int(merged["index"]), len(ctx.book.sheets)), sheet)
        ctx.book.reindex()
    return {}


def update_spreadsheet_properties(ctx: BatchContext, req: Json, where: str) -> Json:
    props = req.get("properties", {}) or {}
    fields = req.get("fields")
    if not fields:
        raise SheetsError(f"Invalid {where}: At least one field must be updated, but none were specified.")
    current = {"locale": ctx.book.locale, "timeZone": ctx.book.time_zone}
    merged = _fields_apply(current, props, fields)
    if "timeZone" in merged and "/" not in str(merged["timeZone"]) and merged["timeZone"] not in ("GMT", "UTC"):
        raise SheetsError(f"Invalid {where}: Invalid timeZone: {merged['timeZone']}")
    ctx.book.locale = merged.get("locale", ctx.book.locale)
    ctx.book.time_zone = merged.get("timeZone", ctx.book.time_zone)
    if "title" in fields.split(",") or fields == "*":
        ctx.new_title = props.get("title")
    return {}


def add_protected_range(ctx: BatchContext, req: Json, where: str) -> Json:
    pr = copy.deepcopy(req.get("protectedRange", {}) or {})
    grid = pr.get("range") or {}
    box = ctx.book.grid_box(grid, where)
    taken = {p["protectedRangeId"] for s in ctx.book.sheets for p in s.protected}
    pid = ctx.new_id(taken)
    editors = pr.get("editors") or {}
    users = [u for u in (editors.get("users") or []) if u]
    stored: Json = {"protectedRangeId": pid, "range": output_grid(grid)}
    if pr.get("description"):
        stored["description"] = pr["description"]
    if pr.get("warningOnly"):
        stored["warningOnly"] = True
    stored["requestingUserCanEdit"] = True
    reply = copy.deepcopy(stored)
    reply["editors"] = {k: v for k, v in (("users", users), ("groups", editors.get("groups") or [])) if v}
    stored["editors"] = {"users": list(dict.fromkeys([*users, ctx.identity]))}
    box.sheet.protected.append(stored)
    return {"addProtectedRange": {"protectedRange": reply}}


def delete_protected_range(ctx: BatchContext, req: Json, where: str) -> Json:
    pid = int(req.get("protectedRangeId", 0))
    for s in ctx.book.sheets:
        for p in s.protected:
            if p["protectedRangeId"] == pid:
                s.protected.remove(p)
                return {}
    raise SheetsError(f"Invalid {where}: No protected range with id: {pid}")


def set_data_validation(ctx: BatchContext, req: Json, where: str) -> Json:
    box = ctx.book.grid_box(req.get("range") or {}, where)
    rule = req.get("rule")
    if rule is not None:
        cond = rule.get("condition") or {}
        if not cond.get("type"):
            raise SheetsError(f"Invalid {where}: Invalid ConditionType: CONDITION_TYPE_UNSPECIFIED")
        if cond["type"] == "ONE_OF_LIST" and not cond.get("values"):
            raise SheetsError(f"Invalid {where}: ONE_OF_LIST condition requires at least one value.")
        # ConditionType (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other
        # #ConditionType): DATE_IS_VALID and TEXT_IS_URL "require no ConditionValues".
        if cond["type"] in ("DATE_IS_VALID", "TEXT_IS_URL") and cond.get("values"):
            raise SheetsError(f"Invalid {where}: {cond['type']} condition does not accept values.")
    for r in range(box.r1, box.end_row()):
        for c in range(box.c1, box.end_col()):
            if rule is None:
                box.sheet.validation.pop((r, c), None)
            else:
                box.sheet.validation[(r, c)] = rule
    return {}


def repeat_cell(ctx: BatchContext, req: Json, where: str) -> Json:
    """RepeatCellRequest (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request
    #RepeatCellRequest) for the only field sheets-sync sends, ``userEnteredFormat.numberFormat``: the
    format of every cell of the range, values untouched.  Other fields are refused rather than ignored."""
    fields = req.get("fields")
    if not fields:
        raise SheetsError(f"Invalid {where}: At least one field must be updated, but none were specified.")
    if fields != "userEnteredFormat.numberFormat":
        raise SheetsError(f"Invalid {where}: the fake supports only userEnteredFormat.numberFormat, got {fields}")
    fmt = ((req.get("cell") or {}).get("userEnteredFormat") or {}).get("numberFormat")
    if not fmt or not fmt.get("type"):
        raise SheetsError(f"Invalid {where}: numberFormat.type must be specified.")
    box = ctx.book.grid_box(req.get("range") or {}, where)
    for r in range(box.r1, box.end_row()):
        for c in range(box.c1, box.end_col()):
            box.sheet.formats[(r, c)] = dict(fmt)
    return {}


def create_developer_metadata(ctx: BatchContext, req: Json, where: str) -> Json:
    meta = copy.deepcopy(req.get("developerMetadata") or {})
    loc = meta.get("location") or {}
    if "sheetId" in loc:
        sheet = ctx.book.by_id(int(loc["sheetId"]), where)
    elif loc.get("spreadsheet"):
        sheet = None
    else:
        raise SheetsError(f"Invalid {where}: developer metadata needs a location")
    if not meta.get("visibility"):
        raise SheetsError(f"Invalid {where}: Visibility must be specified.")
    taken = {m["metadataId"] for s in ctx.book.sheets for m in s.metadata}
    meta["metadataId"] = int(meta.get("metadataId") or ctx.new_id(taken))
    meta["location"] = (
        {"locationType": "SHEET", "sheetId": int(loc.get("sheetId", 0))}
        if sheet
        else {"locationType": "SPREADSHEET", "spreadsheet": True}
    )
    if sheet is not None:
        sheet.metadata.append(meta)
    return {"createDeveloperMetadata": {"developerMetadata": meta}}


def delete_developer_metadata(ctx: BatchContext, req: Json, where: str) -> Json:
    lookup = (req.get("dataFilter") or {}).get("developerMetadataLookup") or {}
    deleted = []
    for s in ctx.book.sheets:
        for m in list(s.metadata):
            if ("metadataId" in lookup and int(lookup["metadataId"]) == m["metadataId"]) or (
                "metadataKey" in lookup and lookup["metadataKey"] == m.get("metadataKey")
            ):
                s.metadata.remove(m)
                deleted.append(m)
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": deleted}}


def update_cells(ctx: BatchContext, req: Json, where: str) -> Json:
    fields = req.get("fields")
    if not fields:
        raise SheetsError(f"Invalid {where}: At least one field must be updated, but none were specified.")
    start = req.get("start")
    if start is None:
        raise SheetsError(f"Invalid {where}: updateCells needs start or range")
    sheet = ctx.book.by_id(int(start.get("sheetId", 0)), where)
    r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
    rows = req.get("rows") or []
    if r0 + len(rows) > sheet.rows or c0 + max((len(r.get("values") or []) for r in rows), default=0) > sheet.cols:
        raise SheetsError(
            f"Invalid {where}: Range ({sheet.title}!{r0 + 1}) exceeds grid limits. "
            f"Max rows: {sheet.rows}, max columns: {sheet.cols}"
        )
    for i, row in enumerate(rows):
        for j, cell in enumerate(row.get("values") or []):
            uev = (cell or {}).get("userEnteredValue")
            key = (r0 + i, c0 + j)
            if not uev:
                sheet.put(key, "")
            elif "formulaValue" in uev:
                sheet.type_into(key, uev["formulaValue"], ctx.book.locale)
            else:
                sheet.put(key, next(iter(uev.values())))  # stringValue "=x" stays text (RAW)
            fmt = ((cell or {}).get("userEnteredFormat") or {}).get("numberFormat")
            if fmt and "userEnteredFormat" in fields:
                sheet.formats[key] = dict(fmt)
    return {}


def append_dimension(ctx: BatchContext, req: Json, where: str) -> Json:
    """``appendDimension``: add rows/columns at the end of a tab (how a write makes room)."""
    sheet = ctx.book.by_id(int(req.get("sheetId", 0)), where)
    length = int(req.get("length", 0))
    if length < 1:
        raise SheetsError(f"Invalid {where}: length must be at least 1")
    if req.get("dimension") == "ROWS":
        sheet.rows += length
    elif req.get("dimension") == "COLUMNS":
        sheet.cols += length
    else:
        raise SheetsError(f"Invalid {where}: dimension must be ROWS or COLUMNS")
    return {}


def update_dimension_properties(ctx: BatchContext, req: Json, where: str) -> Json:
    span = req.get("range") or {}
    sheet = ctx.book.by_id(int(span.get("sheetId", 0)), where)
    fields = req.get("fields") or ""
    props = req.get("properties") or {}
    if span.get("dimension") == "COLUMNS":
        for c in range(int(span.get("startIndex", 0)), int(span.get("endIndex", sheet.cols))):
            col = sheet.columns.setdefault(c, {})
            for f in fields.split(","):
                if f in props:
                    col[f] = props[f]
    return {}


HANDLERS: dict[str, Handler] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "addProtectedRange": add_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "setDataValidation": set_data_validation,
    "repeatCell": repeat_cell,
    "createDeveloperMetadata": create_developer_metadata,
    "deleteDeveloperMetadata": delete_developer_metadata,
    "updateCells": update_cells,
    "updateDimensionProperties": update_dimension_properties,
    "appendDimension": append_dimension,
}


def apply_batch(
    book: Spreadsheet, requests: list[Json], identity: str, rng: random.Random
) -> tuple[list[Json], str | None]:
    """Apply all ``requests`` or none (Sheets batchUpdate is atomic); returns replies and a new title."""
    work = copy.deepcopy(book)
    ctx = BatchContext(work, identity, rng)
    replies = []
    for i, req in enumerate(requests):
        kind, body = next(iter(req.items()))
        handler = HANDLERS.get(kind)
        if handler is None:
            raise SheetsError(f"fake Google does not implement batchUpdate request {kind!r}", code=501)
        replies.append(handler(ctx, body or {}, f"requests[{i}].{kind}"))
    too_big = over_limit_error(work)
    if too_big is not None and sum(s.rows * s.cols for s in work.sheets) > sum(s.rows * s.cols for s in book.sheets):
        raise too_big
    book.sheets = work.sheets
    book.locale, book.time_zone = work.locale, work.time_zone
    return replies, ctx.new_title


__all__ = ["CELL_LIMIT", "Box", "apply_batch", "over_limit_error"]

"""Request validation against Google's own discovery documents (shipped in google-api-python-client).

:class:`Discovery` finds the API method for an (HTTP method, URL) pair, checks query parameters
(known name, enum value, type) and the JSON body against the method's request schema (unknown
fields, wrong types, enum values, the one-of rule of Sheets ``Request``), and reports violations
as Google's 400 error text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import googleapiclient

DOCS = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
ONE_OF = {"Request"}  # Sheets batchUpdate: exactly one kind per request


class Violation(Exception):
    """A request Google would reject with 400 INVALID_ARGUMENT."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Method:
    id: str
    http: str
    regex: re.Pattern[str]
    literal: int
    spec: dict[str, Any]
    upload: bool = False


class Discovery:
    """One API (``sheets.v4`` or ``drive.v3``)."""

    def __init__(self, name: str) -> None:
        self.doc: dict[str, Any] = json.loads((DOCS / f"{name}.json").read_text(encoding="utf-8"))
        self.schemas: dict[str, Any] = self.doc["schemas"]
        self.base = self.doc["rootUrl"] + self.doc["servicePath"]
        self.methods: list[Method] = []
        self._walk(self.doc.get("resources", {}))
        self.methods.sort(key=lambda m: -m.literal)

    def _walk(self, resources: dict[str, Any]) -> None:
        for res in resources.values():
            for spec in res.get("methods", {}).values():
                self._add(spec, self.base + spec["flatPath"], upload=False)
                simple = spec.get("mediaUpload", {}).get("protocols", {}).get("simple")
                if simple:
                    self._add(spec, self.doc["rootUrl"] + simple["path"].lstrip("/"), upload=True)
            self._walk(res.get("resources", {}))

    def _add(self, spec: dict[str, Any], template: str, *, upload: bool) -> None:
        parts = re.split(r"(\{[^}]+\})", template)
        pattern = "".join(
            f"(?P<{p[1:-1].replace('+', '')}>[^/]+?)" if p.startswith("{") else re.escape(p) for p in parts
        )
        literal = sum(len(p) for p in parts if not p.startswith("{"))
        self.methods.append(Method(spec["id"], spec["httpMethod"], re.compile(f"^{pattern}$"), literal, spec, upload))

    def match(self, http: str, url: str) -> tuple[Method, dict[str, str]] | None:
        for m in self.methods:
            if m.http != http.upper():
                continue
            hit = m.regex.match(url)
            if hit:
                return m, {k: unquote(v) for k, v in hit.groupdict().items()}
        return None

    # -- query parameters ------------------------------------------------------------------------
    def check_params(self, method: Method, params: dict[str, list[str]]) -> None:
        known = {**self.doc.get("parameters", {}), **method.spec.get("parameters", {})}
        for name, values in params.items():
            spec = known.get(name)
            if spec is None and self.doc["name"] == "drive":
                continue  # Drive (unlike Sheets) ignores query parameters it does not know
            if spec is None or spec.get("location") == "path":
                raise Violation(
                    f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
                    f"Field '{name}' could not be found in request message.",
                    name,
                )
            if len(values) > 1 and not spec.get("repeated"):
                raise Violation(f"Invalid value for parameter '{name}': more than one value", name)
            for v in values:
                self._check_param_value(name, spec, v)
        for name, spec in method.spec.get("parameters", {}).items():
            if spec.get("required") and spec.get("location") == "query" and name not in params:
                raise Violation(f"'{name}' is required but not specified", name)

    @staticmethod
    def _check_param_value(name: str, spec: dict[str, Any], v: str) -> None:
        if "enum" in spec and v not in spec["enum"]:
            raise Violation(f"Invalid value at '{name}' ({spec.get('type')}), \"{v}\"", name)
        t = spec.get("type")
        if t == "boolean" and v.lower() not in ("true", "false"):
            raise Violation(f"Invalid value at '{name}' (TYPE_BOOL), \"{v}\"", name)
        if t == "integer" and not re.fullmatch(r"-?\d+", v):
            raise Violation(f"Invalid value at '{name}' (TYPE_INT32), \"{v}\"", name)

    # -- bodies ------------------------------------------------------------------------------------
    def check_body(self, method: Method, body: Any, root: str = "") -> None:
        ref = method.spec.get("request", {}).get("$ref")
        if ref is None:
            return
        self.check(body, {"$ref": ref}, root)

    def check(self, value: Any, schema: dict[str, Any], path: str) -> None:
        name = ""
        if "$ref" in schema:
            name = schema["$ref"]
            schema = self.schemas[name]
        if value is None:
            return  # proto3 JSON: null = default
        t = schema.get("type")
        if t == "object":
            if not isinstance(value, dict):
                raise Violation(
                    f"Invalid value at '{path}' (type.googleapis.com/{name or 'object'}), {json.dumps(value)}", path
                )
            props = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            set_kinds = []
            for k, v in value.items():
                sub = f"{path}.{k}" if path else k
                if k in props:
                    self.check(v, props[k], sub)
                    if v is not None:
                        set_kinds.append(k)
                elif extra is not None:
                    self.check(v, extra, sub)
                else:
                    at = f" at '{path}'" if path else ""
                    raise Violation(f'Invalid JSON payload received. Unknown name "{k}"{at}: Cannot find field.', sub)
            if name in ONE_OF:
                if not set_kinds:
                    raise Violation(f"Invalid {path}: No request set.", path)
                if len(set_kinds) > 1:
                    raise Violation(
                        f"Invalid value at '{path}' (oneof), oneof field 'kind' is already set. "
                        f"Cannot set '{set_kinds[1]}'",
                        path,
                    )
        elif t == "array":
            if not isinstance(value, list):
                raise Violation(
                    f"Invalid value at '{path}' (type.googleapis.com/google.protobuf.ListValue), {json.dumps(value)}",
                    path,
                )
            for i, item in enumerate(value):
                self.check(item, schema.get("items", {}), f"{path}[{i}]")
        elif t == "string":
            fmt = schema.get("format")
            if fmt in ("int64", "uint64") and isinstance(value, int) and not isinstance(value, bool):
                return
            if not isinstance(value, str):
                raise Violation(f"Invalid value at '{path}' (TYPE_STRING), {json.dumps(value)}", path)
            if "enum" in schema and value not in schema["enum"]:
                raise Violation(f"Invalid value at '{path}' ({name or 'enum'}), \"{value}\"", path)
        elif t == "integer":
            ok = (
                (isinstance(value, int) and not isinstance(value, bool))
                or (isinstance(value, str) and re.fullmatch(r"-?\d+", value))
                or (isinstance(value, float) and value.is_integer())
            )
            if not ok:
                raise Violation(f"Invalid value at '{path}' (TYPE_INT32), {json.dumps(value)}", path)
        elif t == "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise Violation(f"Invalid value at '{path}' (TYPE_DOUBLE), {json.dumps(value)}", path)
        elif t == "boolean" and not isinstance(value, bool):
            raise Violation(f"Invalid value at '{path}' (TYPE_BOOL), {json.dumps(value)}", path)
        # "any" and untyped schemas accept every JSON value


@cache
def discovery(name: str) -> Discovery:
    """Cached :class:`Discovery` for ``"sheets.v4"`` or ``"drive.v3"``."""
    return Discovery(name)

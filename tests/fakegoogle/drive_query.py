"""Drive ``q`` search expressions and the ``fields`` partial-response mask (both APIs)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")|(?P<op>>=|<=|!=|=|<|>|\(|\)|\{|\})|(?P<word>[A-Za-z_.]+))"
)


class QueryError(Exception):
    """An expression Drive answers with 400 ``Invalid Value`` (location q)."""


def _tokens(q: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(q):
        if q[pos:].strip() == "":
            break
        m = _TOKEN.match(q, pos)
        if not m:
            raise QueryError(q)
        kind = m.lastgroup or ""
        text = m.group(kind)
        if kind == "str":
            text = re.sub(r"\\(.)", r"\1", text[1:-1])
        out.append((kind, text))
        pos = m.end()
    return out


def compile_query(q: str) -> Callable[[dict[str, Any]], bool]:
    """Compile the subset of Drive's query language sheets-sync and gspread use:
    ``and``/``or``/``not``/parentheses over ``name|mimeType|modifiedTime|createdTime <op> 'x'``,
    ``'id' in parents``, ``trashed = true|false``, ``name contains 'x'``."""
    toks = _tokens(q)
    pos = 0

    def peek() -> tuple[str, str] | None:
        return toks[pos] if pos < len(toks) else None

    def take() -> tuple[str, str]:
        nonlocal pos
        if pos >= len(toks):
            raise QueryError(q)
        pos += 1
        return toks[pos - 1]

    def expr() -> Callable[[dict[str, Any]], bool]:
        left = term()
        while (t := peek()) and t == ("word", "or"):
            take()
            right = term()
            left = (lambda a, b: lambda f: a(f) or b(f))(left, right)
        return left

    def term() -> Callable[[dict[str, Any]], bool]:
        left = factor()
        while (t := peek()) and t == ("word", "and"):
            take()
            right = factor()
            left = (lambda a, b: lambda f: a(f) and b(f))(left, right)
        return left

    def factor() -> Callable[[dict[str, Any]], bool]:
        t = take()
        if t == ("word", "not"):
            inner = factor()
            return lambda f: not inner(f)
        if t == ("op", "("):
            inner = expr()
            if take() != ("op", ")"):
                raise QueryError(q)
            return inner
        if t[0] == "str":
            if take() != ("word", "in"):
                raise QueryError(q)
            coll = take()[1]
            if coll != "parents":
                raise QueryError(q)
            value = t[1]
            return lambda f: value in f.get("parents", [])
        if t[0] != "word":
            raise QueryError(q)
        field = t[1]
        op = take()
        if field in ("appProperties", "properties") and op == ("word", "has"):
            # ``appProperties has { key='k' and value='v' }`` — "Search for files with custom file
            # properties" (https://developers.google.com/workspace/drive/api/guides/search-files)
            got: dict[str, str] = {}
            if take() != ("op", "{"):
                raise QueryError(q)
            for n, part in enumerate(("key", "value")):
                if n and take() != ("word", "and"):
                    raise QueryError(q)
                if take() != ("word", part) or take() != ("op", "="):
                    raise QueryError(q)
                lit = take()
                if lit[0] != "str":
                    raise QueryError(q)
                got[part] = lit[1]
            if take() != ("op", "}"):
                raise QueryError(q)
            return lambda f: (f.get(field) or {}).get(got["key"]) == got["value"]
        if field == "trashed":
            rhs = take()[1]
            if rhs not in ("true", "false") or op[1] not in ("=", "!="):
                raise QueryError(q)
            want = rhs == "true"
            return (lambda f: f.get("trashed", False) == want) if op[1] == "=" else (lambda f: f.get("trashed") != want)
        if field not in ("name", "mimeType", "modifiedTime", "createdTime", "fullText"):
            raise QueryError(q)
        rhs_tok = take()
        if rhs_tok[0] != "str":
            raise QueryError(q)
        rhs = rhs_tok[1]
        if op == ("word", "contains"):
            return lambda f: rhs.lower() in str(f.get(field, "")).lower()
        cmp = {
            "=": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
        }.get(op[1])
        if cmp is None:
            raise QueryError(q)
        if field.endswith("Time"):
            key = _time_key(rhs)
            return lambda f: cmp(_time_key(f.get(field, "")), key)
        return lambda f: cmp(f.get(field), rhs)

    result = expr()
    if pos != len(toks):
        raise QueryError(q)
    return result


def _time_key(text: str) -> str:
    """Normalise RFC 3339 for comparison (``2025-01-01T00:00:00`` ≡ ``…00.000Z``)."""
    text = text.replace("Z", "")
    if "." not in text:
        text += ".000"
    return text[:23]


# -- fields mask ---------------------------------------------------------------------------------
def parse_fields(spec: str) -> dict[str, Any]:
    """``kind,files(id,name),sheets.properties(title)`` / ``comments/content`` → a tree (True = all)."""
    tree: dict[str, Any] = {}
    i = 0

    def parse_list(end: str | None) -> dict[str, Any]:
        nonlocal i
        node: dict[str, Any] = {}
        while i < len(spec):
            j = i
            while j < len(spec) and spec[j] not in ",()":
                j += 1
            path = [p for p in re.split(r"[./]", spec[i:j].strip()) if p]
            i = j
            leaf: Any = True
            if i < len(spec) and spec[i] == "(":
                i += 1
                leaf = parse_list(")")
            cur = node
            for p in path[:-1]:
                nxt = cur.get(p)
                if not isinstance(nxt, dict):
                    nxt = {} if nxt is not True else nxt
                    if nxt is True:
                        break
                    cur[p] = nxt
                cur = nxt
            else:
                if path:
                    old = cur.get(path[-1])
                    cur[path[-1]] = True if (old is True or leaf is True) else {**(old or {}), **leaf}
            if i < len(spec) and spec[i] == ",":
                i += 1
                continue
            if i < len(spec) and spec[i] == ")":
                if end != ")":
                    raise QueryError(spec)
                i += 1
                return node
        return node

    tree = parse_list(None)
    return tree


def apply_fields(value: Any, tree: dict[str, Any] | bool) -> Any:
    """Keep only the parts of ``value`` named by ``tree``."""
    if tree is True or not isinstance(tree, dict) or not tree or "*" in tree:
        return value
    if isinstance(value, list):
        return [apply_fields(v, tree) for v in value]
    if not isinstance(value, dict):
        return value
    return {k: apply_fields(value[k], sub) for k, sub in tree.items() if k in value}

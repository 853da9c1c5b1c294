"""A message that is translated when it is shown, not when it is made: :class:`Text`.

An exception raised in the config loader, the store or a backend, and a finding built in ``core``, may be
shown to several people in several languages: the sheets, e-mails and documents of the office always in
Indonesian, the CLI in the language chosen with ``--lang``, the log in English.  So these messages are kept as
their Indonesian msgid (the source language of the gettext catalogues, see :mod:`sheets_sync.i18n`) plus
the values of its ``{fields}``; :meth:`Text.render` fills them in after a translation function chose the
wording::

    err = ConfigError(Text("berkas konfigurasi {file} tidak ditemukan", file=path))
    err.message                      # the Indonesian text (what sheets and stored findings get)
    err.shown(_)                     # (message, fix) in the language in use (the CLI funnel)

``Text(...)`` is a gettext keyword: babel extracts its first argument like ``N_()``, so the msgid lands in
the catalogues and ``python -m sheets_sync.i18n.catalog check`` demands its English.  A field may hold
another :class:`Text` (an inner error's message), which is translated with the same function.

Pure: no sheets_sync import, so ``core`` can build one too (it may not import :mod:`sheets_sync.i18n`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

Translate = Callable[[str], str]
"""A translation function: an Indonesian msgid → the same message in some language."""


def untranslated(message: str) -> str:
    """The identity :data:`Translate`: the Indonesian source text."""
    return message



class Text:
    """An Indonesian msgid with the values of its ``{fields}``; :meth:`render` gives it in a language.

    Immutable and comparable (equal msgid and fields); ``str()`` is the Indonesian text.
    """

    __slots__ = ("fields", "msgid")

    def __init__(self, msgid: str, /, **fields: str | int | float | Text) -> None:
        self.msgid = msgid
        self.fields: Mapping[str, str | int | float | Text] = dict(fields)

    def render(self, translate: Translate = untranslated) -> str:
        """The message in ``translate``'s language (a field that is a :class:`Text` too); without
        fields the msgid is not run through ``str.format`` (a literal ``{`` stays)."""
        wording = translate(self.msgid)
        if not self.fields:
            return wording
        values = {k: v.render(translate) if isinstance(v, Text) else v for k, v in self.fields.items()}
        return wording.format(**values)

    def __str__(self) -> str:
        return self.render()

    def as_dict(self) -> dict[str, object]:
        """``{"msgid": …, "fields": {…}}`` (a field that is a Text nested the same way), for JSON."""
        return {"msgid": self.msgid,
                "fields": {k: v.as_dict() if isinstance(v, Text) else v for k, v in self.fields.items()}}

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> Text:
        """Inverse of :meth:`as_dict`."""
        raw = d.get("fields")
        fields: dict[str, str | int | float | Text] = {}
        for k, v in (raw.items() if isinstance(raw, Mapping) else ()):
            fields[str(k)] = cls.from_dict(v) if isinstance(v, Mapping) else v if isinstance(v, int | float) else str(v)
        return cls(str(d["msgid"]), **fields)

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.fields.items())
        return f"Text({self.msgid!r}{args})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.msgid, dict(self.fields)) == (other.msgid, dict(other.fields))

    def __hash__(self) -> int:
        return hash(self.msgid)


def as_text(message: str | Text) -> Text:
    """``message`` as a :class:`Text`: a plain string (already in its final wording) becomes a Text without
    fields, which a translation leaves alone unless it happens to be a msgid."""
    return message if isinstance(message, Text) else Text(message)


STORED_PREFIX = "text:"
"""Marks a stored message that is a :class:`Text` as JSON (see :func:`to_stored`)."""


def to_stored(message: Text) -> str:
    """``message`` as one string for a store column, so it can be shown later in any language
    (:func:`from_stored`); plain Indonesian text would stay Indonesian under ``--lang en``."""
    import json

    return STORED_PREFIX + json.dumps(message.as_dict(), ensure_ascii=False, sort_keys=True)


def from_stored(value: str) -> Text:
    """Inverse of :func:`to_stored`; a value stored before (plain text), or one that does not decode, is
    that text as it is."""
    import json

    if value.startswith(STORED_PREFIX):
        try:
            raw = json.loads(value[len(STORED_PREFIX):])
        except ValueError:
            return Text(value)
        if isinstance(raw, dict) and "msgid" in raw:
            return Text.from_dict(raw)
    return Text(value)

"""A message kept in the store is shown later in the language of whoever reads it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.i18n import english
from sheets_sync.texts import STORED_PREFIX, Text, from_stored, to_stored


def test_a_stored_text_with_a_nested_text_comes_back_equal_and_translates() -> None:
    inner = Text("tidak dapat menyimpan {path}: {error}", path="MP.xlsx", error="Permission denied")
    outer = Text("Tab {tab} milik {unit} belum dikunci: {error}", tab="TW1", unit="MP", error=inner)
    back = from_stored(to_stored(outer))
    assert back == outer and back.fields["error"] == inner
    assert back.render(english) == "The TW1 tab of MP is not locked yet: cannot save MP.xlsx: Permission denied"


def test_a_value_stored_as_plain_text_by_an_earlier_version_is_shown_as_it_is() -> None:
    assert from_stored("berkas sedang dibuka di Excel").render(english) == "berkas sedang dibuka di Excel"
    assert str(from_stored(STORED_PREFIX + "{not json")) == STORED_PREFIX + "{not json"
    assert str(from_stored(STORED_PREFIX + "[1, 2]")) == STORED_PREFIX + "[1, 2]"


@given(st.text(), st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.text() | st.integers()))
def test_any_text_survives_the_store(msgid: str, fields: dict[str, str | int]) -> None:
    text = Text(msgid, **fields)
    assert from_stored(to_stored(text)) == text

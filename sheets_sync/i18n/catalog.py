"""Maintain the message catalogues: ``python -m sheets_sync.i18n.catalog update|check|init LANG``.

``update``
    extracts every ``_()``, ``N_()``, ``ngettext()`` and ``Text()`` (:mod:`sheets_sync.texts`) message from
    ``sheets_sync`` with babel and merges
    them into each language's ``sheets_sync.po`` (new messages get an empty ``msgstr`` to fill; messages no
    longer in the code are dropped).  The ``argparse`` domain is merged from the running Python's argparse.
    A file is written only when its messages changed, so a second ``update`` leaves ``git diff`` empty.
``check``
    exits 1 and lists every problem: a message in the code missing from a catalogue or one left in it that the
    code no longer has, an empty or fuzzy translation, placeholders (``{name}``) that differ, and the
    language heuristics below.  ``tests/unit/test_i18n.py`` runs this check, so CI fails until it is clean.
``init LANG``
    starts the catalogue of a new language (then ``update`` and translate).

The language heuristics (a word list, deliberately simple):

* every msgid is Indonesian: after removing what is not prose (``{placeholders}``, ```code```, quoted words,
  ``[config] sections``, ``--options``, paths, e-mail addresses) it contains none of :data:`ENGLISH_WORDS`,
  and a msgid of four words or more contains one of :data:`INDONESIAN_VOCABULARY` or an Indonesian affixed word
  (``di…``, ``me…``, ``ber…``, ``ter…``, ``pe…``, ``…kan``, ``…nya``, ``…an``);
* every English msgstr contains none of :data:`INDONESIAN_WORDS` (office terms such as *bidang* or the
  statuses typed in the sheets may stay, quoted or not) and differs from its msgid when the msgid has one.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

from sheets_sync.i18n import ARGPARSE_DOMAIN, DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE, catalog_path, languages

PACKAGE_DIR = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "Text": None}
ARGPARSE_KEYWORDS = {"_": None, "ngettext": (1, 2)}
FIX = ("run `python -m sheets_sync.i18n.catalog update`, write the English of every new message in "
       "sheets_sync/i18n/locale/en/LC_MESSAGES/sheets_sync.po (msgstr), then `python -m sheets_sync.i18n.catalog "
       "check`; messages are written in Indonesian and wrapped as the docstring of sheets_sync/i18n says")


def _words(text: str) -> list[str]:
    return text.split()


ENGLISH_WORDS = frozenset(_words("""
a an the is are was were be been being not no for of and or with without has have had this that these those
from into to in on at by it its cannot can't could should must will would found missing unknown invalid error
errors fix read written created updated approved returned nothing every each which when where then than there
here yet already only also as if but so does done please interrupted history version versions documents
document changes since because file files forms saved warning
"""))
"""English words that never appear in an Indonesian sentence of this program.  Not *form*: it is also the
Indonesian loanword the office's sheets use ("Form MP belum dibuat", "Tab TW1 pada form MP"), and the findings
written into the sheets must keep their wording; an English sentence about a form still has *the*, *is* …"""

INDONESIAN_WORDS = frozenset(_words("""
yang dan di ke dari untuk tidak belum sudah dengan ini itu atau pada oleh dalam akan bisa dapat harus telah
karena jika bila agar lalu setelah sebelum tanpa ada semua setiap tiap baru hanya juga masih sedang sejak
sampai hingga kosong atas bukan sebagai secara tentang antara kali tersebut adalah ialah bahwa kami kita anda
saat pilih tulis isi jalankan periksa buat tunggu lihat mis bawaan contoh berkas
"""))
"""Indonesian function words (and the imperatives the CLI uses) that never appear in an English sentence."""

INDONESIAN_VOCABULARY = INDONESIAN_WORDS | frozenset(_words("""
kode kata sandi riwayat versi laporan kinerja tahun periode kantor variabel basis data
"""))
"""Also Indonesian, but office terms an English sentence may keep (*Laporan Kinerja*, *tahun*): they only help
a msgid read as Indonesian."""

_AFFIXED = re.compile(r"^(?:di|me|ber|ter|pe)[a-z]{3,}$|^[a-z]{3,}(?:kan|nya|an)$")
_NOT_PROSE = re.compile(
    r"\{[^}]*\}|`[^`]*`|“[^”]*”|\"[^\"]*\"|'[^']*'|\[[^\]]*\]|--?[a-z][\w-]*|\S+@\S+|\S*[/\\]\S*|\$\w+|\S+=\S*|\w+\.\w[\w.]*"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_FIELD = re.compile(r"\{([^{}:!]*)[^{}]*\}")
_PERCENT = re.compile(r"%(?:\(\w+\))?[sr]")
_IN_FSTRING = re.compile(r"\{\s*(?:_|N_|ngettext|Text)\(")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalogue: which file, which message, what."""

    catalog: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.catalog}: {self.msgid!r}: {self.what}"


def prose_words(text: str) -> list[str]:
    """The lower-case words of ``text`` once placeholders, code, quotes, sections, options and paths are gone."""
    return [w.lower() for w in _WORD.findall(_NOT_PROSE.sub(" ", text))]


def looks_english(text: str) -> list[str]:
    """The English words of :data:`ENGLISH_WORDS` in ``text``'s prose."""
    return [w for w in prose_words(text) if w in ENGLISH_WORDS]


def indonesian_words(text: str) -> list[str]:
    """The Indonesian function words of :data:`INDONESIAN_WORDS` in ``text``'s prose."""
    return [w for w in prose_words(text) if w in INDONESIAN_WORDS]


def looks_indonesian(text: str) -> bool:
    """Whether ``text`` reads as Indonesian: short labels pass; a sentence needs an Indonesian word."""
    words = prose_words(text)
    if len(words) < 4:
        return True
    return any(w in INDONESIAN_VOCABULARY or _AFFIXED.match(w) for w in words)


def fields(text: str) -> set[str]:
    """The placeholders of a message: ``{name}`` fields (``{{`` escapes excluded) and argparse's ``%(name)s``/``%r``."""
    return set(_FIELD.findall(text.replace("{{", "").replace("}}", ""))) | set(_PERCENT.findall(text))


def _texts(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value]


def extract(domain: str = DOMAIN) -> Catalog:
    """The template: every message the code (or, for ``argparse``, the running argparse) asks to translate."""
    template = Catalog(domain=domain, project="sheets-sync", fuzzy=False)
    if domain == ARGPARSE_DOMAIN:
        found: Iterable[tuple[str, int, str | tuple[str, ...], list[str], str | None]] = (
            (argparse.__file__, *rest) for rest in extract_from_file("python", argparse.__file__,
                                                                      keywords=ARGPARSE_KEYWORDS))
    else:
        found = ((str(Path("sheets_sync") / f), lineno, msg, comments, ctx)
                 for f, lineno, msg, comments, ctx in extract_from_dir(PACKAGE_DIR, keywords=KEYWORDS))
    for filename, lineno, message, comments, context in found:
        name = "argparse.py" if domain == ARGPARSE_DOMAIN else filename
        template.add(message, None, [(name, lineno)], auto_comments=comments, context=context,
                     flags=("python-brace-format",) if domain == DOMAIN and "{" in str(message) else ())
    return template


def _read(path: Path, lang: str, domain: str) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=domain)


def _po_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=110, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return buf.getvalue()


def _messages_part(po: bytes) -> bytes:
    """A ``.po`` file without its header (the comment and the ``msgid ""`` entry up to the first blank line):
    the part that changes only when a message does."""
    return po.split(b"\n\n", 1)[1] if b"\n\n" in po else b""


def _write(path: Path, catalog: Catalog) -> bool:
    """Write ``catalog`` to ``path`` unless the file already holds the same messages; whether it wrote.

    The header is not compared: babel fills dates and its own version into it, and a file rewritten only for
    those would show in ``git diff`` after every ``update`` although no message changed.
    """
    new = _po_bytes(catalog)
    if path.is_file() and _messages_part(path.read_bytes()) == _messages_part(new):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(new)
    return True


def domains_of(lang: str) -> list[str]:
    """The domains a language has a catalogue for."""
    return [d for d in (DOMAIN, ARGPARSE_DOMAIN) if catalog_path(lang, d).is_file()]


def update() -> list[Path]:
    """Merge the extracted messages into every catalogue; returns the files written (only those whose
    messages changed: a second ``update`` with the code unchanged writes nothing)."""
    written = []
    templates: dict[str, Catalog] = {}
    for lang in languages():
        for domain in domains_of(lang):
            template = templates.get(domain) or templates.setdefault(domain, extract(domain))
            path = catalog_path(lang, domain)
            catalog = _read(path, lang, domain)
            catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
            if _write(path, catalog):
                written.append(path)
    return written


def init(lang: str) -> Path:
    """Start the catalogue of a new language (empty translations; run :func:`update` is not needed)."""
    path = catalog_path(lang)
    if path.exists():
        raise SystemExit(f"{path} already exists")
    catalog = Catalog(locale=lang, domain=DOMAIN, project="sheets-sync", fuzzy=False)
    catalog.update(extract(), no_fuzzy_matching=True)
    _write(path, catalog)
    return path


def _message_problems(name: str, lang: str, msg: Message) -> Iterable[Problem]:
    msgid = str(msg.id if isinstance(msg.id, str) else msg.id[0])
    ids = _texts(msg.id)
    strs = _texts(msg.string)
    if msg.fuzzy:
        yield Problem(name, msgid, "marked fuzzy: check the translation and remove the fuzzy flag")
    if not strs or any(not s for s in strs):
        yield Problem(name, msgid, "no translation (empty msgstr)")
        return
    for s in strs:
        if fields(s) != fields(ids[0]) and not (len(ids) > 1 and fields(s) == fields(ids[1])):
            yield Problem(name, msgid, f"placeholders {sorted(fields(s))} ≠ msgid's {sorted(fields(ids[0]))}")
    if lang == "en" and name.endswith(f"{DOMAIN}.po"):
        for s in strs:
            if words := indonesian_words(s):
                yield Problem(name, msgid, f"English translation has Indonesian words {words}: {s!r}")
        if indonesian_words(ids[0]) and strs[0] == ids[0]:
            yield Problem(name, msgid, "English translation is the Indonesian msgid itself")


def check() -> list[Problem]:
    """Every problem of every catalogue (see the module docstring); empty when all is well."""
    problems: list[Problem] = []
    template = extract()
    for message in template:
        if not message.id:
            continue
        text = " ".join(_texts(message.id))
        if english := looks_english(text):
            problems.append(Problem("code", text, f"msgid is not Indonesian (English words {english}); "
                                    f"write the message in Indonesian, at {message.locations[:1]}"))
        elif not looks_indonesian(text):
            problems.append(Problem("code", text, f"msgid does not read as Indonesian, at {message.locations[:1]}"))
    for source in sorted(PACKAGE_DIR.rglob("*.py")):
        for n, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            if _IN_FSTRING.search(line):
                where = f"{source.relative_to(PACKAGE_DIR.parent)}:{n}"
                problems.append(Problem("code", line.strip(), f"a translated call inside an f-string: babel cannot "
                                        f"extract it; assign it to a name first, at {where}"))
    if len(languages()) < 2:
        problems.append(Problem(str(LOCALE_DIR), "", "no catalogue besides the source language"))
    for lang in languages():
        for domain in domains_of(lang):
            path = catalog_path(lang, domain)
            name = str(path.relative_to(PACKAGE_DIR.parent) if path.is_relative_to(PACKAGE_DIR.parent) else path)
            catalog = _read(path, lang, domain)
            wanted = template if domain == DOMAIN else extract(domain)
            have = {m.id for m in catalog if m.id}
            for message in wanted:
                if message.id and message.id not in have:
                    problems.append(Problem(name, str(_texts(message.id)[0]), "missing: new message in the code"))
            want_ids = {m.id for m in wanted if m.id}
            for message in catalog:
                if not message.id:
                    continue
                if message.id not in want_ids and domain == DOMAIN:
                    problems.append(Problem(name, str(_texts(message.id)[0]), "obsolete: the code no longer has it"))
                    continue
                problems.extend(_message_problems(name, lang, message))
    if SOURCE_LANGUAGE in languages() and not catalog_path(SOURCE_LANGUAGE, ARGPARSE_DOMAIN).is_file():
        problems.append(Problem(SOURCE_LANGUAGE, ARGPARSE_DOMAIN, "argparse's words have no Indonesian catalogue"))
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m sheets_sync.i18n.catalog", description=__doc__.split("\n")[0])
    p.add_argument("action", choices=("update", "check", "init"))
    p.add_argument("lang", nargs="?", help="init: the new language's code, e.g. jv")
    args = p.parse_args(argv)
    if args.action == "init":
        if not args.lang:
            p.error("init needs LANG")
        print(f"written {init(args.lang)}; now translate its msgstr lines")
        return 0
    if args.action == "update":
        written = update()
        for path in written:
            print(f"updated {path}")
        if not written:
            print("catalogues already up to date: no file written")
    problems = check()
    for problem in problems:
        print(f"- {problem}")
    if problems:
        print(f"{len(problems)} problem(s). Fix: {FIX}")
        return 1
    print("catalogues OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())

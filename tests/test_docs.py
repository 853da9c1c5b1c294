"""The README and the example config cannot drift from the code (issue 8, "Docs that cannot drift").

In the style of sqlite-utils' ``tests/test_docs.py``: the truth is in the code —

* the CLI's commands and sub-commands: :data:`sheets_sync.cli.common.COMMANDS` as argparse builds them;
* the finding codes: :data:`sheets_sync.findings.FINDING_CODES`;
* the config keys: :data:`sheets_sync.config.schema.SECTIONS` and the ``[google]`` keys
  (:data:`sheets_sync.config.google.EXAMPLES`);

and each test asserts that the README (and the example config) name every one of them.  The checkers
return one line per missing item saying exactly what to add where, so a failure is its own fix; the
tests at the bottom delete a row from a copy of the README and assert the checker notices.
"""

from __future__ import annotations

import argparse
import io
import re
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from sheets_sync.cli import build_parser, main
from sheets_sync.cli.common import COMMANDS
from sheets_sync.config.google import EXAMPLES as GOOGLE_EXAMPLES
from sheets_sync.config.schema import SECTIONS
from sheets_sync.findings import FINDING_CODES
from sheets_sync.i18n import in_language

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
EXAMPLE = ROOT / "config" / "sheets-sync.example.toml"
PACKAGED_EXAMPLE = ROOT / "sheets_sync" / "data" / "sheets-sync.example.toml"

COMMAND_HEADING = "## Command line"
CODES_START = "Finding codes:"
CONFIG_HEADING = "## Configuration"


@dataclass(frozen=True)
class CliCommand:
    """A command as argparse knows it: name, help line and its sub-commands (``outbox list|retry``)."""

    name: str
    help: str
    subcommands: tuple[str, ...]
    subcommand_help: str


class _Recorder(argparse.ArgumentParser):
    """A parser that remembers each ``add_argument`` call (argparse keeps them only in private lists)."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[str, ...], dict[str, object]]] = []
        super().__init__(add_help=False)

    def add_argument(self, *args: str, **kwargs: object) -> argparse.Action:  # type: ignore[override]
        self.calls.append((args, kwargs))
        return super().add_argument(*args, **kwargs)  # type: ignore[arg-type]


def cli_commands() -> list[CliCommand]:
    """Every registered command; a first positional argument with choices is a sub-command."""
    build_parser()  # registers every topic's commands
    found = []
    for cmd in COMMANDS.values():
        recorder = _Recorder()
        cmd.add_arguments(recorder)
        positional = [kw for args, kw in recorder.calls if not args[0].startswith("-")]
        first = positional[0] if positional else {}
        choices = tuple(str(c) for c in first.get("choices") or ())  # type: ignore[attr-defined]
        # the README is English: its rows quote the English of the (Indonesian) help line
        found.append(CliCommand(cmd.name, in_language("en", cmd.help), choices,
                                str(first.get("help") or "") if choices else ""))
    return found


def section(text: str, heading: str) -> str:
    """The README text from ``heading`` to the next heading of the same level."""
    level = heading.split(" ", 1)[0]
    start = text.index(heading)
    nxt = re.search(rf"^{level} ", text[start + len(heading):], re.MULTILINE)
    return text[start: start + len(heading) + nxt.start()] if nxt else text[start:]


def table_rows(text: str) -> Iterator[list[str]]:
    """The cells of every Markdown table row (``\\|`` inside a cell stays in the cell)."""
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            yield [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def missing_commands(readme: str) -> list[str]:
    """What the README's command table lacks: a row per command, each sub-command named in it."""
    rows: dict[str, str] = {}
    for cells in table_rows(section(readme, COMMAND_HEADING)):
        usage = re.match(r"`([^`]+)`", cells[0])
        if usage:
            rows.setdefault(usage.group(1).split()[0], usage.group(1))
    problems = []
    for cmd in cli_commands():
        usage = rows.get(cmd.name)
        if usage is None:
            example = f"{cmd.name} {'|'.join(cmd.subcommands)}".strip().replace("|", "\\|")
            problems.append(f"README.md, section {COMMAND_HEADING!r}: add a table row "
                            f"| `{example} [options]` | {cmd.help} | for the command `{cmd.name}`")
            continue
        words = usage.replace("\\|", "|").split()
        named = set(words[1].split("|")) if len(words) > 1 else set()
        for choice in cmd.subcommands:
            if choice not in named:
                problems.append(f"README.md, section {COMMAND_HEADING!r}: the row `{usage}` must name the "
                                f"sub-command `{cmd.name} {choice}` (write `{cmd.name} "
                                f"{'|'.join(cmd.subcommands)}`)".replace("|", "\\|"))
    return problems


def readme_codes(readme: str) -> set[str]:
    """The codes in backticks in the README paragraph that starts with "Finding codes:"."""
    start = readme.index(CODES_START)
    end = readme.find("\n\n", start)
    paragraph = readme[start: end if end != -1 else None]
    return {c for c in re.findall(r"`([^`]+)`", paragraph) if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", c)}


def missing_codes(readme: str) -> list[str]:
    """Registered codes the README's list lacks, and listed codes that no longer exist."""
    listed = readme_codes(readme)
    problems = [f"README.md, the paragraph starting {CODES_START!r} (section \"### `status --json`\"): "
                f"add `{code}` with a few words on when it is raised"
                for code in FINDING_CODES if code not in listed]
    problems += [f"README.md, the paragraph starting {CODES_START!r}: `{code}` is no finding code "
                 "(not in sheets_sync/findings.py) — remove it or register it there"
                 for code in sorted(listed - set(FINDING_CODES))]
    return problems


def config_keys() -> dict[str, tuple[str, ...]]:
    """section → its keys, ``[google]`` included."""
    keys = {s.name: s.keys for s in SECTIONS}
    keys["google"] = tuple(GOOGLE_EXAMPLES)
    return keys


def example_keys(toml_text: str) -> dict[str, set[str]]:
    """section → the keys the example config shows, commented-out ones included (``# key = …``);
    a sub-table ``[rules.skala]`` counts as the key ``skala`` of ``[rules]``."""
    found: dict[str, set[str]] = {}
    current = ""
    for line in toml_text.splitlines():
        header = re.match(r"#?\s*\[([a-z_.]+)\]", line)
        if header:
            current, _, sub = header.group(1).partition(".")
            found.setdefault(current, set())
            if sub:
                found[current].add(sub)
                current = ""  # keys of a sub-table are the table's own, not the section's
            continue
        key = re.match(r"#?\s*([a-z_]+)\s*=", line)
        if key and current:
            found[current].add(key.group(1))
    return found


def missing_example_keys(toml_text: str, where: str = "config/sheets-sync.example.toml") -> list[str]:
    shown = example_keys(toml_text)
    return [f"{where}: add `{key} = …` to [{name}] (commented out with '# ' if it is optional and has no "
            "sensible example value)"
            for name, keys in config_keys().items() for key in keys if key not in shown.get(name, set())]


def missing_readme_keys(readme: str) -> list[str]:
    """Keys the README's configuration table lacks (each in backticks in its section's row)."""
    rows = {}
    for cells in table_rows(section(readme, CONFIG_HEADING)):
        for name in re.findall(r"`\[([a-z_]+)\]`", cells[0]):
            rows[name] = cells[1] if len(cells) > 1 else ""
    problems = []
    for name, keys in config_keys().items():
        if name not in rows:
            problems.append(f"README.md, section {CONFIG_HEADING!r}: add a table row | `[{name}]` | "
                            + ", ".join(f"`{k}`" for k in keys) + " |")
            continue
        problems += [f"README.md, section {CONFIG_HEADING!r}: name `{key}` (in backticks) in the row of `[{name}]`"
                     for key in keys if f"`{key}`" not in rows[name]]
    return problems


# --- the docs against the code -------------------------------------------------------------------

def test_every_command_and_sub_command_has_help() -> None:
    commands = cli_commands()
    assert commands, "no command registered"
    no_help = [c.name for c in commands if not c.help.strip()]
    no_sub_help = [c.name for c in commands if c.subcommands and not c.subcommand_help.strip()]
    assert no_help == [], "give these commands a help line in @command(...): " + ", ".join(no_help)
    assert no_sub_help == [], "give the sub-command argument of these commands a help=: " + ", ".join(no_sub_help)


@pytest.mark.parametrize("name", [c.name for c in cli_commands()])
def test_every_command_prints_its_help(name: str) -> None:
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit) as stop:
        main([name, "--help"])
    assert stop.value.code == 0
    assert out.getvalue().startswith(f"penggunaan: sheets-sync {name}")  # Indonesian by default (sheets_sync.i18n)


def test_every_command_has_a_row_in_the_readme() -> None:
    problems = missing_commands(README.read_text(encoding="utf-8"))
    assert problems == [], "\n".join(problems)


def test_every_finding_code_is_in_the_readme() -> None:
    problems = missing_codes(README.read_text(encoding="utf-8"))
    assert problems == [], "\n".join(problems)


def test_every_config_key_is_in_the_example_config() -> None:
    problems = missing_example_keys(EXAMPLE.read_text(encoding="utf-8"))
    assert problems == [], "\n".join(problems)


def test_every_config_key_is_in_the_readme() -> None:
    problems = missing_readme_keys(README.read_text(encoding="utf-8"))
    assert problems == [], "\n".join(problems)


def test_the_two_example_configs_are_the_same_file() -> None:
    # `init` writes the packaged copy; the one in config/ is what people read in the repository.
    assert EXAMPLE.read_bytes() == PACKAGED_EXAMPLE.read_bytes(), (
        "config/sheets-sync.example.toml and sheets_sync/data/sheets-sync.example.toml differ: edit one and "
        "copy it over the other (cp config/sheets-sync.example.toml sheets_sync/data/)")


# --- the checkers notice what is missing ---------------------------------------------------------

def without_line(text: str, needle: str) -> str:
    lines = text.splitlines(keepends=True)
    hit = [n for n, line in enumerate(lines) if needle in line]
    assert len(hit) == 1, f"{needle!r} is on {len(hit)} lines"
    return "".join(lines[: hit[0]] + lines[hit[0] + 1:])


def test_a_removed_command_row_is_reported() -> None:
    readme = without_line(README.read_text(encoding="utf-8"), "| `backup [FILE]` |")
    assert missing_commands(readme) == [
        "README.md, section '## Command line': add a table row | `backup [options]` | "
        "a consistent copy of the store (safe while the service runs) | for the command `backup`"]


def test_a_sub_command_missing_from_its_row_is_reported() -> None:
    readme = README.read_text(encoding="utf-8").replace("| `outbox list\\|retry", "| `outbox list", 1)
    assert missing_commands(readme) == [
        "README.md, section '## Command line': the row `outbox list [--failed]` must name the sub-command "
        "`outbox retry` (write `outbox list\\|retry`)"]


def test_a_removed_finding_code_is_reported() -> None:
    readme = README.read_text(encoding="utf-8").replace("`lonjakan_nilai`", "lonjakan", 1)
    assert missing_codes(readme) == [
        "README.md, the paragraph starting 'Finding codes:' (section \"### `status --json`\"): add `lonjakan_nilai` "
        "with a few words on when it is raised"]


def test_a_code_that_no_longer_exists_is_reported() -> None:
    readme = README.read_text(encoding="utf-8").replace("`belum_diisi`", "`belum_diisi`, `sudah_basi`", 1)
    assert missing_codes(readme) == [
        "README.md, the paragraph starting 'Finding codes:': `sudah_basi` is no finding code "
        "(not in sheets_sync/findings.py) — remove it or register it there"]


def test_a_removed_config_row_or_key_is_reported() -> None:
    readme = README.read_text(encoding="utf-8")
    schedule = without_line(readme, "| `[schedule]` |")
    assert missing_readme_keys(schedule) == [
        "README.md, section '## Configuration': add a table row | `[schedule]` | "
        + ", ".join(f"`{k}`" for k in config_keys()["schedule"]) + " |"]
    no_cap = readme.replace("`cap` (", "cap (", 1)
    assert missing_readme_keys(no_cap) == [
        "README.md, section '## Configuration': name `cap` (in backticks) in the row of `[rules]`"]


def test_a_key_missing_from_the_example_config_is_reported() -> None:
    example = without_line(EXAMPLE.read_text(encoding="utf-8"), "poll_minutes =")
    assert missing_example_keys(example) == [
        "config/sheets-sync.example.toml: add `poll_minutes = …` to [schedule] (commented out with '# ' if it is "
        "optional and has no sensible example value)"]

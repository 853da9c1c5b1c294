"""Configuration: the example parses, every mistake is one actionable ConfigError (exit code 2)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sheets_sync import config
from sheets_sync.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "sheets-sync.example.toml"


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sheets-sync.toml"
    path.write_text(text, encoding="utf-8")
    return path


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def replace_line(text: str, key: str, new: str, section: str) -> str:
    """Replace the ``key = ...`` line inside ``[section]`` (``new`` empty = delete it)."""
    out, current, done = [], "", False
    for line in text.splitlines():
        m = re.match(r"^\[(\w+)\]", line)
        if m:
            current = m.group(1)
        if not done and current == section and re.match(rf"^\s*{re.escape(key)}\s*=", line):
            done = True
            if new:
                out.append(new)
            continue
        out.append(line)
    assert done, f"[{section}] {key} not in the example"
    return "\n".join(out) + "\n"


def add_line(text: str, section: str, line: str) -> str:
    out = []
    for existing in text.splitlines():
        out.append(existing)
        if re.match(rf"^\[{section}\]", existing):
            out.append(line)
    return "\n".join(out) + "\n"


def load_error(tmp_path: Path, text: str) -> tuple[ConfigError, Path]:
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        config.load(path)
    return info.value, path


def test_the_shipped_example_parses_with_its_documented_values(tmp_path: Path) -> None:
    settings = config.load(write_config(tmp_path, example_text()))
    assert settings.office.singkatan == "BKPSDM"
    assert settings.office.timezone == "Asia/Jakarta"
    assert settings.backend == "local"
    assert settings.rules.negatif_variant == "A"
    assert settings.rules.cap == 120.0
    assert settings.notify.smtp.password_env == "SHEETS_SYNC_SMTP_PASSWORD"
    assert settings.reminders.offsets == ("H-3", "H-1", "H", "H+1")
    assert settings.reminders.holidays == () and settings.reminders.working_days == ()
    assert settings.reminders.national_holidays and settings.reminders.cuti_bersama
    assert settings.documents.signatory.nip == "196901032003121005"


def test_the_example_is_the_file_in_the_repository() -> None:
    assert EXAMPLE.is_file()


def test_a_missing_required_key_names_the_file_the_key_and_an_example(tmp_path: Path) -> None:
    err, path = load_error(tmp_path, replace_line(example_text(), "singkatan", "", "office"))
    assert str(path.resolve()) in str(err)
    assert "[office] singkatan" in str(err)
    assert "contoh: " in str(err)
    assert err.exit_code == 2


def test_a_value_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    err, path = load_error(tmp_path, replace_line(example_text(), "port", 'port = "587"', "smtp"))
    assert str(path.resolve()) in str(err)
    assert "[smtp] port" in str(err)
    assert "contoh: " in str(err)


def test_a_boolean_is_not_accepted_where_a_number_is_expected(tmp_path: Path) -> None:
    err, _ = load_error(tmp_path, replace_line(example_text(), "poll_minutes", "poll_minutes = true", "schedule"))
    assert "[schedule] poll_minutes" in str(err)


def test_a_misspelt_key_is_an_error_not_a_silent_default(tmp_path: Path) -> None:
    err, path = load_error(tmp_path, add_line(example_text(), "rules", "requre_bukti = true"))
    assert str(path.resolve()) in str(err)
    assert "[rules]" in str(err) and "requre_bukti" in str(err)
    assert "contoh: " in str(err)
    assert "require_bukti" in str(err)  # the valid spelling is suggested
    assert err.exit_code == 2


def test_an_unknown_section_is_an_error(tmp_path: Path) -> None:
    err, path = load_error(tmp_path, example_text() + "\n[reminder]\noffsets = []\n")
    assert str(path.resolve()) in str(err)
    assert "[reminder]" in str(err)
    assert "contoh: " in str(err)
    assert "[reminders]" in str(err)  # the valid spelling is suggested
    assert err.exit_code == 2


def test_an_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    err, path = load_error(
        tmp_path, replace_line(example_text(), "timezone", 'timezone = "Asia/Jakarat"', "office")
    )
    assert str(path.resolve()) in str(err)
    assert "[office] timezone" in str(err)
    assert "Asia/Jakarat" in str(err)
    assert "contoh: " in str(err)


@pytest.mark.parametrize(
    ("section", "key", "line"),
    [
        ("documents", "paper", 'paper = "Letter"'),
        ("rules", "negatif_variant", 'negatif_variant = "C"'),
        ("smtp", "security", 'security = "tls"'),
        ("schedule", "log_format", 'log_format = "xml"'),
        ("signatory", "prefix", 'prefix = "Pj."'),
    ],
)
def test_a_value_outside_its_choices_is_refused(tmp_path: Path, section: str, key: str, line: str) -> None:
    err, path = load_error(tmp_path, replace_line(example_text(), key, line, section))
    assert str(path.resolve()) in str(err)
    assert f"[{section}] {key}" in str(err)
    assert "contoh: " in str(err)
    assert err.exit_code == 2


@pytest.mark.parametrize("nip", ["12345", "19690103200312100X", "1969010320031210051"])
def test_a_nip_that_is_not_eighteen_digits_is_refused(tmp_path: Path, nip: str) -> None:
    err, path = load_error(tmp_path, replace_line(example_text(), "nip", f'nip = "{nip}"', "signatory"))
    assert str(path.resolve()) in str(err)
    assert "[signatory] nip" in str(err)
    assert "contoh: " in str(err)


def test_a_nip_written_with_spaces_is_accepted(tmp_path: Path) -> None:
    text = replace_line(example_text(), "nip", 'nip = "19690103 200312 1 005"', "signatory")
    assert config.load(write_config(tmp_path, text)).documents.signatory.nip == "19690103 200312 1 005"


def test_a_password_in_the_smtp_section_is_refused_without_echoing_it(tmp_path: Path) -> None:
    err, path = load_error(tmp_path, add_line(example_text(), "smtp", 'password = "rahasia-sekali"'))
    assert str(path.resolve()) in str(err)
    assert "[smtp] password" in str(err)
    assert "contoh: " in str(err)
    assert "password_env" in str(err)
    assert "rahasia-sekali" not in str(err)
    assert err.exit_code == 2


def test_relative_paths_resolve_against_the_config_folder_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = (tmp_path / "kantor").resolve()
    path = write_config(office, example_text())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    settings = config.load(path)
    assert settings.forms_folder == office / "forms"
    assert Path(settings.control) == office / "Kendali Data Kinerja.xlsx"
    assert settings.store_url == f"sqlite:///{office / 'data' / 'sheets-sync.sqlite3'}"
    assert settings.notify.outbox == office / "outbox"
    assert settings.documents.output == office / "dokumen"
    assert settings.base == office


def test_absolute_paths_are_kept(tmp_path: Path) -> None:
    forms = (tmp_path / "shared" / "forms").resolve()
    text = replace_line(example_text(), "folder", f'folder = "{forms.as_posix()}"', "backend")
    settings = config.load(write_config(tmp_path / "cfg", text))
    assert settings.forms_folder == forms


def test_find_config_honours_the_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path / "somewhere", example_text())
    monkeypatch.setenv("SHEETS_SYNC_CONFIG", str(path))
    monkeypatch.chdir(tmp_path)
    assert config.find_config() == path
    assert config.load().source == path.resolve()


def test_an_explicit_path_wins_over_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHEETS_SYNC_CONFIG", str(tmp_path / "env.toml"))
    assert config.find_config(tmp_path / "explicit.toml") == tmp_path / "explicit.toml"


def test_without_path_or_variable_the_working_directory_file_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHEETS_SYNC_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert config.find_config() == Path.cwd() / "sheets-sync.toml"


def test_a_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        config.load(tmp_path / "nope.toml")
    assert "nope.toml" in str(info.value)
    assert info.value.exit_code == 2


def test_a_file_that_is_not_toml_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    err, path = load_error(tmp_path, "[office\npemerintah = \n")
    assert str(path.resolve()) in str(err)


def test_a_google_office_must_name_its_control_spreadsheet(tmp_path: Path) -> None:
    from sheets_sync.config import load as load_config

    base = (Path(__file__).resolve().parents[2] / "config" / "sheets-sync.example.toml").read_text()
    cfg = tmp_path / "sheets-sync.toml"
    google = '\n[google]\nmode = "service_account"\ncredentials_file = "sa.json"\nfolder_id = "1FolderId"\n'
    cfg.write_text(base.replace('kind = "local"', 'kind = "google"') + google)
    with pytest.raises(ConfigError) as exc:
        load_config(cfg)
    assert "[google] control_spreadsheet" in str(exc.value) and exc.value.exit_code == 2
    cfg.write_text(cfg.read_text() + 'control_spreadsheet = "https://docs.google.com/spreadsheets/d/1AbC/edit"\n')
    assert load_config(cfg).control == "1AbC"


def test_the_office_scale_categories_and_synonyms_of_the_example_reach_the_capaian_rules(tmp_path: Path) -> None:
    from sheets_sync.core.capaian import compute, parse_target, predikat

    text = replace_line(example_text(), "predikat_scale", 'predikat_scale = "kantor"', "rules")
    rules = config.load(write_config(tmp_path, text)).rules.to_rules()
    assert [predikat(v, rules) for v in (85.01, 85, 30)] == ["Memuaskan", "Sangat Baik", "Kurang"]
    c = compute(parse_target("WTP"), "Wajar Tanpa Pengecualian", "positif", rules)
    assert c.display == "100,00%"
    assert compute(parse_target("Tercapai"), "Tidak tercapai", "positif", rules).display == "0,00%"


@pytest.mark.parametrize(("line", "key"), [
    ('realisasi_nol = "nol"', "realisasi_nol"),
    ("capaian_band = [200, 0]", "capaian_band"),
    ('kategori = ["WTP, WDP"]', "kategori"),
])
def test_bad_capaian_settings_are_refused(tmp_path: Path, line: str, key: str) -> None:
    text = re.sub(rf"(?ms)^{key} = (\[[^\]]*\]|\S+)", line, example_text(), count=1)
    with pytest.raises(ConfigError, match=rf"\[rules\] {key}"):
        config.load(write_config(tmp_path, text))


def test_an_office_scale_that_is_not_high_to_low_is_refused(tmp_path: Path) -> None:
    text = example_text().replace('kantor = ["> 85 Memuaskan", "> 75 Sangat Baik"',
                                  'kantor = ["> 75 Memuaskan", "> 85 Sangat Baik"')
    with pytest.raises(ConfigError, match=r"\[rules\] skala"):
        config.load(write_config(tmp_path, text))


def test_document_levels_must_be_known(tmp_path: Path) -> None:
    text = replace_line(example_text(), "tingkat", 'tingkat = ["bidang"]', "documents")
    with pytest.raises(ConfigError, match=r"\[documents\] tingkat"):
        config.load(write_config(tmp_path, text))

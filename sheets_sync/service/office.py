"""``sheets-sync init``: a ready office folder (config + control workbook) from a shipped sample."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sheets_sync.backends.base import RangeWrite
from sheets_sync.backends.local import LocalBackend
from sheets_sync.core.control import example_tabs
from sheets_sync.errors import UsageError
from sheets_sync.service.documents import DOKUMEN_HEADERS
from sheets_sync.service.rekap import REKAP_HEADERS

KECAMATAN = {
    'instansi = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"': 'instansi = "Kecamatan Sukamaju"',
    'singkatan = "BKPSDM"': 'singkatan = "KEC-SKM"',
    "bkpsdm@": "kecamatan@", "ppkp.bkpsdm@": "ppkp.kecamatan@", "sekretariat.bkpsdm@": "sekcam@",
    "Subbag PPKP BKPSDM": "Subbag Program Kecamatan Sukamaju",
    'jabatan = "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"': 'jabatan = "Camat Sukamaju"',
}


def example_config(example: str) -> str:
    text = resources.files("sheets_sync.data").joinpath("sheets-sync.example.toml").read_text(encoding="utf-8")
    if example == "kecamatan":
        for old, new in KECAMATAN.items():
            text = text.replace(old, new)
    return text


def init_office(folder: Path, example: str, *, force: bool = False) -> Path:
    """Write ``folder/sheets-sync.toml`` and ``folder/Kendali Data Kinerja.xlsx``; refuse to overwrite."""
    folder.mkdir(parents=True, exist_ok=True)
    cfg = folder / "sheets-sync.toml"
    control = folder / "Kendali Data Kinerja.xlsx"
    if not force and (cfg.exists() or control.exists()):
        raise UsageError(f"{cfg if cfg.exists() else control} already exists",
                         fix="choose another folder or pass --force to overwrite")
    cfg.write_text(example_config(example), encoding="utf-8")
    control.unlink(missing_ok=True)
    backend = LocalBackend(folder)
    writes = [*example_tabs(example), RangeWrite("Rekap!A1", [list(REKAP_HEADERS)]),
              RangeWrite("Dokumen!A1", [list(DOKUMEN_HEADERS)])]
    backend.write(str(control.resolve()), writes)
    return cfg

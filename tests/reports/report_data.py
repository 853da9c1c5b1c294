"""Shared data for the document tests: the BKPSDM Sukamaju indicator master (copied from
shared/samples/bkpsdm-sukamaju-indikator.csv).  A module with its own name, so test files can import
it whatever other folders are collected in the same run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sheets_sync.config import Signatory
from sheets_sync.model import Indicator, Office, Unit
from sheets_sync.reports import RenderRequest

SS1 = "Meningkatnya profesionalitas ASN"
SS2 = "Meningkatnya penerapan sistem merit dalam manajemen ASN"
SS3 = "Meningkatnya kualitas pelayanan administrasi kepegawaian"

# kode, bidang, sasaran, indikator, satuan, polaritas, konsolidasi, konvensi, tahunan, TW I–IV
INDICATORS = tuple(Indicator(*row[:9], targets=row[9]) for row in (  # type: ignore[misc]
    ("1.1", "PKA", SS1, "Indeks Profesionalitas ASN", "indeks", "positif", "nilai_akhir", "kumulatif", "72,50",
     ("-", "-", "-", "72,50")),
    ("1.2", "PKA", SS1, "Persentase ASN yang memenuhi pengembangan kompetensi minimal 20 JP", "%", "positif",
     "nilai_akhir", "kumulatif", "80,00", ("15,00", "40,00", "65,00", "80,00")),
    ("1.3", "PKA", SS1, "Jumlah ASN yang mengikuti uji kompetensi/asesmen", "orang", "positif", "jumlah",
     "per_triwulan", "400", ("50", "150", "150", "50")),
    ("2.2", "MP", SS2, "Persentase pengisian jabatan sesuai standar kompetensi", "%", "positif", "rasio",
     "kumulatif", "90,00", ("90,00", "90,00", "90,00", "90,00")),
    ("2.3", "PKAP", SS2, "Persentase ASN yang dijatuhi hukuman disiplin", "%", "negatif", "rasio", "kumulatif",
     "0,20", ("0,05", "0,10", "0,15", "0,20")),
    ("3.1", "SEK", SS3, "Indeks Kepuasan Masyarakat layanan kepegawaian", "nilai", "positif", "rata_rata",
     "kumulatif", "85,00", ("-", "85,00", "-", "85,00")),
    ("3.2", "PPIK", SS3, "Persentase usulan layanan kepegawaian (KP, pensiun, KGB) selesai tepat waktu", "%",
     "positif", "rasio", "kumulatif", "95,00", ("95,00", "95,00", "95,00", "95,00")),
    ("3.3", "MP", SS3, "Rata-rata waktu penyelesaian layanan mutasi", "hari kerja", "negatif", "rata_rata",
     "kumulatif", "10", ("10", "10", "10", "10")),
))

UNITS = (
    Unit("SEK", "Sekretariat"),
    Unit("PPIK", "Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian"),
    Unit("MP", "Bidang Mutasi dan Promosi"),
    Unit("PKA", "Bidang Pengembangan Kompetensi Aparatur"),
    Unit("PKAP", "Bidang Penilaian Kinerja Aparatur dan Penghargaan"),
)

OFFICE = Office(pemerintah="PEMERINTAH KABUPATEN SUKAMAJU",
                instansi="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", singkatan="BKPSDM",
                kota="Sukamaju", alamat="Jl. Jenderal Sudirman No. 10, Sukamaju 77111")

SIGNATORY = Signatory(jabatan="Kepala Badan", nama="Drs. H. Sura'i Hidayat, M.A.P.",
                      pangkat="Pembina Utama Muda (IV/c)", nip="196901032003121005")

# Realisasi by quarter: a number/text, or (pembilang, penyebut) for rasio; taken from domain.md vectors.
VALUES: dict[str, dict[int, Any]] = {
    "1.1": {1: "-", 2: "-", 3: "-", 4: "74,10"},
    "1.2": {1: "16,20", 2: "38,50", 3: "66,00", 4: "81,30"},
    "1.3": {1: 60, 2: 140, 3: 130, 4: 70},
    "2.2": {1: (45, 50), 2: (38, 40), 3: (27, 30), 4: (55, 60)},
    "2.3": {1: (1, 2400), 2: (2, 2400), 3: (1, 2410), 4: (0, 2410)},
    "3.1": {1: "-", 2: "83,40", 3: "-", 4: "86,20"},
    "3.2": {1: (96, 102), 2: (110, 115), 3: (0, 0), 4: (120, 124)},
    "3.3": {1: 12, 2: 9, 3: 11, 4: 8},
}


def payloads(values: Mapping[str, Mapping[int, Any]], indicators: tuple[Indicator, ...] = INDICATORS,
             keterangan: Mapping[str, str] | None = None) -> dict[int, dict[str, dict[str, Any]]]:
    data: dict[int, dict[str, dict[str, Any]]] = {}
    for ind in indicators:
        for q, v in values.get(ind.code, {}).items():
            form = data.setdefault(q, {}).setdefault(ind.unit, {"unit": ind.unit, "rows": {}})
            pair = v if isinstance(v, tuple) else (None, None)
            form["rows"][ind.code] = {"realisasi": None if isinstance(v, tuple) else v, "pembilang": pair[0],
                                      "penyebut": pair[1], "keterangan": (keterangan or {}).get(ind.code, "")}
    return data


MakeRequest = Callable[..., RenderRequest]

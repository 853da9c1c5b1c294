"""Settings of the Laporan Kinerja's review loop and of sending final documents: the ``[laporan]``
table of the configuration file.

::

    [laporan]
    tim_sakip = ["ppkp.bkpsdm@sukamaju.example"]       # a return "Dikoreksi" is e-mailed here
    distribusi = ["inspektorat@sukamaju.example", "bappeda@sukamaju.example"]   # final documents
    distribusi_cara = "lampiran"                        # lampiran (attachment) | tautan (link only)
    distribusi_jenis = ["pengukuran_kinerja", "laporan_kinerja", "laporan_kinerja_semester"]
    distribusi_setelah = "Ditandatangani"               # "" = as soon as the final is made

A final document of a kind in ``distribusi_jenis`` is e-mailed once to ``distribusi`` when its status
in ``Dokumen`` reaches ``distribusi_setelah`` (or at once when that is empty).  The keys are read by
:data:`sheets_sync.config.schema.SECTIONS`.  Pure (no I/O).
"""

from __future__ import annotations

from dataclasses import dataclass

REVIEW_FLOW: tuple[str, ...] = ("Draft", "Dikoreksi", "Finalisasi", "Disetujui Kepala", "Ditandatangani",
                                "Dikirim", "Diarsipkan")
"""The statuses of the Laporan Kinerja's review loop (SOP: draft, correction, finalisation meeting,
approval and signature by the head, sending, archive), in order."""

DOCUMENT_STATUSES: tuple[str, ...] = (*REVIEW_FLOW[:3], "Diajukan ke Kepala", *REVIEW_FLOW[3:])
"""Every status the office may type in ``Dokumen`` (``Diajukan ke Kepala`` kept for the older flow)."""

DISTRIBUTION_KINDS: tuple[str, ...] = ("pengukuran_kinerja", "rekap_kelengkapan", "surat_pengantar",
                                       "laporan_kinerja", "laporan_kinerja_semester", "surat_pengantar_lkjip")


@dataclass(frozen=True)
class LaporanSettings:
    """``[laporan]`` (see the module docstring)."""

    tim_sakip: tuple[str, ...] = ()
    distribusi: tuple[str, ...] = ()
    distribusi_cara: str = "lampiran"
    distribusi_jenis: tuple[str, ...] = ("pengukuran_kinerja", "laporan_kinerja", "laporan_kinerja_semester")
    distribusi_setelah: str = ""

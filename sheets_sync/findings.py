"""Every finding code, in one place: the stable machine names of :class:`~sheets_sync.model.Finding`.

A finding's ``code`` is what ``status --json`` consumers, the ``Rekap`` counts and the documents key on,
so it is typed as :data:`FindingCode`: mypy rejects a code that is not listed here, and
``tests/test_docs.py`` fails until the README's list of finding codes names every one.  To add a code:
add it here (in its group), then to the README paragraph that starts "Finding codes:".
"""

from __future__ import annotations

from typing import Literal, get_args

FindingCode = Literal[
    # a bidang's values (sheets_sync.core.checks)
    "belum_diisi", "nilai_tidak_valid", "keterangan_wajib", "bukti_wajib", "bukti_tidak_valid",
    "rasio_tidak_lengkap", "rasio_berbeda", "capaian_tidak_terhitung", "rumus_di_sel_isian",
    # plausibility warnings (sheets_sync.core.checks)
    "nilai_negatif", "persen_lebih_100", "rasio_tanpa_rincian", "capaian_di_luar_batas", "lonjakan_nilai",
    # a form's layout (sheets_sync.core.form)
    "baris_hilang", "baris_dipindah", "baris_tambahan", "baris_ganda", "kolom_hilang", "kolom_dipindah",
    "judul_kolom_hilang", "form_tertukar", "penanda_hilang",
    # reading and setting up forms (sheets_sync.service.poll, .provision)
    "tab_hilang", "form_tidak_terbaca", "form_gagal_dibaca", "form_belum_ada", "form_belum_siap",
    "form_hilang", "form_tidak_dapat_diakses", "form_format_lain", "form_salinan", "form_berganti_nama",
    "form_versi_lama", "provision_gagal",
    "berbagi_gagal", "kendali_gagal_dibaca", "kendali_hampir_penuh",
    # the review meeting (sheets_sync.service.approvals)
    "belum_ada_data", "keputusan_berulang", "kunci_gagal", "berubah_setelah_disetujui",
    "diisi_setelah_kunci",
    # the control spreadsheet's master (sheets_sync.core.control, unit KENDALI)
    "kode_kosong", "kode_ganda", "bidang_tidak_dikenal", "polaritas_tidak_dikenal", "konsolidasi_tidak_dikenal",
    "konvensi_target_tidak_dikenal", "target_tidak_konsisten", "tingkat_tidak_dikenal", "iku_tidak_dikenal",
    "rumus_tidak_dikenal", "induk_tidak_ada", "induk_melingkar", "tingkat_induk_salah",
    "target_renstra_tidak_valid", "target_tahun_lalu_tidak_valid", "periode_tidak_dikenal", "tanggal_tidak_valid",
    "tanggal_kosong", "status_tidak_dikenal", "catatan_wajib", "jenis_libur_tidak_dikenal",
    # the Laporan Kinerja's tabs (sheets_sync.core.narasi)
    "narasi_kosong", "analisis_kosong", "bagian_tidak_dikenal", "sasaran_tidak_dikenal", "solusi_kosong",
]
"""A finding code (see the module docstring for how to add one)."""

FINDING_CODES: tuple[FindingCode, ...] = get_args(FindingCode)
"""Every :data:`FindingCode`, in the order above."""

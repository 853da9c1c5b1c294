"""The Laporan Kinerja's change list: Indonesian on the draft's cover, in the CLI's language on the screen."""

from __future__ import annotations

from sheets_sync.i18n import english
from sheets_sync.i18n.catalog import indonesian_words
from sheets_sync.service.lkjip import change_summary

PREVIOUS = {"numbers": {"1.1": "98,00%", "1.2": "75,00%", "organisasi": "90,00%"},
            "texts": {"latar_belakang": "lama", "kesimpulan": "lama"}}


def test_the_change_list_reads_as_before_in_indonesian_and_in_english_with_lang_en() -> None:
    numbers = {"1.1": "101,62%", "1.3": "50,00%", "organisasi": "91,00%"}
    texts = {"latar_belakang": "baru", "kata_pengantar": "baru"}
    changes = change_summary(PREVIOUS, numbers, texts)
    indonesian = [c.render() for c in changes]
    assert indonesian[:4] == ["Capaian indikator 1.1: 98,00% → 101,62%", "Indikator 1.3 ditambahkan (capaian 50,00%)",
                              "Capaian organisasi: 90,00% → 91,00%", "Indikator 1.2 dihapus"]
    assert any(line.startswith("Bagian baru diisi: ") for line in indonesian)
    assert any(line.startswith("Bagian diubah: ") for line in indonesian)
    assert any(line.startswith("Bagian dikosongkan: ") for line in indonesian)
    shown = [c.render(english) for c in changes]
    assert shown[0] == "Achievement of indicator 1.1: 98,00% → 101,62%"
    # the section titles after the colon are the office's own headings (Kata Pengantar, Kesimpulan)
    assert [line for line in shown if indonesian_words(line.split(":")[0])] == []


def test_nothing_changed_is_said_in_both_languages() -> None:
    same = change_summary(PREVIOUS, PREVIOUS["numbers"], PREVIOUS["texts"])
    assert [c.render() for c in same] == ["Tidak ada perubahan angka maupun teks (hanya data pendukung)."]
    assert not indonesian_words(same[0].render(english))
    assert change_summary(None, {}, {}) == []

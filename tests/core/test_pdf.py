"""core.pdf: fixed-height wrapping, page-sized tables and the fast table drawing."""

import io

from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from core.pdf import (
    FastTable,
    Letterhead,
    PdfReport,
    chunked_tables,
    cyclic_gc_paused,
    fit_lines,
    page_chunks,
    rows_fitting,
    wrap_lines,
)


def test_fit_lines_keeps_short_text_and_wraps_long_text_into_at_most_two_lines():
    assert fit_lines("  Ani   Lestari ", width=200) == "Ani Lestari"
    wrapped = fit_lines("Dra. Ani Lestari Wulandari Kusumaningrum, M.Pd.", width=150)
    assert "\n" in wrapped and wrapped.count("\n") == 1
    assert wrapped.replace("\n", " ") == "Dra. Ani Lestari Wulandari Kusumaningrum, M.Pd."
    cut = fit_lines("satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas", width=40)
    assert cut.count("\n") == 1 and cut.endswith("…")
    assert fit_lines("", width=50) == ""


def test_chunked_tables_give_a_shorter_first_table_and_repeat_the_header():
    rows = [[str(n), f"Nama {n}"] for n in range(1, 26)]
    tables = chunked_tables(["No", "Nama"], rows, col_widths=[30, 100], row_height=12, rows_per_table=10, first_rows=5)
    assert [len(t._cellvalues) - 1 for t in tables] == [5, 10, 10]
    assert all(t._cellvalues[0] == ["No", "Nama"] for t in tables)
    assert all(isinstance(t, FastTable) for t in tables)
    assert rows_fitting(100, row_height=12, header_height=20) == 6


def test_fast_table_draws_every_line_of_its_cells_and_skips_empty_ones():
    buffer = io.BytesIO()
    table = FastTable([["No", "Nama", None], ["1", "Baris satu\nbaris dua", ""]], colWidths=[30, 120, 40])
    SimpleDocTemplate(buffer).build([table])
    text = PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text()
    assert "Baris satu" in text and "baris dua" in text and "None" not in text


def test_report_pages_are_numbered_and_reported_to_the_progress_callback():
    from reportlab.platypus import PageBreak, Paragraph

    pages = []

    class ThreePages(PdfReport):
        def story(self):
            return [
                Paragraph("satu", self.styles["normal"]),
                PageBreak(),
                Paragraph("dua", self.styles["normal"]),
                PageBreak(),
                Paragraph("tiga", self.styles["normal"]),
            ]

    content = ThreePages(on_page=pages.append).render()
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 3 and "Halaman 3" in reader.pages[2].extract_text()
    assert pages == [1, 2, 3]


def test_cyclic_gc_paused_restores_the_collector():
    import gc

    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_wrap_lines_never_cuts_and_breaks_only_words_wider_than_the_cell():
    name = "Prof. Dr. H. Lalu Muhammad Zainul Arifin Wirasaputra, M.Pd., Ph.D."
    lines = wrap_lines(name, width=100, size=8)
    assert len(lines) > 1 and " ".join(lines) == name
    assert wrap_lines("  Ani   Lestari ", width=200) == ["Ani Lestari"]
    assert wrap_lines("", width=50) == []
    long_word = "x" * 60
    pieces = wrap_lines(f"a {long_word} b", width=40, size=8)
    assert "".join(pieces[1:-1]) + pieces[-1].removesuffix(" b") == long_word and pieces[0] == "a"


def test_page_chunks_fill_the_first_page_and_the_others():
    assert page_chunks([10] * 25, first_space=95, page_space=100) == [(0, 9), (9, 19), (19, 25)]
    assert page_chunks([], first_space=50, page_space=100) == [(0, 0)]
    assert page_chunks([150, 10], first_space=50, page_space=100) == [(0, 1), (1, 2)]  # too tall: its own page


def test_a_long_agency_name_takes_two_balanced_lines_of_the_kop_in_portrait():
    class Kop(PdfReport):
        def story(self):
            return []

    name = "Lembaga Pengembangan dan Pemberdayaan Kepala Sekolah dan Pengawas Sekolah"
    content = Kop(letterhead=Letterhead(agency_name=name, parent="Kementerian Pendidikan")).render()
    lines = PdfReader(io.BytesIO(content)).pages[0].extract_text().splitlines()

    assert "LEMBAGA PENGEMBANGAN DAN PEMBERDAYAAN" in lines[1]
    assert "KEPALA SEKOLAH DAN PENGAWAS SEKOLAH" in lines[2]

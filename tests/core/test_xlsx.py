import io

from openpyxl import load_workbook

from core.xlsx import CHOICES_SHEET_TITLE, Column, Sheet, build_workbook, neutralise


def test_neutralise_quotes_formulas_but_keeps_phone_numbers():
    assert neutralise('=HYPERLINK("http://example.invalid")') == '\'=HYPERLINK("http://example.invalid")'
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0"
    assert neutralise("+6281234567890") == "+6281234567890"
    assert neutralise("+62 (812) 3456-7890") == "+62 (812) 3456-7890"
    assert neutralise("Budi") == "Budi" and neutralise(5) == 5


def test_short_lists_stay_inline_long_ones_go_to_a_hidden_sheet():
    long_choices = [f"Pilihan panjang nomor {n}" for n in range(30)]  # far more than 255 characters
    data = build_workbook(
        [
            Sheet("Data", [Column("Pendek", choices=["A", "B"]), Column("Panjang", choices=long_choices)]),
            Sheet("Petunjuk", [Column("Teks")], rows=[["Isi baris 2 dan seterusnya."]], wrap_text=True),
        ]
    )
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Data", "Petunjuk", CHOICES_SHEET_TITLE]
    formulas = {str(v.sqref): v.formula1 for v in workbook["Data"].data_validations.dataValidation}
    assert formulas["A2:A1000"] == '"A,B"'
    assert formulas["B2:B1000"] == f"'{CHOICES_SHEET_TITLE}'!$A$1:$A$30"
    hidden = workbook[CHOICES_SHEET_TITLE]
    assert hidden.sheet_state == "hidden"
    assert [cell.value for cell in hidden["A"]] == long_choices


def test_choices_with_commas_also_go_to_the_hidden_sheet():
    data = build_workbook([Sheet("Data", [Column("Site", choices=["Kota Kupang, NTT", "Bima"])])])
    workbook = load_workbook(io.BytesIO(data))
    [validation] = workbook["Data"].data_validations.dataValidation
    assert validation.formula1 == f"'{CHOICES_SHEET_TITLE}'!$A$1:$A$2"
    assert [cell.value for cell in workbook[CHOICES_SHEET_TITLE]["A"]] == ["Kota Kupang, NTT", "Bima"]

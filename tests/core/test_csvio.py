"""core.csvio's writer: what a spreadsheet would run as a formula arrives as text; numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest

from mueve.core import csvio

HYPERLINK = '=HYPERLINK("http://x","y")'


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize("text", [HYPERLINK, "+56 9 1234 5678", "-3", "-x", "@SUM(A1:A2)", "\tfoo", "\rfoo"])
def test_text_that_starts_a_formula_gets_a_leading_quote(text):
    assert _cells(csvio.write_rows([[text]])) == [["'" + text]]


@pytest.mark.parametrize("text", ["Concepción", "", "a=b", " =1", "'ya citado", "1-2", "100%"])
def test_other_text_is_left_alone(text):
    assert _cells(csvio.write_rows([[text]])) == [[text]]


def test_numbers_written_as_numbers_are_not_quoted_and_have_a_decimal_comma():
    # What Excel set to Spanish (es-CL) reads as these numbers: ";" between cells, "," before the decimals.
    assert csvio.write_rows([[-3, -0.5, Decimal("-0.500"), 0, 12]]) == "-3;-0,5;-0,5;0;12\r\n"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("14.000"), "14,0"),
        (Decimal("1.907"), "1,907"),
        (Decimal("7.450"), "7,45"),
        (14000, "14000"),
        (Decimal("14000.5"), "14000,5"),
        (2.5, "2,5"),
        (1e-7, "0,0000001"),
    ],
)
def test_number_text_is_what_a_spanish_spreadsheet_reads_as_that_number(value, text):
    assert csvio.number_text(value) == text


def test_xlsx_has_numeric_cells_and_text_that_never_runs_as_a_formula():
    from openpyxl import load_workbook

    data = csvio.xlsx_rows([["equipo", "puntaje"], [HYPERLINK, Decimal("14.000")], ["Despierta", -0.5]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ["equipo", "puntaje"]
    assert sheet["B2"].value == 14.0 and sheet["B2"].data_type == "n"
    assert sheet["B3"].value == -0.5 and sheet["B3"].data_type == "n"
    assert sheet["A2"].value == HYPERLINK and sheet["A2"].data_type == "s"


@pytest.mark.django_db
def test_import_reads_semicolons_commas_and_tabs_by_the_header():
    seen = []
    for text in ("a;b\nuno, dos;3,5\n", 'a,b\nuno;dos,"3,5"\n', "a\tb\nuno\t3,5\n"):
        seen.clear()
        report = csvio.import_rows(text, required_columns=["a", "b"], parse_row=seen.append, save_row=lambda _: True)
        assert report.ok, report.file_errors
        assert seen[0]["b"] == "3,5"


def test_none_is_an_empty_cell_and_other_objects_are_their_text():
    class Label:
        def __str__(self):
            return "=1+1"

    assert _cells(csvio.write_rows([[None, Label()]])) == [["", "'=1+1"]]


def test_quotes_commas_and_newlines_still_round_trip_through_a_csv_reader():
    text = csvio.write_rows([[HYPERLINK, 'dice "hola", y\nsigue']])
    assert text.startswith('"\'=HYPERLINK(""http://x"",""y"")";')
    assert _cells(text) == [["'" + HYPERLINK, 'dice "hola", y\nsigue']]


def test_export_rows_writes_the_header_then_values_in_column_order():
    rows = [{"b": "-1", "a": "uno", "extra": "ignorada"}, {"a": HYPERLINK}]
    assert _cells(csvio.export_rows(["a", "b"], rows)) == [["a", "b"], ["uno", "'-1"], ["'" + HYPERLINK, ""]]


def test_download_is_utf8_with_a_bom_as_an_attachment():
    response = csvio.download(csvio.write_rows([["Concepción", HYPERLINK]]), filename="datos.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="datos.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert _cells(response.content.decode("utf-8-sig")) == [["Concepción", "'" + HYPERLINK]]


def test_download_without_bom_when_asked():
    response = csvio.download("a;b\r\n", filename="datos.csv", bom=False)
    assert response.content == b"a;b\r\n"


@pytest.mark.parametrize("text", [HYPERLINK, "-x", "'ya citado", "'", "sin nada"])
def test_restore_cell_undoes_neutralise_cell(text):
    assert csvio.restore_cell(csvio.neutralise_cell(text)) == text


@pytest.mark.django_db
def test_an_exported_file_imports_back_with_the_original_text():
    exported = csvio.export_rows(["name", "note"], [{"name": HYPERLINK, "note": "-sin fórmula"}])
    saved = []
    report = csvio.import_rows(exported, required_columns=["name"], parse_row=dict, save_row=saved.append)
    assert report.ok
    assert saved == [{"name": HYPERLINK, "note": "-sin fórmula"}]

"""CSV downloads shared by every domain, safe to open in a spreadsheet."""
import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

# A cell starting with one of these is run as a formula by Excel/LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMULA_SIGNS = ("=", "+", "-", "@")


def safe_cell(value, decimal: str = ".") -> str:
    """Text of a cell, with a quote prefixed where a spreadsheet would see a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | float):
        # Numbers, negative ones included, stay numbers; "," in French spreadsheets.
        return str(value).replace(".", decimal)
    text = str(value)
    # Spreadsheets skip leading spaces (" =1+1" is still a formula).
    dangerous = text.startswith(FORMULA_PREFIXES) or text.lstrip().startswith(FORMULA_SIGNS)
    return "'" + text if dangerous else text


def unquoted_cell(text: str) -> str:
    """The value safe_cell wrote: its formula-guarding quote removed, nothing else."""
    if text.startswith("'") and safe_cell(text[1:]) == text:
        return text[1:]
    return text


# Spreadsheets read a CSV with their language's list separator and decimal mark.
CSV_DIALECTS = {"fr": (";", ","), "en": (",", ".")}


def csv_text(header: Sequence[str], rows: Iterable[Sequence], language: str = "") -> str:
    """CSV with a UTF-8 BOM so Excel shows accents correctly.

    With a language, numbers and separators follow it (French: « ; » and « 66,7 »);
    without one, the plain machine format (« , » and « 66.7 »).
    """
    delimiter, decimal = CSV_DIALECTS.get(language, (",", "."))
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n", delimiter=delimiter)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell, decimal) for cell in row])
    return buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence],
                 language: str = "") -> Response:
    """A CSV file download."""
    return Response(
        csv_text(header, rows, language), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                 "Content-Type": "text/csv; charset=utf-8"},
    )

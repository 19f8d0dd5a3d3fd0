"""The comparison as tables, written to CSV or XLSX (numbers stay numbers).

Each edition has two columns: the number (337, 200, 60; empty when unknown) and the figure
as the report gives it (« 337 », « 200+ », « ~60 », « — »), so no qualifier is lost.
"""
import io

from flask import Response
from flask_babel import gettext as _
from openpyxl import Workbook

from gstp.exports import csv_response
from gstp.stats.figures import figure_text, plain_number

# Excel shows these with the reader's own separators (« 1 131,5 » in French).
INTEGER, DECIMAL = "#,##0", "#,##0.0##"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _edition_cells(row: dict) -> list:
    """Per edition: the number, then the figure as reported."""
    cells = []
    for value, qualifier in zip(row["values"], row["qualifiers"], strict=True):
        cells += [plain_number(value), figure_text(value, qualifier)]
    return cells


def _edition_headers(years: list[str]) -> list[str]:
    headers = []
    for year in years:
        headers += [year, _("%(year)s (tel que rapporté)", year=year)]
    return headers


def _change_cells(row: dict) -> list:
    cells = []
    for item in row["changes"][1:]:
        cells.append(plain_number(item["absolute"]) if item["absolute"] is not None else "")
        if item["percent"] is not None:
            cells.append(plain_number(item["percent"]))
        else:
            cells.append(_("base nulle") if item["reason"] == "zero_base" else _("n. d."))
    return cells


def comparison_tables(comparison: dict) -> list[tuple[str, list, list[list]]]:
    """(sheet title, header, rows) for the main table, each breakdown and the density."""
    years = [e.short_label for e in comparison["editions"]]
    changes = []
    for before, after in zip(years, years[1:], strict=False):
        changes += [_("Écart %(a)s→%(b)s", a=before, b=after),
                    _("Variation %% %(a)s→%(b)s", a=before, b=after)]
    main = [[row["label"], row["group"], row["unit"], *_edition_cells(row), *_change_cells(row)]
            for row in comparison["rows"]]
    editions = _edition_headers(years)
    tables = [(_("Comparaison"),
               [_("Indicateur"), _("Groupe"), _("Unité"), *editions, *changes], main)]
    for table in comparison["tables"]:
        rows = [[row["label"], *_edition_cells(row), *_change_cells(row)]
                for row in table["rows"]]
        tables.append((table["title"][:31], [_("Valeur"), *editions, *changes], rows))
    density = [[d["name"], d["code"], d["population"], *d["values"]]
               for d in comparison["density"]]
    tables.append((_("Pour %(base)s habitants", base=figure_text(comparison["rate_base"])),
                   [_("Région"), _("Code"), _("Population"), *years], density))
    return tables


def comparison_csv(comparison: dict, filename: str, language: str = "fr") -> Response:
    """Every table in one CSV, each row tagged with its table, numbers as in `language`."""
    tables = comparison_tables(comparison)
    width = max(len(header) for _t, header, _r in tables)
    rows = []
    for title, header, body in tables:
        rows.append([title, *header] + [""] * (width - len(header)))
        rows += [[title, *row] for row in body]
    return csv_response(filename, [_("Tableau")] + [""] * width, rows, language)


def _cell_value(value):
    """Numbers as numbers; anything else as text, so a "=…" string is never a formula."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return str(value), "s"
    if isinstance(value, int | float):
        return plain_number(value), "n"
    return str(value), "s"


def comparison_xlsx(comparison: dict, filename: str) -> Response:
    """One sheet per table."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, body in comparison_tables(comparison):
        sheet = workbook.create_sheet(_sheet_title(title))
        for row in [header, *body]:
            sheet.append([None] * len(row))
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=sheet.max_row, column=column)
                cell.value, data_type = _cell_value(value)
                if data_type:
                    cell.data_type = data_type  # openpyxl would read "=…" as a formula
                if data_type == "n":
                    cell.number_format = INTEGER if isinstance(cell.value, int) else DECIMAL
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Response(buffer.getvalue(), mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _sheet_title(title: str) -> str:
    """Excel forbids some characters in sheet titles and more than 31 of them."""
    for char in "[]:*?/\\\u202f\u00a0":  # no-break spaces too: formulas name the sheet
        title = title.replace(char, " ")
    return title[:31]

"""An .xlsx under 2 MB that unpacks to gigabytes is refused before anything is parsed."""
import io
import resource
import zipfile

import pytest
from openpyxl import Workbook

from gstp.activities.models import Activity
from gstp.activities.spreadsheet import COLUMNS, MAX_UNPACKED_BYTES
from gstp.extensions import db
from tests.activities.helpers import open_edition
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _imports_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORTS_DIR", str(tmp_path / "imports"))


def _workbook_with_one_huge_cell(size: int) -> bytes:
    """The template's headers, then one cell of `size` letters written inline in the sheet."""
    book = Workbook()
    book.active.append([c.french for c in COLUMNS])
    plain = io.BytesIO()
    book.save(plain)
    source, out = zipfile.ZipFile(plain), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(item, data)
                continue
            head, rest = data.split(b"</sheetData>", 1)
            with archive.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(head + b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
                for _ in range(size // 2**20):
                    sheet.write(b"A" * 2**20)
                sheet.write(b"</t></is></c></row></sheetData>" + rest)
    return out.getvalue()


def test_a_workbook_unpacking_past_the_limit_is_refused_cheaply(client, as_user):
    open_edition()
    as_user(UserFactory())
    data = _workbook_with_one_huge_cell(MAX_UNPACKED_BYTES + 2**20)
    assert len(data) < 2**20  # far under the 2 MB upload limit
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    response = client.post("/mes-activites/importer", data={"file": (io.BytesIO(data), "a.xlsx")},
                           content_type="multipart/form-data")

    assert response.status_code == 400
    assert "trop volumineux une fois décompressé" in response.get_data(as_text=True)
    # Parsed, the cell alone would hold MAX_UNPACKED_BYTES in memory (KiB on Linux).
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown * 1024 < MAX_UNPACKED_BYTES / 2
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 0

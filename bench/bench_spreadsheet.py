"""Spreadsheet import on PostgreSQL: a 500-row file (the limit) read, checked and submitted,
in an edition already holding 2,000 activities of the same organization's region.

Timed: reading the XLSX and the CSV; checking every row (the activity form's rules, the
offline place, likely duplicates); submitting every row in one transaction. Memory: the
peak Python allocation while reading the XLSX in read_only mode (what the upload does),
against the same file loaded whole (the baseline, measured in the same run).
Run with `make bench ONLY=spreadsheet`.
"""
import csv
import io
import time
import tracemalloc
from datetime import timedelta

from openpyxl import Workbook, load_workbook

from bench.support import app_config, bench_database

ROWS, EXISTING = 500, 2_000
MUNICIPALITIES = ["Québec", "Lévis", "Montréal", "Gatineau", "Sherbrooke", "Rimouski"]


def _rows(edition) -> list[list[str]]:
    from gstp.activities.spreadsheet import COLUMNS, example_row

    rows = []
    for n in range(ROWS):
        row = dict(zip([c.key for c in COLUMNS], example_row(edition.starts_on), strict=True))
        day = edition.starts_on + timedelta(days=n % 7)
        row.update(title=f"Heure du conte no {n}", municipality=MUNICIPALITIES[n % 6],
                   date=day.strftime("%d/%m/%Y"), starts=f"{9 + n % 8}:00",
                   ends=f"{10 + n % 8}:30")
        rows.append([row[c.key] for c in COLUMNS])
    return rows


def _files(edition) -> tuple[bytes, bytes]:
    from gstp.activities.spreadsheet import template_headers

    book = Workbook()
    book.active.append(template_headers())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(template_headers())
    for row in _rows(edition):
        book.active.append(row)
        writer.writerow(row)
    xlsx = io.BytesIO()
    book.save(xlsx)
    return xlsx.getvalue(), out.getvalue().encode()


def _peak_kib(function) -> float:
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024


def _timed(label: str, function):
    started = time.perf_counter()
    result = function()
    print(f"{label}: {(time.perf_counter() - started) * 1000:.0f} ms")
    return result


def _fill(db):
    from tests.factories import ActivityFactory, EditionFactory, UserFactory

    edition = EditionFactory(year=2030)
    user = UserFactory()
    db.session.add_all([ActivityFactory.build(edition=edition, organization=user.organization,
                                              title=f"Activité existante {n}")
                        for n in range(EXISTING)])
    db.session.commit()
    return edition, user


def main() -> None:
    from flask_migrate import upgrade

    from gstp import create_app
    from gstp.activities import spreadsheet_import as imports
    from gstp.activities.spreadsheet import read_spreadsheet
    from gstp.extensions import db
    from gstp.geo.reference import load_reference_data

    with bench_database("gstp_bench_import") as url:
        app = create_app(app_config(url, WTF_CSRF_ENABLED=False))
        with app.app_context():
            upgrade()
            load_reference_data()
            db.session.commit()
            edition, user = _fill(db)
            xlsx, text = _files(edition)
            print(f"{ROWS} rows: XLSX {len(xlsx) // 1024} KiB, CSV {len(text) // 1024} KiB; "
                  f"{EXISTING} activities already in the edition")
            rows = _timed("read XLSX (read_only)", lambda: read_spreadsheet("a.xlsx", xlsx))
            _timed("read CSV", lambda: read_spreadsheet("a.csv", text))
            streamed = _peak_kib(lambda: read_spreadsheet("a.xlsx", xlsx))
            whole = _peak_kib(lambda: list(load_workbook(io.BytesIO(xlsx)).active.values))
            print(f"peak memory reading the XLSX: {streamed:.0f} KiB read_only, "
                  f"{whole:.0f} KiB loaded whole (baseline)")
            with app.test_request_context("/mes-activites/importer", method="POST"):
                checked = _timed("check every row (preview)", lambda: imports.check_rows(
                    rows, edition=edition, organization_id=user.organization_id))
                print(f"rows ready: {sum(r.valid for r in checked)} of {len(checked)}")
                created = _timed("submit every row in one transaction", lambda: (
                    imports.submit_rows(rows=checked, organization=user.organization,
                                        edition=edition, actor=user, token="0" * 32,
                                        filename="a.xlsx"), db.session.commit())[0])
                print(f"activities created: {len(created)}")
            db.session.remove()
            db.engine.dispose()

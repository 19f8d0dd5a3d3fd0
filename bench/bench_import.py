"""Officials import review on PostgreSQL: the built-in directory (~8,000 rows) uploaded as staff.

Two cases, each the real review through the Flask test client (parse, import, report page,
roll back): into an empty directory (every seat added) and into the loaded directory
(every seat compared). Target: both well under gunicorn's 30 s timeout, 3× faster than
the 8.8 s first measured. Run with `make bench ONLY=import`.
"""
import csv
import io
import statistics
import time

from bench.support import app_config, bench_database

REPEAT = 3


def _builtin_csv() -> tuple[str, int]:
    from gstp.letters.builtin_officials import (
        builtin_councillor_rows,
        builtin_mayor_rows,
        builtin_mna_rows,
    )
    from gstp.letters.directory import CSV_COLUMNS

    rows = builtin_mayor_rows() + builtin_councillor_rows() + builtin_mna_rows()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue(), len(rows)


def _review(client, text: str) -> float:
    started = time.perf_counter()
    response = client.post("/lettres/elus/import", data={
        "fichier": (io.BytesIO(text.encode()), "elus.csv")},
        content_type="multipart/form-data")
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"review answered {response.status_code}")
    return elapsed


def main() -> None:
    from flask_migrate import upgrade

    from gstp import create_app
    from gstp.extensions import db
    from gstp.geo.reference import load_reference_data
    from gstp.letters.directory import import_officials, read_csv
    from gstp.organizations.models import UserRole
    from gstp.organizations.services import create_user

    with bench_database("gstp_bench_import") as url:
        app = create_app(app_config(url, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False))
        with app.app_context():
            upgrade()
            load_reference_data()
            create_user(email="equipe@bench.example", password="mot de passe du banc",  # noqa: S106
                        role=UserRole.STAFF, verified=True)
            db.session.commit()
            text, count = _builtin_csv()
        client = app.test_client()
        client.post("/connexion", data={"email": "equipe@bench.example",
                                        "password": "mot de passe du banc"})
        empty = [_review(client, text) for _ in range(REPEAT)]
        with app.app_context():
            import_officials(rows=read_csv(text))
            db.session.commit()
        loaded = [_review(client, text) for _ in range(REPEAT)]
        print(f"{count} rows; review into an empty directory: median "
              f"{statistics.median(empty):.2f} s; into the loaded directory: median "
              f"{statistics.median(loaded):.2f} s (best of {REPEAT}: "
              f"{min(empty):.2f} s, {min(loaded):.2f} s)")

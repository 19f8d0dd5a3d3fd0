"""Exporting the directory and importing the same file back changes nothing, by either path."""
import io

import sqlalchemy as sa

from gstp.exports import safe_cell, unquoted_cell
from gstp.extensions import db
from gstp.letters.directory import CSV_COLUMNS
from gstp.letters.models import ElectedOfficial
from tests.factories import StaffFactory


def _state() -> dict:
    columns = ("civility", "civility_guessed", "title", "full_name", "party", "email",
               "postal_address", "office_address", "phone", "salutation", "verified",
               "source", "active")
    return {(o.level, o.seat_code): tuple(getattr(o, c) for c in columns)
            for o in db.session.scalars(sa.select(ElectedOfficial))}


def test_the_formula_quote_is_exactly_undone():
    for text in ("+15145551212", "=SOMME(A1)", "-5", "@maire", " =1+1", "'déjà cité",
                 "Bruno Marchand", "", "'"):
        assert unquoted_cell(safe_cell(text)) == text
    assert unquoted_cell("'Aujourd'hui") == "'Aujourd'hui"  # not a guard: kept


def test_builtin_directory_round_trip_through_the_command_and_the_web(client, as_user, runner,
                                                                      tmp_path):
    assert runner.invoke(args=["gstp", "import-officials", "--builtin"]).exit_code == 0
    quebec = db.session.scalar(sa.select(ElectedOfficial).where(
        ElectedOfficial.seat_code == "23027"))
    quebec.phone, quebec.party = "+1 418 641-6010", "=Équipe Marchand"
    db.session.commit()
    before = _state()
    guessed = sum(1 for values in before.values() if values[1])
    assert guessed > 1000

    as_user(StaffFactory())
    exported = client.get("/lettres/elus.csv").get_data(as_text=True)
    assert exported.lstrip("\ufeff").startswith(",".join(CSV_COLUMNS))
    assert "'+1 418 641-6010" in exported and "'=Équipe Marchand" in exported
    path = tmp_path / "elus.csv"
    path.write_text(exported, encoding="utf-8")

    result = runner.invoke(args=["gstp", "import-officials", str(path)])
    assert result.exit_code == 0, result.output
    assert "Ajoutés : 0, mis à jour : 0," in result.output, result.output
    assert _state() == before

    # The web form takes 1 MiB: one region's officials, the others kept.
    regional = client.get("/lettres/elus.csv?region=03").get_data(as_text=True)
    assert "'+1 418 641-6010" in regional
    review = client.post("/lettres/elus/import", content_type="multipart/form-data", data={
        "fichier": (io.BytesIO(regional.encode()), "elus.csv"),
        "keep_missing": "y"}).get_data(as_text=True)
    summary = review[review.index('id="import-summary"'):review.index("</table>")]
    counts = [cell.split("<")[0] for cell in summary.split("<td>")[1:]]
    assert counts[:2] == ["0", "0"]  # added, updated
    content = review.split('<textarea name="content" hidden aria-hidden="true">')[1]
    content = content.split("</textarea>")[0].replace("&#34;", '"').replace(
        "&#39;", "'").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    assert client.post("/lettres/elus/import", data={
        "confirm": "1", "filename": "elus.csv", "content": content,
        "keep_missing": "y"}).status_code == 302
    assert _state() == before
    db.session.expire_all()
    assert db.session.get(ElectedOfficial, quebec.id).phone == "+1 418 641-6010"

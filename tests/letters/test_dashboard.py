"""Officials reached and letters sent are counted apart, per level and region."""
from gstp.extensions import db
from gstp.letters.letter_figures import coverage
from gstp.letters.models import Letter, LetterStatus, TargetLevel
from gstp.letters.services import change_status, generate_letters
from gstp.stats import queries as stats_queries
from tests.factories import EditionFactory, StaffFactory
from tests.letters.helpers import campaign, mayor, mna


def _two_campaigns_to_the_same_mnas():
    """Hand count: 2 MNAs (regions 03, 08) written to twice = 4 letters; one answered both
    times; 1 mayor (03) written to once."""
    staff, edition = StaffFactory(), EditionFactory(year=2026)
    first, second = mna("767", "Député Charlesbourg"), mna("689", "Député Abitibi-Est")
    mayor("23027", "Mairesse Québec")
    for target in (TargetLevel.PROVINCIAL, TargetLevel.PROVINCIAL, TargetLevel.MUNICIPAL):
        generate_letters(campaign=campaign(edition, target=target), actor=staff)
    for letter in db.session.scalars(db.select(Letter)):
        change_status(letter=letter, status=LetterStatus.SENT, actor=staff)
        if letter.official_id == first.id:
            change_status(letter=letter, status=LetterStatus.ANSWERED, actor=staff)
    db.session.commit()
    return edition, second


def test_officials_and_letters_counted_apart(client, as_user):
    edition, _second = _two_campaigns_to_the_same_mnas()
    figures = {row["key"]: row for row in coverage(edition.id)["level"]}
    provincial = figures["provincial"]
    assert (provincial["officials"], provincial["sent"]) == (2, 4)
    assert (provincial["officials_answered"], provincial["answered"]) == (1, 2)
    assert provincial["rate"] == 50.0  # officials who answered over officials reached
    by_region_level = {row["key"]: row for row in coverage(edition.id)["region_level"]}
    assert by_region_level["03:provincial"]["officials"] == 1
    assert by_region_level["03:provincial"]["sent"] == 2
    assert by_region_level["03:municipal"]["sent"] == 1
    assert by_region_level["08:provincial"]["officials_answered"] == 0
    totals = stats_queries.computed_figures([edition.id])["totals"]
    assert totals["letters_provincial_officials"][edition.id] == 2
    assert totals["letters_provincial_sent"][edition.id] == 4
    assert totals["letters_municipal_officials"][edition.id] == 1
    as_user(StaffFactory())
    page = client.get(f"/lettres/?edition={edition.id}").get_data(as_text=True)
    table = page[page.index('aria-labelledby="coverage-region_level"'):]
    table = table[:table.index("</table>")]
    assert "Capitale-Nationale" in table and "Élus joints" in table

"""A letter that came back reached no one: neither sent nor reached, and out of the rate."""
import re

from gstp.extensions import db
from gstp.letters.letter_figures import coverage
from gstp.letters.models import Letter, LetterStatus
from gstp.letters.services import change_status, generate_letters
from gstp.stats import queries as stats_queries
from tests.factories import EditionFactory, StaffFactory
from tests.letters.helpers import campaign, mayor


def test_returned_letters_count_neither_as_sent_nor_reached(client, as_user):
    """Hand count: 4 mayors written to; 1 letter returned, 1 answered: 3 delivered letters,
    3 officials reached, 1 of them answered (33,3 %), 1 returned."""
    staff, edition = StaffFactory(), EditionFactory(year=2026)
    names = {"23027": "Québec", "66023": "Montréal", "94068": "Saguenay", "43027": "Sherbrooke"}
    officials = [mayor(code, f"Maire de {name}") for code, name in names.items()]
    generate_letters(campaign=campaign(edition), actor=staff)
    letters = {letter.official_id: letter for letter in db.session.scalars(db.select(Letter))}
    for letter in letters.values():
        change_status(letter=letter, status=LetterStatus.SENT, actor=staff)
    change_status(letter=letters[officials[0].id], status=LetterStatus.BOUNCED, actor=staff)
    change_status(letter=letters[officials[1].id], status=LetterStatus.ANSWERED, actor=staff)
    db.session.commit()
    [municipal] = coverage(edition.id)["level"]
    assert (municipal["sent"], municipal["officials"], municipal["returned"]) == (3, 3, 1)
    assert (municipal["answered"], municipal["rate"]) == (1, 33.3)
    totals = stats_queries.computed_figures([edition.id])["totals"]
    assert totals["letters_municipal_sent"][edition.id] == 3
    assert totals["letters_municipal_officials"][edition.id] == 3
    as_user(staff)
    page = client.get(f"/lettres/?edition={edition.id}").get_data(as_text=True)
    table = page[page.index('aria-labelledby="coverage-level"'):]
    table = table[:table.index("</table>")]
    cells = re.findall(r"<td>([^<]*)</td>", table)
    # Rate, replies, officials who answered, reached, sent, returned.
    assert cells == ["33,3 %", "1", "1", "3", "3", "1"]

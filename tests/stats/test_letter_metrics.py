"""Letters sent and answered by level feed the edition comparison (letters → stats)."""
from gstp.extensions import db
from gstp.letters.models import Letter, LetterStatus, TargetLevel
from gstp.letters.services import change_status, generate_letters
from gstp.stats import queries
from gstp.stats.computed_metrics import COMPUTED_METRICS
from tests.factories import EditionFactory, StaffFactory
from tests.letters.helpers import campaign, mayor, mna


def _letters(campaign_):
    return db.session.scalars(db.select(Letter).where(Letter.campaign_id == campaign_.id)
                              .order_by(Letter.id)).all()


def test_letters_by_level_in_computed_figures(app):
    staff = StaffFactory()
    edition = EditionFactory(year=2026)
    mayor("23027", "Mairesse de Québec")          # region 03
    mayor("66023", "Mairesse de Montréal")        # region 06
    mayor("23057", "Maire de L'Ancienne-Lorette")  # region 03
    mna("689", "Député d'Abitibi-Est")            # region 08
    municipal = campaign(edition, target=TargetLevel.MUNICIPAL)
    provincial = campaign(edition, target=TargetLevel.PROVINCIAL)
    generate_letters(campaign=municipal, actor=staff)
    generate_letters(campaign=provincial, actor=staff)
    municipal_letters, provincial_letters = _letters(municipal), _letters(provincial)
    # Hand count: 3 mayors written to, 2 sent, 1 of them answered; 1 MNA sent, none answered.
    change_status(letter=municipal_letters[0], status=LetterStatus.SENT, actor=staff)
    change_status(letter=municipal_letters[0], status=LetterStatus.ANSWERED, actor=staff)
    change_status(letter=municipal_letters[1], status=LetterStatus.SENT, actor=staff)
    change_status(letter=provincial_letters[0], status=LetterStatus.SENT, actor=staff)
    db.session.commit()

    totals = queries.computed_figures([edition.id])["totals"]
    assert totals["letters_municipal_sent"][edition.id] == 2
    assert totals["letters_municipal_answered"][edition.id] == 1
    assert totals["letters_provincial_sent"][edition.id] == 1
    assert totals["letters_provincial_answered"][edition.id] == 0
    keys = [key for key, _label, _group in COMPUTED_METRICS]
    assert "letters_municipal_sent" in keys and "letters_provincial_answered" in keys

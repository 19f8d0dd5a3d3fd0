"""A letter sent by e-mail shows where its e-mail stands: waiting, delivered or given up."""
from gstp.extensions import db
from gstp.letters.models import Letter
from gstp.letters.services import generate_letters
from gstp.mail.models import OutboxMessage, OutboxStatus
from gstp.mail.worker import send_pending
from tests.factories import EditionFactory, StaffFactory
from tests.letters.helpers import campaign, mayor


def _delivery(client, letter_id: int) -> str:
    page = client.get(f"/lettres/lettre/{letter_id}").get_data(as_text=True)
    assert 'id="letter-delivery"' in page
    return page[page.index('id="letter-delivery"'):].split("</dl>")[0]


def test_the_letter_page_follows_its_e_mail_through_the_outbox(client, as_user, smtp_down):
    mayor("23027", "Marie-Josée Savard", email="mairesse@ville.example")
    letters_campaign = campaign(EditionFactory(year=2026))
    staff = StaffFactory()
    generate_letters(campaign=letters_campaign, actor=staff)
    db.session.commit()
    letter_id = db.session.scalar(db.select(Letter.id))
    as_user(staff)
    assert client.get(f"/lettres/lettre/{letter_id}").status_code == 200

    client.post(f"/lettres/lettre/{letter_id}/envoyer", data={"channel": "email"})
    assert "En attente" in _delivery(client, letter_id)

    assert send_pending() == {"sent": 0, "retry": 1, "failed": 0}  # nothing listens
    waiting = _delivery(client, letter_id)
    assert "En attente" in waiting and "Dernière erreur" in waiting
    message = db.session.scalar(db.select(OutboxMessage))
    assert "refused" in message.last_error.lower() or "111" in message.last_error

    message.status = OutboxStatus.FAILED  # as the worker leaves it after its last attempt
    db.session.commit()
    given_up = _delivery(client, letter_id)
    assert "Échec" in given_up and f"/equipe/courriels/{message.id}" in given_up


def test_sending_says_the_e_mail_is_queued_or_the_letter_went_by_post(client, as_user):
    mayor("23027", "Marie-Josée Savard", email="mairesse@ville.example")
    mayor("66023", "Martin Fréchette", email="maire@ville.example", civility="monsieur")
    letters_campaign = campaign(EditionFactory(year=2026))
    staff = StaffFactory()
    generate_letters(campaign=letters_campaign, actor=staff)
    db.session.commit()
    by_email, by_post = db.session.scalars(db.select(Letter.id).order_by(Letter.id)).all()
    as_user(staff)

    page = client.post(f"/lettres/lettre/{by_email}/envoyer", data={"channel": "email"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Lettre mise en file d&#39;envoi par courriel" in page
    assert "En attente" in _delivery(client, by_email)  # not yet sent: the page says so

    page = client.post(f"/lettres/lettre/{by_post}/envoyer", data={"channel": "post"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Lettre marquée comme envoyée par la poste." in page
    assert "Lettre envoyée." not in page

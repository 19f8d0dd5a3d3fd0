"""Elected officials: the public source of each contact detail, and « ne pas contacter »."""
import pytest
import sqlalchemy as sa

from gstp.extensions import db
from gstp.letters.directory import import_officials, read_csv
from gstp.letters.models import ElectedOfficial, Letter, LetterChannel
from gstp.letters.services import generate_letters, invite_official
from gstp.mail.models import OutboxMessage
from tests.factories import ActivityFactory, EditionFactory, StaffFactory, UserFactory
from tests.letters.helpers import campaign, mayor

CSV = ("level,seat_code,full_name,email,phone,source\n"
       "municipal,23027,Bruno Marchand,maire@ville.quebec.example,418 641-6000,"
       "Site de la Ville de Québec\n")


def test_the_import_records_the_source_of_each_contact_detail_and_staff_see_it(client,
                                                                                as_user):
    import_officials(rows=read_csv(CSV), deactivate_missing=False)
    db.session.commit()
    official = db.session.scalar(sa.select(ElectedOfficial))
    assert official.contact_sources == {"email": "Site de la Ville de Québec",
                                        "phone": "Site de la Ville de Québec"}
    as_user(StaffFactory())
    html = client.get(f"/lettres/elus/{official.id}").get_data(as_text=True)
    assert html.count("Source : Site de la Ville de Québec") >= 2
    assert 'name="do_not_email"' in html

    response = client.post(f"/lettres/elus/{official.id}", data={
        "full_name": "Bruno Marchand", "email": "maire@ville.quebec.example", "active": "y",
        "email_source": "Répertoire des municipalités (MAMH)", "do_not_email": "y"})
    assert response.status_code == 302
    official = db.session.get(ElectedOfficial, official.id)
    assert official.do_not_email
    assert official.contact_sources == {"email": "Répertoire des municipalités (MAMH)"}
    listing = client.get("/lettres/elus").get_data(as_text=True)
    assert "Ne pas contacter par courriel" in listing


def test_campaigns_and_invitations_respect_do_not_email(app):
    edition = EditionFactory(year=2026)
    asked = mayor("23027", "Bruno Marchand")
    asked.do_not_email = True
    open_to_mail = mayor("10043", "Guy Caron")
    db.session.commit()
    letters = campaign(edition)
    generate_letters(campaign=letters, actor=None)
    db.session.commit()
    channels = dict(db.session.execute(sa.select(Letter.official_id, Letter.channel)).all())
    assert channels == {asked.id: LetterChannel.POST, open_to_mail.id: LetterChannel.EMAIL}

    activity = ActivityFactory(edition=edition)
    with pytest.raises(ValueError):
        invite_official(official=asked, activity=activity, actor=UserFactory())
    assert db.session.scalar(sa.select(OutboxMessage)) is None

"""Look-alike activities: warned while submitting, marked in the moderation queue."""
from datetime import timedelta
from html import unescape

from gstp.activities.duplicates import duplicates_of
from gstp.activities.models import Activity, ActivityState
from gstp.activities.moderation import set_state
from gstp.extensions import db
from gstp.organizations.similarity import similar_names
from tests.activities.helpers import form_data, open_edition
from tests.factories import OrganizationFactory, StaffFactory, UserFactory


def _count():
    return db.session.scalar(db.select(db.func.count(Activity.id)))


def test_names_are_compared_without_accents_case_or_punctuation():
    assert similar_names("Heure du conte", "L'HEURE DU CONTE !")
    assert similar_names("Fête de la famille", "Fete de la Famille 2026")
    assert similar_names("Maison de la famille de Québec", "Maison de la Famille de Quebec inc.")
    assert not similar_names("Heure du conte", "Heure des parents")
    assert not similar_names("Atelier parents-enfants 1", "Atelier parents-enfants 2")
    assert not similar_names("Fête", "Fête de quartier au parc Victoria")
    assert not similar_names("", "Heure du conte")


def test_submitting_a_look_alike_warns_then_accepts_the_confirmation(client, as_user):
    edition = open_edition()
    user = UserFactory()
    as_user(user)
    assert client.post("/mes-activites/nouvelle", data=form_data(edition)).status_code == 302
    [first] = db.session.scalars(db.select(Activity)).all()
    again = form_data(edition, title="L'heure du conte des tout-petits!",
                      submission_token="jeton-2")
    response = client.post("/mes-activites/nouvelle", data=again)
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and _count() == 1
    assert "Cette activité ressemble à une activité déjà inscrite à cette édition :" in html
    assert f'href="/mes-activites/{first.id}/modifier">« {first.title} »</a>' in html
    assert 'name="not_duplicate"' in html and "C'est une autre activité" in html
    assert 'value="L\'heure du conte des tout-petits!"' in html  # the input is kept
    response = client.post("/mes-activites/nouvelle", data=again | {"not_duplicate": "y"})
    assert response.status_code == 302 and _count() == 2


def test_other_municipality_day_or_title_is_no_duplicate(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    client.post("/mes-activites/nouvelle", data=form_data(edition))
    later = (edition.starts_on + timedelta(days=4)).isoformat()
    for n, overrides in enumerate([{"occurrences-0-day": later},
                                   {"title": "Atelier de cuisine en famille"}]):
        response = client.post("/mes-activites/nouvelle",
                               data=form_data(edition, submission_token=f"t{n}", **overrides))
        assert response.status_code == 302, overrides
    # Another organization in the same municipality is warned too.
    other = UserFactory(organization=OrganizationFactory())
    client.post("/deconnexion")
    as_user(other)
    response = client.post("/mes-activites/nouvelle",
                           data=form_data(edition, submission_token="autre"))
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "déjà inscrite" in html
    assert "« Heure du conte des tout-petits » (en attente d'approbation)" in html
    first = db.session.scalars(db.select(Activity).order_by(Activity.id)).first()
    set_state(activity=first, state=ActivityState.PUBLISHED, actor=None)
    db.session.commit()
    html = unescape(client.post("/mes-activites/nouvelle",
                                data=form_data(edition, submission_token="autre"))
                    .get_data(as_text=True))
    assert f'<a href="/activites/{first.id}">« Heure du conte des tout-petits »</a>' in html


def test_moderation_marks_duplicates_and_refuses_as_duplicate(client, as_user):
    edition = open_edition()
    organizer = UserFactory()
    as_user(organizer)
    client.post("/mes-activites/nouvelle", data=form_data(edition))
    client.post("/mes-activites/nouvelle",
                data=form_data(edition, submission_token="t2", not_duplicate="y"))
    first, second = db.session.scalars(db.select(Activity).order_by(Activity.id)).all()
    assert duplicates_of(second) == [first] and duplicates_of(first) == [second]
    client.post("/deconnexion")
    as_user(StaffFactory())
    html = unescape(client.get("/equipe/moderation").get_data(as_text=True))
    assert "doublon probable" in html
    assert f'href="/mes-activites/{first.id}/modifier"' in html
    assert "Refuser comme doublon" in html
    reason = f"Cette activité est un doublon de « {first.title} » (n° {first.id}), déjà inscrite."
    assert f'<input type="hidden" name="reason" value="{reason}">' in html
    response = client.post(f"/equipe/moderation/{second.id}/refuser",
                           data={"reason": reason, "next": "/equipe/moderation"})
    assert response.status_code == 302
    db.session.refresh(second)
    assert second.state is ActivityState.REJECTED and "doublon" in second.rejection_reason
    set_state(activity=first, state=ActivityState.PUBLISHED, actor=None)
    db.session.commit()
    assert duplicates_of(first) == []  # a refused look-alike no longer counts

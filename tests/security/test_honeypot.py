"""The honeypot mixin on a sample form served by a real route."""
import time

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from gstp import create_app
from gstp.config import TestConfig
from gstp.security.honeypot import HoneypotMixin, form_started_token
from tests.conftest import _config_dict

REJECTED = "Votre envoi n'a pas pu être accepté"


class SampleForm(HoneypotMixin, FlaskForm):
    """A public form as other domains will write it."""

    name = StringField("Nom", validators=[DataRequired("Indiquez un nom.")])


PAGE = """{% from "security/honeypot.html" import honeypot %}
<form method="post">{{ form.hidden_tag() }}{{ honeypot(form) }}{{ form.name() }}</form>
{{ 'ACCEPTED' if accepted else '' }}"""


@pytest.fixture(scope="module")
def sample_app(database_url):
    """An app of its own with one sample route (the shared one is already serving)."""
    application = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": database_url,
                              "HONEYPOT_MIN_SECONDS": 3, "HONEYPOT_ENABLED": True})

    @application.route("/_essai-pot", methods=["GET", "POST"])
    def sample():
        form = SampleForm()
        accepted = form.validate_on_submit()
        return render_template_string(PAGE, form=form, accepted=accepted)

    return application


@pytest.fixture
def client(sample_app):
    return sample_app.test_client()


def _started(seconds_ago: float) -> str:
    with_time = time.time() - seconds_ago
    return form_started_token(with_time)


def test_form_renders_hidden_trap_for_people(sample_app, client):
    html = client.get("/_essai-pot").get_data(as_text=True)
    assert 'name="homepage"' in html and 'tabindex="-1"' in html and 'autocomplete="off"' in html
    assert "Laisser ce champ vide" in html  # label read by screen readers
    assert 'class="visually-hidden"' in html
    assert 'name="form_started" type="hidden"' in html


def test_person_who_took_time_is_accepted(sample_app, client):
    with sample_app.test_request_context():
        token = _started(10)
    html = client.post("/_essai-pot", data={"name": "Ana", "homepage": "",
                                            "form_started": token}).get_data(as_text=True)
    assert "ACCEPTED" in html and REJECTED not in html


def test_filled_trap_is_rejected_with_generic_message(sample_app, client):
    with sample_app.test_request_context():
        token = _started(10)
    html = client.post("/_essai-pot", data={"name": "Bot", "homepage": "http://spam.example",
                                            "form_started": token}).get_data(as_text=True)
    assert "ACCEPTED" not in html and REJECTED in html
    assert 'role="alert"' in html


def test_too_fast_submission_is_rejected(sample_app, client):
    with sample_app.test_request_context():
        token = _started(0.5)
    html = client.post("/_essai-pot", data={"name": "Bot", "form_started": token}
                       ).get_data(as_text=True)
    assert "ACCEPTED" not in html and REJECTED in html


@pytest.mark.parametrize("token", ["", "1700000000", "eyJ0ZXN0IjoxfQ.forged"])
def test_missing_or_forged_time_is_rejected(sample_app, client, token):
    html = client.post("/_essai-pot", data={"name": "Bot", "form_started": token}
                       ).get_data(as_text=True)
    assert "ACCEPTED" not in html and REJECTED in html


def test_rejection_and_label_in_english(client):
    html = client.post("/_essai-pot?lang=en", data={"name": "Bot", "homepage": "x"}
                       ).get_data(as_text=True)
    assert "Your submission could not be accepted." in html
    assert "Leave this field empty" in html


def test_signup_form_carries_the_trap_and_refuses_a_filled_one(app):
    """The real sign-up page: a robot filling the hidden field creates nothing."""
    from gstp.extensions import db
    from gstp.organizations.models import User

    client = app.test_client()  # this module's `client` serves the sample app
    app.config["HONEYPOT_ENABLED"] = True
    try:
        html = client.get("/inscription").get_data(as_text=True)
        assert 'name="homepage"' in html and 'name="form_started"' in html
        response = client.post("/inscription", data={
            "homepage": "http://spam.example", "form_started": "forged",
            "email": "robot@spam.example", "password": "motdepasse-robot-1",
        })
    finally:
        app.config["HONEYPOT_ENABLED"] = False
    assert response.status_code == 200
    assert "n'a pas pu être accepté" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "robot@spam.example")) is None


def test_signed_in_edit_right_after_opening_the_form_is_accepted(app, as_user):
    """Behind a login the time trap is off: saving an edit at once is not refused."""
    from gstp.extensions import db
    from tests.activities.helpers import form_data, open_edition
    from tests.factories import ActivityFactory, UserFactory

    edition = open_edition()
    user = UserFactory()
    activity = ActivityFactory(edition=edition, organization=user.organization)
    client = as_user(user)
    app.config.update(HONEYPOT_ENABLED=True, HONEYPOT_MIN_SECONDS=3)
    try:
        html = client.get(f"/mes-activites/{activity.id}/modifier").get_data(as_text=True)
        response = client.post(f"/mes-activites/{activity.id}/modifier",
                               data=form_data(edition, title="Conte modifié tout de suite"))
    finally:
        app.config.update(HONEYPOT_ENABLED=False, HONEYPOT_MIN_SECONDS=0)
    assert 'name="homepage"' not in html
    assert response.status_code == 302
    assert response.headers["Location"] == "/mes-activites"
    db.session.refresh(activity)
    assert activity.title == "Conte modifié tout de suite"


def test_signed_in_person_passes_a_shared_form_that_anonymous_robots_fail(app, sample_app, client):
    """The mixin itself skips its checks once someone is signed in (no time token here)."""
    from tests.conftest import login
    from tests.factories import UserFactory

    user = UserFactory()
    assert "ACCEPTED" not in client.post("/_essai-pot", data={"name": "Ana"}).get_data(
        as_text=True)
    assert login(client, user.email).status_code == 302
    assert "ACCEPTED" in client.post("/_essai-pot", data={"name": "Ana"}).get_data(as_text=True)

"""Password policy: long enough, not a common password, not the account's own names."""
from html import unescape

import pytest

from gstp.extensions import db
from gstp.organizations.models import User
from gstp.organizations.passwords import common_passwords, password_problem
from gstp.organizations.tokens import (
    INVITE_SALT,
    RESET_SALT,
    make_token,
    password_fingerprint,
)
from tests.factories import TEST_PASSWORD, OrganizationFactory, UserFactory
from tests.organizations.test_signup import signup_data

COMMON = "Ce mot de passe fait partie des plus courants"
EMAIL = "Le mot de passe ne doit pas contenir votre adresse courriel"
ORGANIZATION = "Le mot de passe ne doit pas contenir le nom de l'organisme"


def test_the_shipped_list_holds_the_usual_suspects():
    passwords = common_passwords()
    assert len(passwords) > 19_000
    assert {"aaaaaaaaaa", "1234567890", "motdepasse", "azertyuiop", "qwertyuiop"} <= passwords


@pytest.mark.parametrize(("password", "expected"), [
    ("aaaaaaaaaa", COMMON), ("AZERTYUIOP", COMMON), ("  1234567890 ", COMMON),
    ("123-456-7890", COMMON),  # same letters and digits as a listed one
    ("camille.tremblay2026", EMAIL), ("Tremblay-Rimouski", EMAIL),
    ("maison-de-la-FAMILLE-de-rimouski!", ORGANIZATION),
    ("Maison de la Famille de Rimouski 1", ORGANIZATION),
    ("trois-petits-chats-42", None), ("lecture pour tous", None),
])
def test_password_problem(app, password, expected):
    with app.test_request_context():
        problem = password_problem(password, email="camille.tremblay@mfrimouski.example",
                                   organization_name="Maison de la Famille de Rimouski")
    if expected is None:
        assert problem is None
    else:
        assert problem.startswith(expected)


def test_short_email_pieces_do_not_refuse_innocent_passwords(app):
    with app.test_request_context():
        assert password_problem("jardin-des-lutins", email="jo.li@ex.example",
                                organization_name="CPE") is None


def test_sign_up_refuses_them_and_says_why_in_french_and_english(client):
    cases = [("aaaaaaaaaa", COMMON, "This password is among the most common ones"),
             ("camille-2026-2027", EMAIL, "must not contain your e-mail address"),
             ("MaisondelafamilledeRimouski", ORGANIZATION,
              "must not contain the organization's name")]
    for password, french, english in cases:
        data = signup_data(password=password, password_confirm=password)
        html = unescape(client.post("/inscription", data=data).get_data(as_text=True))
        assert french in html
        html = unescape(client.post("/inscription?lang=en", data=data).get_data(as_text=True))
        assert english in html
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_a_too_short_password_gets_one_message(client):
    html = unescape(client.post("/inscription", data=signup_data(
        password="azerty", password_confirm="azerty")).get_data(as_text=True))
    assert "au moins 10 caractères" in html and COMMON not in html


def test_reset_change_and_invitation_apply_the_policy(client, as_user):
    organization = OrganizationFactory(name="CPE Les Lucioles")
    user = UserFactory(email="dominique.roy@lucioles.example", organization=organization)
    token = make_token(RESET_SALT, {"u": user.id, "p": password_fingerprint(user.password_hash)})
    html = unescape(client.post(f"/mot-de-passe/{token}", data={
        "password": "dominique1234", "password_confirm": "dominique1234"}).get_data(as_text=True))
    assert EMAIL in html

    as_user(user)
    html = unescape(client.post("/mon-compte/mot-de-passe", data={
        "current_password": TEST_PASSWORD, "password": "cpe-les-lucioles-2026",
        "password_confirm": "cpe-les-lucioles-2026"}).get_data(as_text=True))
    assert ORGANIZATION in html
    client.post("/deconnexion")

    invitation = make_token(INVITE_SALT, {"o": organization.id, "e": "alex@lucioles.example",
                                          "by": user.id})
    html = unescape(client.post(f"/invitation/{invitation}", data={
        "name": "Alex", "password": "motdepasse", "password_confirm": "motdepasse"}
    ).get_data(as_text=True))
    assert COMMON in html
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1

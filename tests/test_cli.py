"""`flask gstp …` commands."""
from gstp.activities.models import Activity, ActivityState
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.organizations.models import User, UserRole


def test_create_user_command(runner):
    result = runner.invoke(args=["gstp", "create-user", "Equipe@GSTP.example", "--role", "staff",
                                 "--password", "un-mot-de-passe"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "equipe@gstp.example"))
    assert user.role is UserRole.STAFF and user.check_password("un-mot-de-passe")
    again = runner.invoke(args=["gstp", "create-user", "equipe@gstp.example"])
    assert again.exit_code != 0 and "existe déjà" in again.output


def test_demo_command_creates_labelled_edition(runner):
    result = runner.invoke(args=["gstp", "demo", "--activities", "30"])
    assert result.exit_code == 0, result.output
    demo = db.session.scalar(db.select(Edition).where(Edition.is_demo.is_(True)))
    activities = db.session.scalars(db.select(Activity).where(Activity.edition_id == demo.id)).all()
    assert len(activities) == 30
    # Every region is represented (a virtual activity has no place, as the form stores it).
    assert len({a.region_code for a in activities} - {None}) == 17
    assert all(a.occurrences for a in activities)
    assert any(a.state is ActivityState.PUBLISHED for a in activities)
    assert "equipe@demo.gstp.example" in result.output
    # Running it again does not duplicate anything.
    runner.invoke(args=["gstp", "demo", "--activities", "30"])
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 30


def test_create_user_refuses_a_weak_password(runner):
    for password, reason in (("court", "au moins 10 caractères"),
                             ("azertyuiop", "plus courants"),
                             ("equipe-2026-xyz", "adresse courriel")):
        result = runner.invoke(args=["gstp", "create-user", "equipe@gstp.example",
                                     "--password", password])
        assert result.exit_code != 0 and reason in result.output, result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0

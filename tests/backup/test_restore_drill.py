"""The restore drill: a site backed up, restored on a fresh database and posters directory,
answers the same bytes, keeps its accounts and sends its queued mail exactly once."""
import io
import json
import re

import pytest
import sqlalchemy as sa
from PIL import Image

from gstp.activities.models import Activity
from gstp.activities.posters import SIZES, file_name, store_poster
from gstp.backup.database import table_counts
from gstp.calendar.feed_events import event_cache
from gstp.extensions import db
from gstp.letters import services as letter_services
from gstp.letters.models import Letter
from gstp.mail.models import OutboxMessage, OutboxStatus
from gstp.mail.worker import send_pending
from gstp.public_version.reading import read_public_version
from gstp.stats.models import MediaResult, MetricDefinition, MetricValue
from tests.activities.helpers import open_edition
from tests.backup.helpers import fresh_site, run
from tests.conftest import login
from tests.factories import ActivityFactory, OrganizationFactory, StaffFactory, UserFactory
from tests.letters.helpers import campaign, mayor
from tests.mail_fixtures import point_mail_at


def _poster(color) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), color).save(buffer, "JPEG")
    return store_poster(buffer.getvalue())


@pytest.fixture
def site(app, tmp_path, monkeypatch):
    """Activities with posters, letters, statistics, accounts and mail waiting in the outbox."""
    monkeypatch.setitem(app.config, "POSTERS_DIR", str(tmp_path / "source" / "affiches"))
    edition = open_edition()
    organization = OrganizationFactory(name="CPE Les Petits Pas")
    organizer = UserFactory(organization=organization, email="organisme@gstp.example")
    staff = StaffFactory(email="equipe@gstp.example")
    activities = [ActivityFactory(edition=edition, organization=organization,
                                  poster_name=_poster(color), poster_alt="Affiche")
                  for color in ((200, 60, 30), (30, 90, 200))]
    activities.append(ActivityFactory(edition=edition, municipality_code="10043",
                                      region_code="01", address="12, rue de la Cathédrale"))
    mayor("23027", "Bruno Marchand")
    letter_services.generate_letters(campaign=campaign(edition), actor=staff)
    definition = MetricDefinition(key="retombees", label_fr="Retombées médiatiques")
    db.session.add(definition)
    db.session.flush()
    db.session.add_all([
        MetricValue(edition_id=edition.id, definition_id=definition.id, value=421),
        MediaResult(edition_id=edition.id, published_on=edition.starts_on, outlet="Le Soleil",
                    title="Les tout-petits à l'honneur"),
        OutboxMessage(to_address="parent@famille.example", subject="Votre inscription",
                      body_text="Bienvenue."),
        OutboxMessage(to_address="mairie@ville.example", subject="Lettre aux élus",
                      body_text="Madame la Mairesse,"),
        OutboxMessage(to_address="deja@envoye.example", subject="Déjà parti", body_text=".",
                      status=OutboxStatus.SENT, attempts=1),
    ])
    db.session.commit()
    return {"activities": activities, "organization": organization,
            "accounts": (organizer, staff)}


def _public_urls(app, site) -> list[str]:
    """Every page without arguments, the pages and feeds of each activity and organization,
    the scoped feeds, open data, and every poster file."""
    plain = sorted(r.rule for r in app.url_map.iter_rules()
                   if "GET" in r.methods and not r.arguments and r.endpoint != "static")
    slug = site["organization"].slug
    urls = [*plain, f"/organismes/{slug}", f"/organismes/{slug}/calendrier.ics",
            "/regions/03/calendrier.ics", "/regions/01/calendrier.ics",
            "/categories/eveil_lecture_ecriture/calendrier.ics",
            "/municipalites/23027/calendrier.ics", "/activites.ics?region=01",
            "/activites?region=03", "/activites.atom", "/activites.rss"]
    for activity in site["activities"]:
        urls += [f"/activites/{activity.id}", f"/activites/{activity.id}.ics"]
        if activity.poster_name:
            urls += [f"/affiches/{file_name(activity.poster_name, size)}" for size in SIZES]
    return urls


# What must differ: the signed time a form was shown at (the sign-up form's honeypot).
MUST_DIFFER = re.compile(rb'(name="form_started"[^>]*value=")[^"]+"')


def _answers(client, urls) -> dict[str, tuple[int, str, bytes]]:
    answers = {}
    for url in urls:
        response = client.get(url)
        body = MUST_DIFFER.sub(rb'\1-"', response.data)
        answers[url] = (response.status_code, response.content_type, body)
    return answers


def test_a_restored_site_answers_the_same_bytes_and_keeps_accounts_and_mail(
        app, client, site, tmp_path, smtp_server):
    urls = _public_urls(app, site)
    before = _answers(client, urls)
    assert sum(code == 200 for code, _type, _body in before.values()) >= 30
    assert all(before[u][0] == 200 and before[u][1] == "image/webp" for u in urls
               if u.startswith("/affiches/"))
    counts_before = table_counts(db.session.connection())
    db.session.commit()
    version_before = read_public_version()[0].counter
    queued = db.session.execute(sa.select(OutboxMessage.id, OutboxMessage.to_address).where(
        OutboxMessage.status == OutboxStatus.PENDING).order_by(OutboxMessage.id)).all()
    assert len(queued) == 2

    backup = tmp_path / "sauvegarde"
    made = run(app, "backup", str(backup))
    assert made.exit_code == 0, made.output
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == counts_before
    assert len(manifest["posters"]) == 2 * len(SIZES) and manifest["missing_posters"] == []

    with fresh_site(tmp_path / "neuf") as (target, posters):
        restored = run(target, "restore", str(backup))
        assert restored.exit_code == 0, restored.output
        assert "restaurée" in restored.output and "6 fichiers d'affiches" in restored.output
        assert sorted(p.name for p in posters.iterdir()) == sorted(
            e["name"] for e in manifest["posters"])
        event_cache.clear()  # feeds rebuilt from the restored rows, not from kept events
        with target.app_context():
            assert table_counts(db.session.connection()) == counts_before
            # One change more than the backed-up site: no validator or cache key is reused.
            assert read_public_version()[0].counter == version_before + 1
            db.session.rollback()
        after = _answers(target.test_client(), urls)
        different = [url for url in urls if after[url] != before[url]]
        assert different == []

        for account in site["accounts"]:
            assert login(target.test_client(), account.email).status_code == 302
        assert login(target.test_client(), "equipe@gstp.example", "mauvais").status_code == 200

        point_mail_at(target, smtp_server.host, smtp_server.port)
        with target.app_context():
            waiting = db.session.execute(sa.select(OutboxMessage.id, OutboxMessage.to_address)
                                         .where(OutboxMessage.status == OutboxStatus.PENDING)
                                         .order_by(OutboxMessage.id)).all()
            assert waiting == queued
            assert send_pending(batch=50) == {"sent": len(queued), "retry": 0, "failed": 0}
            assert send_pending(batch=50) == {"sent": 0, "retry": 0, "failed": 0}
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Letter)) == 1
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 3
        delivered = sorted(to for _sender, tos in smtp_server.envelopes for to in tos)
        assert delivered == sorted(address for _id, address in queued)
        assert "deja@envoye.example" not in delivered

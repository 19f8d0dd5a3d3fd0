"""Property-based test of the activity form: any input gets a clear answer, never a 500,
and an activity is saved whole or not at all."""
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gstp.activities.models import Activity, Occurrence
from gstp.extensions import db
from tests.activities.helpers import form_data, open_edition
from tests.factories import UserFactory

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)
maybe_text = st.one_of(st.none(), text, st.sampled_from(["", " ", "=1+1", "<script>x</script>"]))
time_text = st.one_of(st.sampled_from(["09:00", "23:59", "00:00", "24:00", "9h", ""]), text)


def test_any_input_is_answered_and_never_half_saved(client, as_user):
    edition = open_edition()
    as_user(UserFactory())  # once: every generated example posts as this organizer

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(title=maybe_text, description=maybe_text, address=maybe_text,
           postal_code=maybe_text, municipality=maybe_text,
           fmt=st.sampled_from(["in_person", "virtual", "hybrid", "x"]),
           category=st.sampled_from(["eveil_lecture_ecriture", "inconnue", ""]),
           day_offset=st.integers(min_value=-400, max_value=400),
           starts=time_text, ends=time_text, virtual_url=maybe_text, token=st.uuids())
    def post_once(title, description, address, postal_code, municipality, fmt, category,
                  day_offset, starts, ends, virtual_url, token):
        before = db.session.scalar(db.select(db.func.count(Activity.id)))
        data = form_data(
            edition, title=title, description=description, address=address,
            postal_code=postal_code, municipality=municipality, format=fmt, category=category,
            virtual_url=virtual_url, submission_token=str(token),
            **{"occurrences-0-day": (edition.starts_on + timedelta(days=day_offset)).isoformat(),
               "occurrences-0-starts": starts, "occurrences-0-ends": ends})
        response = client.post("/mes-activites/nouvelle", data=data)
        assert response.status_code in (200, 302)
        after = db.session.scalar(db.select(db.func.count(Activity.id)))
        if response.status_code == 200:  # refused: the form is shown again with its errors
            assert after == before
            assert 'class="error"' in response.get_data(as_text=True)
        else:  # accepted: one activity, with its date inside the edition week
            assert after == before + 1
            activity = db.session.scalar(
                db.select(Activity).order_by(Activity.id.desc()).limit(1))
            [occurrence] = db.session.scalars(
                db.select(Occurrence).where(Occurrence.activity_id == activity.id)).all()
            assert occurrence.ends_at > occurrence.starts_at
            assert edition.starts_on <= activity.occurrences[0].starts_at.date() + timedelta(days=1)
            assert activity.title.strip()

    post_once()

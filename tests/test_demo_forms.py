"""The demo data passes its own forms: every demo activity saved unchanged through the edit
form (as staff, who may edit any activity) is accepted and stays as it was."""
from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict

from gstp.activities.models import Activity
from gstp.activities.services import approved_values
from gstp.demo import create_demo_data
from gstp.extensions import db
from tests.factories import StaffFactory


class FormValues(HTMLParser):
    """What a browser would send for the page's activity form, untouched."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._inside = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post" and "enctype" in a:
            self._inside = True
        if not self._inside or a.get("name") is None and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file") or (
                    kind in ("checkbox", "radio") and "checked" not in a):
                return
            self.values.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.values.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _s in self._options[:1]]
            self.values.append((self._select, chosen[0] if chosen else ""))
            self._select = None


def test_every_demo_activity_saves_unchanged_through_its_edit_form(client, as_user):
    create_demo_data(activity_count=50)
    db.session.commit()
    as_user(StaffFactory())
    activities = db.session.scalars(db.select(Activity).order_by(Activity.id)).all()
    assert len(activities) == 50
    refused = {}
    for activity in activities:
        before = approved_values(activity)
        page = client.get(f"/mes-activites/{activity.id}/modifier").get_data(as_text=True)
        parser = FormValues()
        parser.feed(page)
        response = client.post(f"/mes-activites/{activity.id}/modifier",
                               data=MultiDict(parser.values))
        if response.status_code != 302:
            errors = [line.strip() for line in response.get_data(as_text=True).splitlines()
                      if 'class="error"' in line]
            refused[activity.id] = errors[:3]
            continue
        db.session.expire_all()
        assert approved_values(db.session.get(Activity, activity.id)) == before, activity.id
    assert refused == {}

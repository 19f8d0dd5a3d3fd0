"""E-mails to an activity's organizer, queued in French whoever triggered them."""
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from gstp.activities.models import Activity
from gstp.extensions import db
from gstp.mail.services import absolute_url, queue_mail
from gstp.organizations.models import User

SUBJECTS = {
    "activity_submitted": _l("Activité reçue : %(title)s"),
    "activity_published": _l("Activité publiée : %(title)s"),
    "activity_rejected": _l("Activité refusée : %(title)s"),
    "activity_cancelled": _l("Activité annulée : %(title)s"),
    "activity_attendance_reminder": _l("Combien de personnes avez-vous rejointes ? %(title)s"),
    "activity_edit_accepted": _l("Modifications acceptées : %(title)s"),
    "activity_edit_reverted": _l("Modifications annulées : %(title)s"),
}


def _recipient(activity: Activity) -> str | None:
    if activity.contact_email:
        return activity.contact_email
    user = db.session.get(User, activity.created_by_id) if activity.created_by_id else None
    return user.email if user else activity.organization.email


def mail_organizer(activity: Activity, template: str, **context) -> None:
    """Queue templates/email/<template> to the activity's contact (subject in SUBJECTS)."""
    to = _recipient(activity)
    if not to:
        return
    # E-mails go out in French, the platform's first language, whoever triggered them.
    with force_locale("fr"):
        subject = str(SUBJECTS[template]) % {"title": " ".join(activity.title.split())}
        queue_mail(to=to, subject=subject[:255], template=template,
                   kind=f"activity.{template.removeprefix('activity_')}", activity=activity,
                   link=absolute_url("calendar.activity_detail", activity_id=activity.id),
                   **context)

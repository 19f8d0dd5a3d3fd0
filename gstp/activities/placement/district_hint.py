"""The activity form's hint where only the postal code tells the provincial district."""
from flask import flash
from flask_babel import gettext as _

from gstp.activities.models import Activity
from gstp.geo.gazetteer import gazetteer


def asks_postal_code(municipality_code: str | None, district_code: str | None) -> bool:
    """In a city over several districts, only the postal code tells which one."""
    return not district_code and municipality_code in gazetteer().split_city_codes


def flash_district_hint(activity: Activity) -> None:
    """Never blocks: without a postal code, staff choose the district."""
    if asks_postal_code(activity.municipality_code, activity.district_code):
        flash(_("Dans cette ville, le code postal indique votre circonscription : ajoutez-le "
                "à l'activité pour qu'elle compte auprès de votre député·e. Sinon, notre "
                "équipe choisira la circonscription."), "info")

"""Forms of the organizers' pages: the activity, its dates, attendance."""
import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import (
    URL,
    AnyOf,
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from gstp.activities import posters
from gstp.activities.labels import AUDIENCE_LABELS, CATEGORY_LABELS, FORMAT_LABELS, LANGUAGE_CHOICES
from gstp.activities.models import Audience, Category, Format
from gstp.activities.place_fields import homonyms, normalise_postal_code, resolve_municipality
from gstp.activities.placement.forms import PinMixin
from gstp.forms import BaseForm, BaseSubForm, CountField

MAX_DATES = 20


def _blank_first(labels: dict) -> list:
    """Select choices starting with an empty « — Choisir — » that fails DataRequired."""
    return [("", _l("— Choisir —")), *labels.items()]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class PosterNameField(HiddenField):
    """The stored poster's name, sent to the browser signed for the organization."""

    def _value(self):
        form = getattr(self, "owner_form", None)
        return posters.signed_name(self.data, form.owner_id) if self.data and form else ""


class OccurrenceForm(BaseSubForm):
    """One date of the activity, in local time."""

    # Which saved date this row edits, so a moved date keeps its calendar UID.
    uid = HiddenField()
    day = DateField(_l("Date"), validators=[InputRequired(_l("Indiquez la date."))])
    starts = TimeField(_l("Heure de début"), validators=[
        InputRequired(_l("Indiquez l'heure de début."))])
    ends = TimeField(_l("Heure de fin"), validators=[InputRequired(_l("Indiquez l'heure de fin."))])

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("L'heure de fin doit être après l'heure de début."))


class ActivityForm(PinMixin, BaseForm):
    """Everything an organization tells about one activity.

    Behind a login: CSRF and rate limits protect it, not the anonymous forms' time trap.
    """

    submission_token = HiddenField(default=lambda: secrets.token_urlsafe(24))
    # Shown only when the activity looks like one already registered.
    not_duplicate = BooleanField(_l("C'est une autre activité"))
    title = StringField(_l("Titre de l'activité"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez le titre de l'activité.")),
        Length(max=200, message=_l("Le titre ne doit pas dépasser 200 caractères."))])
    description = TextAreaField(_l("Description"), filters=[_strip], validators=[
        DataRequired(_l("Décrivez l'activité en quelques phrases.")),
        Length(max=5000, message=_l("La description ne doit pas dépasser 5000 caractères."))])
    # No preselected choice: the organizer picks (a blank first option fails validation).
    category = SelectField(_l("Type d'activité"), choices=_blank_first(CATEGORY_LABELS),
                           validators=[DataRequired(_l("Choisissez un type d'activité."))])
    audience = SelectField(_l("Public"), choices=_blank_first(AUDIENCE_LABELS),
                           validators=[DataRequired(_l("Choisissez un public."))])
    # Choice checked by AnyOf so an unticked group gets one message, not two.
    format = RadioField(_l("Formule"), choices=list(FORMAT_LABELS.items()),
                        validate_choice=False, validators=[
                            InputRequired(_l("Choisissez une formule.")),
                            AnyOf(list(FORMAT_LABELS), message=_l("Choisissez une formule."))])
    language = SelectField(_l("Langue"), choices=LANGUAGE_CHOICES, default="fr")
    is_free = BooleanField(_l("Activité gratuite"), default=True)
    price_details = StringField(_l("Tarif"), filters=[_strip], validators=[
        Length(max=200, message=_l("Le tarif ne doit pas dépasser 200 caractères."))])
    registration_url = URLField(_l("Lien d'inscription"), filters=[_strip], validators=[
        Optional(), URL(message=_l("Indiquez une adresse web complète, commençant par https://.")),
        Length(max=500, message=_l("L'adresse ne doit pas dépasser 500 caractères."))])
    # No Optional(): it would stop the check that virtual and hybrid activities have a link.
    virtual_url = URLField(_l("Lien de l'activité virtuelle"), filters=[_strip], validators=[
        Length(max=500, message=_l("L'adresse ne doit pas dépasser 500 caractères."))])
    accessibility_notes = TextAreaField(_l("Accessibilité"), filters=[_strip], validators=[
        Length(max=2000, message=_l("Ce texte ne doit pas dépasser 2000 caractères."))])
    contact_email = EmailField(_l("Courriel de contact"), filters=[_strip], validators=[
        Optional(), Email(_l("Cette adresse courriel n'est pas valide.")), Length(max=255)])
    venue_name = StringField(_l("Nom du lieu"), filters=[_strip], validators=[
        Length(max=200, message=_l("Le nom du lieu ne doit pas dépasser 200 caractères."))])
    address = StringField(_l("Adresse"), filters=[_strip], validators=[
        Length(max=300, message=_l("L'adresse ne doit pas dépasser 300 caractères."))])
    postal_code = StringField(_l("Code postal"), filters=[_strip])
    municipality = StringField(_l("Municipalité"), filters=[_strip],
                               render_kw={"list": "municipalities", "autocomplete": "off"})
    # The poster: a new file, or the one already stored (kept across a refused submit).
    poster = FileField(_l("Affiche (image)"), render_kw={
        "accept": "image/jpeg,image/png,image/webp"})
    poster_name = PosterNameField()
    poster_alt = StringField(_l("Texte de remplacement de l'affiche"), filters=[_strip],
                             validators=[Length(max=300, message=_l(
                                 "Ce texte ne doit pas dépasser 300 caractères."))])
    remove_poster = BooleanField(_l("Retirer l'affiche"))
    occurrences = FieldList(FormField(OccurrenceForm), min_entries=1, max_entries=MAX_DATES)
    add_date = SubmitField(_l("Ajouter une date"))
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, edition=None, owner_id=None, current_poster=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.municipality_obj = None
        # Posters this form may keep: the activity's own, and what its organization uploads.
        self.owner_id, self.current_poster, self.uploaded_poster = owner_id, current_poster, None
        self.poster_name.owner_form = self

    def validate(self, extra_validators=None) -> bool:
        return super().validate(extra_validators) & self.pin_is_whole()

    def validate_price_details(self, field):
        if not self.is_free.data and not field.data:
            raise ValidationError(_l("Précisez le tarif d'une activité payante."))

    def validate_virtual_url(self, field):
        if self.format.data in (Format.VIRTUAL, Format.HYBRID) and not field.data:
            raise ValidationError(_l("Le lien est obligatoire pour une activité virtuelle "
                                     "ou hybride."))
        if field.data:
            URL(message=_l("Indiquez une adresse web complète, commençant par https://."))(
                self, field)

    def validate_address(self, field):
        if self.format.data in (Format.IN_PERSON, Format.HYBRID) and not field.data:
            raise ValidationError(_l("L'adresse est obligatoire pour une activité en personne "
                                     "ou hybride."))

    def validate_postal_code(self, field):
        try:
            field.data = normalise_postal_code(field.data)
        except ValueError:
            raise ValidationError(_l("Le code postal doit avoir la forme G1K 3B2.")) from None

    def validate_municipality(self, field):
        self.municipality_obj = resolve_municipality(field.data)
        if field.data and self.municipality_obj is None and len(homonyms(field.data)) > 1:
            raise ValidationError(_l("Deux lieux portent ce nom, une municipalité et une "
                                     "communauté : choisissez dans la liste celui où a lieu "
                                     "l'activité."))
        if field.data and self.municipality_obj is None:
            raise ValidationError(_l("Choisissez une municipalité de la liste."))
        if self.format.data in (Format.IN_PERSON, Format.HYBRID) and not field.data:
            raise ValidationError(_l("La municipalité est obligatoire pour une activité en "
                                     "personne ou hybride."))

    def validate_poster(self, field):
        """Re-encode an uploaded image at once; its name then travels in poster_name."""
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            return
        try:
            self.poster_name.data = posters.store_poster(upload.read(posters.MAX_BYTES + 1))
        except posters.PosterError as error:
            raise ValidationError(str(error.args[0])) from None
        self.uploaded_poster = self.poster_name.data

    def validate_poster_name(self, field):
        if not field.data or field.data in {self.uploaded_poster, self.current_poster}:
            return
        # Anything else must be a name this organization was given back after its upload:
        # a forged or borrowed hash is forgotten rather than refusing the whole form.
        field.data = posters.name_from_signed(field.data, self.owner_id) or ""

    def has_poster(self) -> bool:
        return bool(self.poster_name.data) and not self.remove_poster.data

    def validate_poster_alt(self, field):
        if self.has_poster() and not field.data:
            raise ValidationError(_l("Décrivez l'image en quelques mots : ce texte remplace "
                                     "l'affiche pour les personnes qui ne la voient pas."))

    def validate_occurrences(self, field):
        if self.edition is None:
            return
        for entry in field.entries:
            day = entry.form.day.data
            if day and not self.edition.starts_on <= day <= self.edition.ends_on:
                entry.form.day.errors.append(_l(
                    "La date doit être pendant la semaine, du %(start)s au %(end)s.",
                    start=self.edition.starts_on.strftime("%d/%m/%Y"),
                    end=self.edition.ends_on.strftime("%d/%m/%Y")))
                raise ValidationError(_l("Une date est en dehors de la semaine."))

    def activity_fields(self) -> dict:
        """The model's columns from the cleaned data."""
        fmt = Format(self.format.data)
        located = fmt is not Format.VIRTUAL
        return {
            "title": self.title.data, "description": self.description.data,
            "category": Category(self.category.data), "audience": Audience(self.audience.data),
            "format": fmt, "language": self.language.data, "is_free": bool(self.is_free.data),
            "price_details": "" if self.is_free.data else self.price_details.data,
            "registration_url": self.registration_url.data or None,
            "virtual_url": self.virtual_url.data or None,
            "accessibility_notes": self.accessibility_notes.data or "",
            "contact_email": (self.contact_email.data or "").lower() or None,
            "venue_name": self.venue_name.data or "",
            "address": (self.address.data or "") if located else "",
            "postal_code": self.postal_code.data if located else None,
            "municipality_code": (self.municipality_obj.code
                                  if located and self.municipality_obj else None),
            "poster_name": self.poster_name.data if self.has_poster() else None,
            "poster_alt": self.poster_alt.data if self.has_poster() else "",
        }

    def dates(self):
        """The typed dates as service inputs."""
        from gstp.activities.occurrences import OccurrenceInput

        return [OccurrenceInput(e.form.day.data, e.form.starts.data, e.form.ends.data,
                                e.form.uid.data or None)
                for e in self.occurrences.entries]


class RejectForm(BaseForm):
    """Staff refuse an activity and tell the organization why."""

    reason = TextAreaField(_l("Raison du refus"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez la raison du refus : l'organisme la verra.")),
        Length(max=2000, message=_l("Ce texte ne doit pas dépasser 2000 caractères."))])


class AttendanceForm(BaseForm):
    """How many people the activity reached."""

    children = CountField(_l("Enfants"), maximum=1_000_000, validators=[
        InputRequired(_l("Indiquez un nombre (0 si aucun)."))])
    adults = CountField(_l("Adultes"), maximum=1_000_000, validators=[
        InputRequired(_l("Indiquez un nombre (0 si aucun)."))])
    organizations_reached = CountField(_l("Organismes rejoints"), maximum=100_000, validators=[
        InputRequired(_l("Indiquez un nombre (0 si aucun)."))])
    comments = TextAreaField(_l("Commentaires"), filters=[_strip],
                             validators=[Length(max=2000)])

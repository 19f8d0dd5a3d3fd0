"""The errors of a submitted form as one list, for the summary shown above the form."""
from dataclasses import dataclass

from flask import Flask


@dataclass(frozen=True)
class FieldError:
    """One message and the field it belongs to (anchor None for hidden fields)."""

    anchor: str | None
    label: str
    message: str


def _leaves(fields):
    """Every field of a form, descending into FieldList and FormField (the dates rows).

    A list's own message (e.g. "a date is outside the week") repeats one of its rows', so
    only the rows are listed.
    """
    for field in fields:
        if field.type == "FieldList":
            yield from _leaves(field.entries)
        elif field.type == "FormField":
            yield from _leaves(field.form)
        else:
            yield field


def error_summary(form) -> list[FieldError]:
    """Each field error in page order, with the id to link to."""
    found = []
    for field in _leaves(form):
        visible = field.type not in {"HiddenField", "CSRFTokenField"} and not (
            field.render_kw or {}).get("tabindex") == "-1"
        for message in field.errors:
            found.append(FieldError(field.id if visible else None,
                                    str(field.label.text) if visible else "", str(message)))
    return found


def init_app(app: Flask) -> None:
    """Expose error_summary() to templates (the form_errors macro)."""
    app.jinja_env.globals["error_summary"] = error_summary

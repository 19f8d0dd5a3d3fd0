"""Postal letters as one PDF per campaign, from the print view's template and style sheet."""
from pathlib import Path

from flask import current_app, render_template


def letters_pdf(*, campaign, letters, day) -> bytes:
    """One letter a page (date, Canada Post address block, text, signatories)."""
    # Imported here: WeasyPrint loads Pango, needed only when a PDF is asked for.
    from weasyprint import CSS, HTML

    html = render_template("letters/print.html", letters=letters, campaign=campaign, day=day,
                           pdf=True)
    sheet = Path(current_app.static_folder) / "css" / "letters-print.css"
    # The sheet is given as a file: nothing is fetched over the network while rendering.
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(sheet))])

"""Charts of the board report drawn on the server as SVG (the PDF runs no JavaScript).

Every piece is a Markup literal filled by .format(), which escapes each value.
"""
from markupsafe import Markup

from gstp.stats.figures import figure_text

PALETTE = ("#b8004f", "#005a9c", "#1e6b34", "#8a5a00", "#5b3f8c", "#00727a", "#a33d00",
           "#4a5366", "#7a1f5c", "#2f6f2f")
WIDTH, HEIGHT, PAD = 260, 150, 28


def _svg(width: int, height: int, label: str, body: list[Markup]) -> Markup:
    return Markup('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {1}" width="{0}" '
                  'height="{1}" role="img" aria-label="{2}"><title>{2}</title>{3}</svg>'
                  ).format(width, height, label, Markup("").join(body))


def _text(x: float, y: float, text: str, size: int = 10, anchor: str = "middle",
          fill: str = "#1d2433") -> Markup:
    return Markup('<text x="{:.1f}" y="{:.1f}" font-size="{}" text-anchor="{}" fill="{}">{}'
                  '</text>').format(x, y, size, anchor, fill, text)


def _rect(x: float, y: float, width: float, height: float, fill: str) -> Markup:
    return Markup('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>'
                  ).format(x, y, width, height, fill)


def trend_chart(row: dict, years: list[str]) -> Markup:
    """One figure across editions: points joined where known, a gap where unknown; an
    entered figure is a hollow point marked « * »."""
    values = row["values"]
    top = max((v for v in values if v is not None), default=0) or 1
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def point(i, v):
        return PAD + i * step, HEIGHT - PAD - (v / top) * (HEIGHT - 2 * PAD - 12)

    body = [Markup('<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="#4a5366"/>').format(
        PAD, HEIGHT - PAD, WIDTH - PAD)]
    segment: list[str] = []
    for i, value in enumerate([*values, None]):
        if value is not None:
            segment.append("{:.1f},{:.1f}".format(*point(i, value)))
            continue
        if len(segment) > 1:
            body.append(Markup('<polyline points="{}" fill="none" stroke="{}" '
                               'stroke-width="2"/>').format(" ".join(segment), PALETTE[0]))
        segment = []
    for i, (value, year) in enumerate(zip(values, years, strict=True)):
        body.append(_text(PAD + i * step, HEIGHT - 10, year))
        if value is None:
            body.append(_text(PAD + i * step, HEIGHT - PAD - 4, "—", fill="#4a5366"))
            continue
        x, y = point(i, value)
        entered = row["states"][i] == "entered"
        body.append(Markup('<circle cx="{:.1f}" cy="{:.1f}" r="3.5" fill="{}" stroke="{}"/>')
                    .format(x, y, "#fff" if entered else PALETTE[0], PALETTE[0]))
        label = figure_text(value, row["qualifiers"][i]) + ("*" if entered else "")
        body.append(_text(x, y - 7, label))
    return _svg(WIDTH, HEIGHT, row["label"], body)


def region_bars(table: dict, years: list[str], label: str) -> Markup:
    """Activities per region, one bar per edition; an unknown edition draws no bar."""
    rows = [r for r in table["rows"] if r["key"] is not None]
    top = max((v for r in rows for v in r["values"] if v is not None), default=0) or 1
    bar, gap, left, width = 7, 6, 170, 640
    height = 30 + len(rows) * (len(years) * bar + gap)
    body, y = [], 10
    for i, year in enumerate(years):
        colour = PALETTE[i % len(PALETTE)]
        body += [_rect(left + i * 90, height - 14, 10, 8, colour),
                 _text(left + i * 90 + 14, height - 6, year, anchor="start")]
    for row in rows:
        body.append(_text(left - 6, y + len(years) * bar / 2 + 3, row["label"], anchor="end"))
        for i, value in enumerate(row["values"]):
            if value is None:
                continue
            length = value / top * (width - left - 40)
            body += [_rect(left, y + i * bar, length, bar - 1, PALETTE[i % len(PALETTE)]),
                     _text(left + length + 3, y + i * bar + bar - 1, figure_text(value), 8,
                           "start")]
        y += len(years) * bar + gap
    return _svg(width, height, label, body)

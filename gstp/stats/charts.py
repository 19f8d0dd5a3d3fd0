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


def _lines(x: float, y: float, text: str, size: int = 10) -> Markup:
    """A label on two centred lines when it has a note (« 2027 » over « (démo.) »): under a
    point of a narrow axis it never runs into its neighbour or off the chart."""
    first, _space, rest = text.partition(" ")
    if not rest:
        return _text(x, y, text, size)
    return Markup('<text x="{0:.1f}" y="{1:.1f}" font-size="{2}" text-anchor="middle" '
                  'fill="#1d2433"><tspan x="{0:.1f}">{3}</tspan><tspan x="{0:.1f}" dy="{4}" '
                  'font-size="{5}">{6}</tspan></text>').format(x, y, size, first, size,
                                                               size - 2, rest)


def label_width(text: str, size: int = 10) -> float:
    """A generous width of a label in a sans-serif font (0.62 em a character)."""
    return len(text) * size * 0.62


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
        body.append(_lines(PAD + i * step, HEIGHT - 14, year))
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
    legend, x, line = [], 10.0, 0  # entries side by side, each as wide as its label, wrapped
    for i, year in enumerate(years):
        entry = 14 + label_width(year) + 12
        if x + entry > width and x > 10:
            x, line = 10.0, line + 1
        legend.append((x, line, PALETTE[i % len(PALETTE)], year))
        x += entry
    bottom = 30 + len(rows) * (len(years) * bar + gap)
    height = bottom + 14 * line
    body, y = [], 10
    for x, line, colour, year in legend:
        body += [_rect(x, bottom - 14 + 14 * line, 10, 8, colour),
                 _text(x + 14, bottom - 6 + 14 * line, year, anchor="start")]
    for row in rows:
        # A long region name (Gaspésie–Îles-de-la-Madeleine) in a smaller font, never cut.
        size = 10 if label_width(row["label"]) <= left - 10 else 8
        body.append(_text(left - 6, y + len(years) * bar / 2 + 3, row["label"], size, "end"))
        for i, value in enumerate(row["values"]):
            if value is None:
                continue
            length = value / top * (width - left - 40)
            body += [_rect(left, y + i * bar, length, bar - 1, PALETTE[i % len(PALETTE)]),
                     _text(left + length + 3, y + i * bar + bar - 1, figure_text(value), 8,
                           "start")]
        y += len(years) * bar + gap
    return _svg(width, height, label, body)

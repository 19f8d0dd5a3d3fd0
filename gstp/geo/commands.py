"""`flask gstp geocode`: where an address is placed."""
import json

import click

from gstp.commands import gstp_cli
from gstp.extensions import db


@gstp_cli.command("geocode")
@click.argument("address")
@click.option("--postal-code", default=None, help="Code postal, s'il est séparé de l'adresse.")
def geocode_command(address: str, postal_code: str | None) -> None:
    """Print where ADDRESS is placed, as JSON."""
    from gstp.geo.models import District, Mrc, Region
    from gstp.geo.services import geocode

    result, retry_later = geocode(address, postal_code=postal_code)
    if result is None:
        raise click.ClickException("Adresse introuvable.")
    region = db.session.get(Region, result.region_code) if result.region_code else None
    mrc = db.session.get(Mrc, result.mrc_code) if result.mrc_code else None
    district = db.session.get(District, result.district_code) if result.district_code else None
    db.session.commit()  # keeps the Nominatim cache entry
    click.echo(json.dumps({
        "lat": result.latitude, "lon": result.longitude,
        "municipality": result.municipality, "municipality_code": result.municipality_code,
        "region_code": result.region_code, "region": region.name if region else None,
        "mrc": mrc.name if mrc else None, "district_code": result.district_code,
        "district": district.name if district else None, "source": result.source,
        "retry_later": retry_later,
    }, ensure_ascii=False))

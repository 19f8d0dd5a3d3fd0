"""Builders for the letters tests: officials and campaigns, committed like the factories."""
from gstp.extensions import db
from gstp.geo.models import District, Municipality
from gstp.letters.models import Campaign, ElectedOfficial, OfficialLevel, Signatory, TargetLevel

BODY = ("{{ salutation }}\n\nÀ {{ territoire }} ({{ region }}), {{ nb_activites }} activité(s) :\n"
        "{{ liste_activites }}\nCalendrier : {{ lien_calendrier }}\n\n{{ signataires }}")


def mayor(code: str, name: str, *, email: str | None = "mairie@ville.example",
          civility: str = "madame", party: str = "") -> ElectedOfficial:
    municipality = db.session.get(Municipality, code)
    official = ElectedOfficial(level=OfficialLevel.MUNICIPAL, seat_code=code, civility=civility,
                               full_name=name, email=email, party=party,
                               municipality_code=code, region_code=municipality.region_code,
                               postal_address=f"Hôtel de ville\n{municipality.name} (Québec)")
    db.session.add(official)
    db.session.commit()
    return official


def mna(code: str, name: str, *, party: str = "PQ", email: str | None = None,
        civility: str = "monsieur") -> ElectedOfficial:
    district = db.session.get(District, code)
    official = ElectedOfficial(level=OfficialLevel.PROVINCIAL, seat_code=code, civility=civility,
                               full_name=name, party=party, email=email, district_code=code,
                               region_code=district.region_code,
                               postal_address="1045, rue des Parlementaires\nQuébec (Québec)")
    db.session.add(official)
    db.session.commit()
    return official


def campaign(edition, *, target=TargetLevel.MUNICIPAL, region: str | None = None,
             only_with_activities: bool = False, body: str = BODY,
             subject: str = "La Grande semaine à {{ territoire }}") -> Campaign:
    result = Campaign(edition_id=edition.id, title="Lettre aux élus", subject=subject,
                      body_template=body, target_level=target, target_region_code=region,
                      only_with_activities=only_with_activities,
                      signatories=[Signatory(position=0, name="Marie Tremblay",
                                             role="Porte-parole",
                                             organization="Collectif petite enfance")])
    db.session.add(result)
    db.session.commit()
    return result

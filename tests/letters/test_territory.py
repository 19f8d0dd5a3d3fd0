"""Organizers see the MNA of each activity's district (else of their municipality) and mayor."""
from gstp.letters.territory_queries import territory_officials
from tests.factories import ActivityFactory, EditionFactory, OrganizationFactory, UserFactory
from tests.letters.helpers import mayor, mna


def test_officials_of_the_activities_else_of_the_municipality(client, as_user):
    edition = EditionFactory(year=2026)
    quebec_mayor = mayor("23027", "Maire Québec")
    levis_mayor = mayor("25213", "Maire Lévis")
    charlesbourg, chauveau = mna("767", "Député Charlesbourg"), mna("769", "Député Chauveau")
    region_only = mna("771", "Député Autre")  # same region, another district
    portneuf = mna("727", "Député Portneuf")
    organization = OrganizationFactory(region_code="03", municipality_code="23027")
    # No activity yet: the organization's municipality gives the mayor and its district.
    home = territory_officials(organization, edition.id)
    assert quebec_mayor in home and levis_mayor not in home
    assert region_only not in home
    donnacona = OrganizationFactory(region_code="03", municipality_code="34025")
    assert territory_officials(donnacona, edition.id) == [portneuf]  # its town's district
    ActivityFactory(edition=edition, organization=organization, municipality_code="23027",
                    district_code="769")
    ActivityFactory(edition=edition, organization=organization, municipality_code="23027",
                    district_code="767")
    mine = territory_officials(organization, edition.id)
    assert set(mine) == {quebec_mayor, charlesbourg, chauveau}
    as_user(UserFactory(organization=organization))
    page = client.get("/lettres/mon-territoire").get_data(as_text=True)
    assert "Député Charlesbourg" in page and "Député Autre" not in page
    assert 'id="mna-missing-email"' in page  # the built-in MNAs have no e-mail


def test_office_address_shown_when_email_unknown(client, as_user):
    edition = EditionFactory(year=2026)
    member = mna("767", "Député Charlesbourg", email="charlesbourg@assnat.example")
    other = mna("769", "Député Chauveau")
    other.office_address = "1000, boul. Louis-XIV, Québec"
    organization = OrganizationFactory(region_code="03", municipality_code="23027")
    for district in ("767", "769"):
        ActivityFactory(edition=edition, organization=organization, district_code=district)
    as_user(UserFactory(organization=organization))
    page = client.get("/lettres/mon-territoire").get_data(as_text=True)
    assert "Bureau : 1000, boul. Louis-XIV, Québec" in page
    assert member.email and f'name="official_id" value="{member.id}"' in page

"""Offline geocoder on the shipped Québec data: names, postal codes, polygons.

Indexes are built once per process on first use (thread-safe) from gstp/geo/data only.
"""
import csv
import difflib
import gzip
import json
import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache

from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.prepared import prep

from gstp.geo.reference import DATA_DIR, INHABITED_DESIGNATION_CODES, read_regions
from gstp.geo.text import (
    STREET_WORDS,
    article_free,
    candidate_names,
    name_key,
    parse_address,
)


@dataclass(frozen=True)
class Municipal:
    """A local municipality as the gazetteer knows it."""

    code: str
    name: str
    region_code: str
    mrc_code: str | None
    latitude: float
    longitude: float
    population: int
    postal_code: str
    districts_2017: tuple[str, ...]
    district_2026: str | None


@dataclass(frozen=True)
class GeoResult:
    """Where a text was placed, and how (source: gazetteer, postal_code, nominatim, …)."""

    latitude: float
    longitude: float
    municipality_code: str | None
    municipality: str | None
    region_code: str | None
    mrc_code: str | None
    district_code: str | None
    source: str


class Polygons:
    """Point-in-polygon on the official region and MRC polygons (STRtree + prepared)."""

    def __init__(self, filename: str, code_key: str) -> None:
        features = json.loads((DATA_DIR / filename).read_text(encoding="utf-8"))["features"]
        self.codes = [f["properties"][code_key] for f in features]
        self.geometries = [shape(f["geometry"]) for f in features]
        self.prepared = [prep(g) for g in self.geometries]
        self.tree = STRtree(self.geometries)

    def code_at(self, latitude: float, longitude: float) -> str | None:
        """Code of the polygon holding the point; the nearest within ~5 km on the coasts."""
        point = Point(longitude, latitude)
        for index in self.tree.query(point):
            if self.prepared[index].contains(point):
                return self.codes[index]
        nearest = self.tree.query_nearest(point, max_distance=0.05)
        return self.codes[nearest[0]] if len(nearest) else None


class Gazetteer:
    """Name, postal-code and polygon indexes over the shipped files."""

    def __init__(self) -> None:
        with (DATA_DIR / "municipalities.csv").open(encoding="utf-8") as handle:
            rows = [r for r in csv.DictReader(handle)
                    if r["designation_code"] in INHABITED_DESIGNATION_CODES and r["latitude"]]
        self.municipalities = {
            r["code"]: Municipal(
                r["code"], r["name"], r["region_code"], r["mrc_code"] or None,
                float(r["latitude"]), float(r["longitude"]), int(r["population"] or 0),
                r["postal_code"], tuple(c for c in r["district_2017"].split(";") if c),
                r["district_2026"] or None)
            for r in rows
        }
        self.by_name: dict[str, list[Municipal]] = {}
        for muni in self.municipalities.values():
            key = name_key(muni.name)
            for variant in (key, article_free(key)):
                if variant:
                    self.by_name.setdefault(variant, []).append(muni)
        for matches in self.by_name.values():
            matches.sort(key=lambda m: -m.population)
        with (DATA_DIR / "aliases.csv").open(encoding="utf-8") as handle:
            for alias in csv.DictReader(handle):
                key, muni = name_key(alias["alias"]), self.municipalities.get(alias["code"])
                # After the places really so named: an alias never hides one, but a postal
                # code of the alias's municipality picks it (Mingan: reserve or village).
                if muni is not None and muni not in self.by_name.get(key, []):
                    self.by_name.setdefault(key, []).append(muni)
        # Reserves have no town hall of their own in the directory: no postal code.
        self.by_postal_code = {m.postal_code: m for m in self.municipalities.values()
                               if m.postal_code}
        self.by_fsa: dict[str, list[Municipal]] = {}
        self.by_population = sorted(self.municipalities.values(), key=lambda m: -m.population)
        for muni in self.by_population:
            if muni.postal_code:
                self.by_fsa.setdefault(muni.postal_code[:3], []).append(muni)
        # "Lac-Simon, Abitibi-Témiscamingue": a region named in the text picks the homonym
        # (Montréal and Laval name their city first).
        self.region_by_key = {key: code for code, name in read_regions().items()
                              if (key := name_key(name)) not in self.by_name}
        self.keys_by_initial: dict[str, list[str]] = {}
        for key in self.by_name:
            self.keys_by_initial.setdefault(key[:1], []).append(key)
        with (DATA_DIR / "districts_2017_to_2026.csv").open(encoding="utf-8") as handle:
            self.district_2026_of = {r["district_2017"]: r["district_2026"]
                                     for r in csv.DictReader(handle) if r["district_2026"]}
        self.regions = Polygons("regions.geojson", "code")
        self.mrcs = Polygons("mrc.geojson", "MRS_CO_MRC")
        self._postal_lock = threading.Lock()

    @cached_property
    def postal_districts_2017(self) -> dict[str, str]:
        """Postal code → 2017 district (214,661 codes), loaded on the first postal query."""
        with gzip.open(DATA_DIR / "postal_codes_2017.csv.gz", "rt", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            return {code: district for code, district in reader}

    # -- lookups ------------------------------------------------------------------------
    def find_name(self, text: str, *, fuzzy: bool = True) -> list[Municipal]:
        """Municipalities named `text` (any variant), most populous first."""
        key = name_key(text)
        found = self.by_name.get(key) or self.by_name.get(article_free(key) or "")
        if found or not fuzzy or len(key) < 4:
            return found or []
        close = difflib.get_close_matches(key, self.keys_by_initial.get(key[:1], []),
                                          n=1, cutoff=0.82)
        return self.by_name[close[0]] if close else []

    def _find_in_segment(self, segment: str) -> list[Municipal]:
        """The whole part as a name (with typos when it looks like one), else a run in it."""
        found = self.find_name(segment, fuzzy=False)
        words = segment.split()
        if not found and not any(w.isdigit() or w in STREET_WORDS for w in words):
            found = self.find_name(segment)
        if not found:
            found = next((f for name in candidate_names(segment)
                          if (f := self.find_name(name, fuzzy=False))), [])
        return found

    def find_postal_code(self, postal_code: str | None, fsa: str | None) -> list[Municipal]:
        """Candidates for a postal code: the town hall's own code, else its FSA's towns.

        The 2017 district of the code narrows the FSA candidates (a rural FSA spans many
        municipalities); see the data README for why this is sound only that far.
        """
        if postal_code and postal_code in self.by_postal_code:
            return [self.by_postal_code[postal_code]]
        candidates = self.by_fsa.get(fsa or "", [])
        if not postal_code:
            return candidates
        with self._postal_lock:
            district = self.postal_districts_2017.get(postal_code)
        narrowed = [m for m in candidates if district in m.districts_2017]
        if not candidates:  # no town hall in that FSA: the towns of its 2017 district
            narrowed = [m for m in self.by_population if district in m.districts_2017]
        return narrowed or candidates

    def district_for(self, muni: Municipal | None, postal_code: str | None) -> str | None:
        """2026 district: the municipality's own, else through the postal code's 2017 one."""
        if muni is not None and muni.district_2026:
            return muni.district_2026
        if not postal_code:
            return None
        with self._postal_lock:
            old = self.postal_districts_2017.get(postal_code)
        if old is None or (muni is not None and old not in muni.districts_2017):
            return None
        return self.district_2026_of.get(old)

    def districts_of(self, code: str | None) -> tuple[str, ...]:
        """2026 districts a municipality lies in: one, or several for a split city."""
        muni = self.municipalities.get(code or "")
        if muni is None:
            return ()
        if muni.district_2026:
            return (muni.district_2026,)
        return tuple(sorted({self.district_2026_of[c] for c in muni.districts_2017
                             if c in self.district_2026_of}))

    @cached_property
    def split_city_codes(self) -> frozenset[str]:
        """Municipalities over several districts: the postal code or staff decide."""
        return frozenset(m.code for m in self.municipalities.values()
                         if not m.district_2026 and len(m.districts_2017) > 1)

    def locate_point(self, latitude: float, longitude: float) -> tuple[str | None, str | None]:
        """(region code, MRC code) of any coordinate."""
        return self.regions.code_at(latitude, longitude), self.mrcs.code_at(latitude, longitude)

    def result_for(self, muni: Municipal, *, postal_code: str | None, source: str) -> GeoResult:
        return GeoResult(muni.latitude, muni.longitude, muni.code, muni.name, muni.region_code,
                         muni.mrc_code, self.district_for(muni, postal_code), source)

    def geocode(self, text: str, *, postal_code: str | None = None) -> GeoResult | None:
        """Place a free text (address, municipality name, postal code) at municipality level."""
        return _geocode_cached(self, text or "", postal_code or "")

    def _geocode(self, text: str, postal_code: str) -> GeoResult | None:
        parsed = parse_address(f"{text} {postal_code}" if postal_code else text)
        by_postal = self.find_postal_code(parsed.postal_code, parsed.fsa)
        named = {self.region_by_key.get(name_key(segment)) for segment in parsed.segments}
        regions = {m.region_code for m in by_postal} | (named - {None})
        for segment in parsed.segments:
            if name_key(segment) in self.region_by_key:
                continue
            found = self._find_in_segment(segment)
            if found:
                # Homonyms: the one the postal code points to, else the one of the region
                # the postal code or the text names, else the most populous.
                chosen = next((m for m in found if m in by_postal), None) or next(
                    (m for m in found if m.region_code in regions), found[0])
                return self.result_for(chosen, postal_code=parsed.postal_code,
                                       source="gazetteer")
        # A rural FSA ("G0A") spans many towns: only a single candidate is sound there.
        if by_postal and (len(by_postal) == 1 or (parsed.fsa or "0")[1] != "0"):
            return self.result_for(by_postal[0], postal_code=parsed.postal_code,
                                   source="postal_code")
        return None


@lru_cache(maxsize=4096)
def _geocode_cached(gazetteer: Gazetteer, text: str, postal_code: str) -> GeoResult | None:
    return gazetteer._geocode(text, postal_code)


_lock = threading.Lock()
_instance: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = Gazetteer()
    return _instance

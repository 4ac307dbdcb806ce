"""The downloads are assembled from each article's export text, made once in the analysis
worker and kept in the cache: they must equal encoding the records in one go."""
import csv
import io
import json
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.config import Config
from digest.export import CSV_FIELDS, records, to_csv, to_json, validate
from digest.group import sort_key
from digest.pipeline import gather

from conftest import ROOT, SEEDS

EVAL_ARTICLES = ROOT / "tests" / "eval" / "articles"


def _articles():
    arts = gather(Config(seeds=SEEDS, cache=None)).articles + gather(Config(seeds=EVAL_ARTICLES, cache=None)).articles
    return [pickle.loads(pickle.dumps(a)) for a in arts]  # as the cache returns them


def test_compact_json_is_the_records_encoded_in_one_go():
    arts = _articles()
    text = to_json(arts, indent=None)
    assert text == json.dumps(records(arts), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    assert validate(json.loads(text)) == [] and len(json.loads(text)["articles"]) == len(arts) > 5


def test_downloads_are_written_in_pieces_and_compared_in_pieces(tmp_path):
    from digest.export import json_chunks
    from digest.write import Chunks, write_pages
    arts = _articles()
    pages = {"downloads/digest.json": json_chunks(arts)}
    assert isinstance(pages["downloads/digest.json"], Chunks) and len(pages["downloads/digest.json"]) > len(arts)
    assert write_pages(pages, tmp_path)["written"] == 1
    assert (tmp_path / "downloads/digest.json").read_text(encoding="utf-8") == to_json(arts, indent=None)
    assert write_pages(pages, tmp_path)["unchanged"] == 1
    assert write_pages({"downloads/digest.json": json_chunks(arts[1:])}, tmp_path)["written"] == 1


def test_json_of_no_articles():
    assert json.loads(to_json([], indent=None)) == {"schema_version": 1, "articles": [], "events": []}


def test_csv_has_one_row_per_article_in_chronology_order():
    arts = _articles()
    rows = list(csv.DictReader(io.StringIO(to_csv(arts))))
    assert [r["id"] for r in rows] == [a.id for a in sorted(arts, key=sort_key)]
    assert list(rows[0]) == CSV_FIELDS
    by_id = {a.id: a for a in arts}
    assert all(r["summary"] == by_id[r["id"]].summary and r["title"] == by_id[r["id"]].title for r in rows)


def test_export_text_travels_with_the_cached_article():
    a = gather(Config(seeds=SEEDS, cache=None)).articles[0]
    kept = pickle.loads(pickle.dumps(a))
    assert kept.__dict__.get("_export_json") == json.dumps(a.to_record(), ensure_ascii=False, sort_keys=True,
                                                           separators=(",", ":")).encode()
    assert kept == a


def _json(inner_float):
    return st.recursive(st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1)
                        | st.text(st.characters(blacklist_categories=["Cs"])) | inner_float,
                        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                        max_leaves=20)


# coordinates as the gazetteer gives them; a float that needs an exponent (1e+16, 5e-05) is
# written without "+" or the leading zero by orjson: the same number, other bytes
COORDINATES = st.floats(-180, 180).map(lambda x: round(x, 4)).filter(lambda x: x == 0 or abs(x) >= 1e-4)


@settings(max_examples=300, deadline=None)
@given(_json(COORDINATES))
def test_compact_json_is_the_json_modules_compact_json(value):
    """orjson writes the per-article JSON: byte for byte what the json module writes."""
    from digest.export import compact
    assert compact(value) == json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@settings(max_examples=300, deadline=None)
@given(_json(st.floats(allow_nan=False, allow_infinity=False)))
def test_compact_json_reads_back_as_the_value(value):
    from digest.export import compact
    assert json.loads(compact(value)) == value


def test_compact_json_of_what_orjson_refuses():
    from digest.export import compact
    assert json.loads(compact({"killed": 2**70, "b": [1.5]})) == {"killed": 2**70, "b": [1.5]}

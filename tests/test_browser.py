"""The built site in a real browser: search, links, chronology and map work, with no console
errors and no request to another host.

Uses Debian's Chromium at /usr/bin/chromium (`.ci/install-browser` installs it); Playwright's own
browser download is not used. Without Chromium the module is skipped locally and fails in CI.
"""
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import build_in, copy_skeleton
from digest.preview import LOOPBACK, serve


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]
TIMEOUT_MS = 15_000

IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

if IN_CI:  # CI must never skip these tests: a missing Playwright is an error there
    from playwright import sync_api
else:
    sync_api = pytest.importorskip("playwright.sync_api")


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def chromium_path():
    if not os.path.exists(CHROMIUM):
        msg = f"{CHROMIUM} not found: run .ci/install-browser"
        if IN_CI:
            pytest.fail(msg + " (CI must not skip the browser tests)")
        pytest.skip(msg)
    return CHROMIUM


@pytest.fixture(scope="module")
def base_url(seed_site: Path):
    yield from _serve(seed_site)


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    """A site with one article whose title and text are markup meant to run in a browser."""
    root = copy_skeleton(tmp_path_factory.mktemp("hostile-search"))
    payload = '<img src=x onerror=alert(1)> <a href="javascript:alert(2)">Quxbomb</a>'
    (root / "seeds" / "payload.txt").write_text(
        f"{payload}\n\nOn 3 March 2024 Quxbomb militants fired rockets at a base in Erbil, officials said. "
        f"{payload} claimed the attack.\n", encoding="utf-8")
    assert build_in(root).exit_code == 0
    yield from _serve(root / "site")


@pytest.fixture(scope="module")
def sub_path_url(seed_site: Path, tmp_path_factory):
    """The site published under a sub-path, as a GitHub Pages project site is."""
    root = tmp_path_factory.mktemp("pages")
    (root / "digest").symlink_to(seed_site, target_is_directory=True)
    for url in _serve(root):
        yield url + "/digest"


def _serve(directory: Path):
    with serve(directory) as url:
        yield url



@pytest.fixture(scope="module")
def browser(chromium_path, tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as pw:
        # a persistent context gives Chromium its own fresh user-data dir
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def problems():
    """Everything the pages did wrong, over the whole module; checked by the last test."""
    return {"console errors": [], "page errors": [], "third-party requests": []}


def _is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname == LOOPBACK


@pytest.fixture
def page(browser, problems):
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)

    def on_console(msg):
        if msg.type == "error":
            problems["console errors"].append(f"{page.url}: {msg.text}")

    def on_request(request):
        if not _is_loopback(request.url):
            problems["third-party requests"].append(f"{page.url}: {request.url}")

    def route(r):
        if _is_loopback(r.request.url):
            r.continue_()
        else:
            r.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems["page errors"].append(f"{page.url}: {exc}"))
    page.on("request", on_request)
    page.route("**/*", route)
    yield page
    page.close()


def _path(page) -> str:
    return urlsplit(page.url).path


# ---------------------------------------------------------------- tests

def test_search_finds_kataib_hezbollah_by_its_abbreviation(page, base_url):
    page.goto(base_url + "/")
    page.locator('.md-tabs a[href$="search/"]').first.click()  # the Search tab
    page.wait_for_url("**/search/")
    box = page.locator("#search input.pagefind-ui__search-input")
    sync_api.expect(box).to_be_visible(timeout=TIMEOUT_MS)
    box.press_sequentially("KH", delay=50)
    hit = page.locator('#search .pagefind-ui__result-link[href*="actors/kataib-hezbollah/"]')
    sync_api.expect(hit.first).to_be_visible(timeout=TIMEOUT_MS)
    hit.first.click()
    page.wait_for_url("**/actors/kataib-hezbollah/")


def test_search_results_show_payloads_as_text(page, hostile_url):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_url + "/search/?q=Quxbomb")
    results = page.locator("#search .pagefind-ui__results")
    sync_api.expect(results.locator(".pagefind-ui__result").first).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)  # let any injected handler fire
    assert "onerror" in results.inner_text()  # shown, as text
    assert results.locator("img, script, iframe, a[href^='javascript']").count() == 0
    assert dialogs == []


def test_search_works_under_a_sub_path(page, sub_path_url):
    page.goto(sub_path_url + "/search/?q=Kataib")
    hit = page.locator('#search .pagefind-ui__result-link[href*="actors/kataib-hezbollah/"]').first
    sync_api.expect(hit).to_be_visible(timeout=TIMEOUT_MS)
    assert hit.get_attribute("href").startswith("/digest/actors/")


def test_search_filters_by_month(page, base_url):
    page.goto(base_url + "/search/?q=attack")
    sync_api.expect(page.locator("#search .pagefind-ui__result").first).to_be_visible(timeout=TIMEOUT_MS)
    before = page.locator("#search .pagefind-ui__result").count()
    month = page.locator("#search .pagefind-ui__filter-name", has_text="month").first
    month.click()
    page.locator('#search label:has-text("February 2020")').first.click()
    results = page.locator("#search .pagefind-ui__result-link")
    sync_api.expect(results).to_have_count(1, timeout=TIMEOUT_MS)
    assert "articles/001" in results.first.get_attribute("href") and before > 1
    # the other months stay offered: ticking one more widens the results (values are OR-ed)
    assert page.locator("#search details[open] .pagefind-ui__filter-label").count() > 1


def test_filter_index_loads_only_when_a_filter_is_opened(page, base_url):
    # Pagefind counts every filter value against each search's results once filters are
    # loaded (seconds per search at 10,000 articles), so a plain search must not load them.
    # Playwright's request events include those of Pagefind's Web Worker.
    filter_chunks = []
    page.on("request", lambda r: filter_chunks.append(r.url) if "/filter/" in r.url else None)
    page.goto(base_url + "/search/?q=attack")
    sync_api.expect(page.locator("#search .pagefind-ui__result-link").first).to_be_visible(timeout=TIMEOUT_MS)
    assert filter_chunks == []
    page.locator("#search .pagefind-ui__filter-name", has_text="Event type").first.click()
    sync_api.expect(page.locator("#search details[open] .pagefind-ui__filter-label").first).to_be_visible(timeout=TIMEOUT_MS)
    assert filter_chunks and all(urlsplit(u).path.split("/")[1].startswith("pagefind") for u in filter_chunks)


def test_search_lists_more_results_on_request(page, base_url):
    page.goto(base_url + "/search/?q=the")
    results = page.locator("#search .pagefind-ui__result")
    sync_api.expect(results.first).to_be_visible(timeout=TIMEOUT_MS)
    total = int(page.locator("#search .pagefind-ui__message").inner_text().split()[0].replace(",", ""))
    assert total > 10 and results.count() == 10  # a page of results at a time
    page.locator("#search .pagefind-ui__button").click()
    sync_api.expect(results).to_have_count(min(total, 20), timeout=TIMEOUT_MS)


def test_article_actor_link_leads_to_the_actor_page(page, base_url):
    page.goto(base_url + "/articles/002-aac349f3495265de/")
    actors_table = page.locator("h2#actors ~ div table, h2#actors ~ table").first
    sync_api.expect(actors_table).to_be_visible()
    link = actors_table.locator('tbody a[href*="actors/"]').first
    name = link.inner_text().strip()
    assert name
    link.click()
    page.wait_for_url("**/actors/*/")
    assert _path(page).startswith("/actors/") and _path(page) != "/actors/"
    sync_api.expect(page.locator("article h1").first).to_have_text(name)


def test_chronology_has_month_headings_and_article_links(page, base_url):
    resp = page.goto(base_url + "/chronology/")
    assert resp and resp.ok
    content = page.locator("article.md-content__inner")
    assert content.locator("h2").count() >= 1
    months = [t.strip() for t in content.locator("h2").all_inner_texts()]
    assert any(any(ch.isdigit() for ch in t) for t in months), months
    assert content.locator('a[href*="articles/"]').count() >= 1


def test_map_points_lead_to_the_chronology(page, base_url):
    # ask first without navigating, so a missing page does not also log a console error
    status = page.request.get(base_url + "/map/").status
    assert status == 200, f"/map/ answered {status}"
    page.goto(base_url + "/map/")
    svg = page.locator("article svg:has(circle)").first
    sync_api.expect(svg).to_be_visible()
    assert svg.locator("circle").count() >= 1
    point = svg.locator("a:has(circle)").first
    sync_api.expect(point).to_be_attached()
    href = point.get_attribute("href")
    point.locator("circle").first.click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/map/" or bool(urlsplit(url).fragment))
    url = urlsplit(page.url)
    # a point leads to the chronology, or to an events anchor (on the chronology or the map page)
    assert url.path.endswith("/chronology/") or url.fragment, f"{href} led to {page.url}"
    if url.fragment:
        sync_api.expect(page.locator(f"[id='{url.fragment}']"),
                        f"{page.url}: no element with that id").to_be_attached()


def test_no_console_errors_and_no_third_party_requests(problems):
    """Runs last in the module: everything the pages above reported."""
    bad = {k: v for k, v in problems.items() if v}
    assert not bad, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in bad.items())

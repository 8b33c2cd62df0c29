"""The pages in a real browser: headless Debian chromium driven by selenium against uvicorn on 127.0.0.1.
Search (a plain form, no JavaScript needed), the entity page with its timeline, and the changes chart.
Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from sanctions.api.testing import build_demo_store, shared_server

selenium = pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
CHOI = "us-ofac-sdn:27209"


@pytest.fixture(scope="session")
def api_db(tmp_path_factory, data_dir: Path) -> Path:
    return build_demo_store(tmp_path_factory.getbasetemp() / "api-demo.db", data_dir)


@pytest.fixture(scope="module")
def base_url(api_db: Path) -> str:
    return shared_server(api_db).url


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("chromium / chromedriver missing: apt-get install -y chromium chromium-driver")
    profile = tempfile.mkdtemp(prefix="sanctions-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1400,1000"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(120)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_search_finds_choi(browser, base_url):
    browser.get(base_url + "/ui/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("Choi Myung Hyun")
    browser.find_element(By.ID, "go").click()
    WebDriverWait(browser, 60).until(EC.presence_of_element_located((By.ID, "results")))
    first = browser.find_elements(By.CSS_SELECTOR, "#results tr.result")[0]
    link = first.find_element(By.CSS_SELECTOR, "a.entity-link")
    assert link.get_attribute("href") == f"{base_url}/ui/entities/{CHOI}"
    assert first.get_attribute("data-entity") == CHOI
    assert "match" in first.get_attribute("class")
    assert "choi~choe" in first.text  # the explanation is on the page
    assert "NPWMD" in first.text and "US Treasury OFAC" in first.text
    browser.save_screenshot(str(SHOTS / "search.png"))
    link.click()
    WebDriverWait(browser, 60).until(EC.presence_of_element_located((By.ID, "timeline")))
    assert browser.current_url == f"{base_url}/ui/entities/{CHOI}"


def test_entity_page_shows_names_and_timeline(browser, base_url):
    browser.get(f"{base_url}/ui/entities/us-ofac-sdn:10353")  # listed 2021-07-07, modified by 2024-05-03
    assert "LOPEZ DIAZ" in browser.find_element(By.TAG_NAME, "h1").text
    names = browser.find_elements(By.CSS_SELECTOR, "#names tbody tr")
    assert names
    versions = browser.find_elements(By.CSS_SELECTOR, "#timeline li.version")
    assert len(versions) == 2
    text = browser.find_element(By.ID, "timeline").text
    assert "2021-07-07" in text and "2024-05-03" in text and "modified" in text.lower()
    assert "Programs" in browser.find_element(By.ID, "fields").text
    browser.save_screenshot(str(SHOTS / "entity.png"))


def test_changes_page_shows_the_chart(browser, base_url):
    browser.get(f"{base_url}/ui/changes?since=2021-01-01&until=2026-12-31")
    img = browser.find_element(By.ID, "chart")
    WebDriverWait(browser, 120).until(lambda d: d.execute_script("return arguments[0].complete", img))
    assert browser.execute_script("return arguments[0].naturalWidth", img) > 0
    assert "us-ofac-sdn" in browser.find_element(By.TAG_NAME, "main").text
    links = browser.find_elements(By.CSS_SELECTOR, "section.snapshot a")
    assert links and all("/ui/entities/" in a.get_attribute("href") for a in links[:20])
    browser.save_screenshot(str(SHOTS / "changes.png"))


def test_search_without_javascript(browser, base_url):
    """The search works as a plain GET form: the result page is complete HTML."""
    browser.get(f"{base_url}/ui/?q=Choi+Myung+Hyun&dob=&nationality=&type=person")
    assert browser.find_elements(By.CSS_SELECTOR, "#results tr.result")
    browser.get(f"{base_url}/ui/?q=Choi&dob=not-a-date")
    assert "YYYY" in browser.find_element(By.ID, "error").text

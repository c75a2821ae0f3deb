"""End to end in a real browser: Debian's Chromium driven by Playwright against
the site on gunicorn, with a model trained on NSL-KDD. Sign up, log out (a
copy of the session cookie in another browser is refused after it) and in,
enter a real KDDTest+ row, see its prediction, upload a small CSV, see the
table. Screenshots go to
$IMBLEARN_VAE_SCREENSHOTS (default: the test's temporary folder)."""

import os
import shutil
from pathlib import Path

import pytest

from .conftest import PASSWORD, example_row
from .servers import serving
from .test_pages import csv_bytes

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
LAUNCH_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright's Python package is not installed"
    )
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_api.sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(
                executable_path=CHROMIUM, args=LAUNCH_FLAGS, headless=True
            )
        except Exception as error:  # a broken install says why, not a pass
            pytest.skip(f"Chromium did not start: {error}")
        yield instance
        instance.close()


@pytest.fixture
def screenshots(tmp_path):
    folder = Path(os.environ.get("IMBLEARN_VAE_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_out_and_check_a_copied_cookie(browser, page, url: str) -> None:
    """Another browser with a copy of the session cookie gets in until the
    owner logs out; then the copy opens nothing (issue 22, observation 1)."""
    (session,) = [c for c in page.context.cookies() if c["name"] == "session"]
    thief = browser.new_context().new_page()
    thief.context.add_cookies([session])
    thief.goto(url + "/history")
    assert thief.url == url + "/history"
    page.get_by_role("button", name="Log out").click()
    assert "You are logged out." in page.locator(".flash").inner_text()
    thief.goto(url + "/history")
    assert thief.url.startswith(url + "/login")
    thief.context.close()


def test_sign_up_predict_and_upload_in_a_browser(
    browser, nsl_detector_file, nsl_detector, tmp_path, screenshots
):
    detector = nsl_detector
    data = tmp_path / "site"
    with serving(
        "--model",
        str(nsl_detector_file),
        "--data-dir",
        str(data),
        "--workers",
        "2",
        env={"IMBLEARN_VAE_SECRET_KEY": "b" * 64},
    ) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "/")
        page.get_by_role("link", name="Sign up").first.click()
        page.get_by_label("User name").fill("alice")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Repeat the password").fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()
        page.wait_for_url(url + "/predict")

        log_out_and_check_a_copied_cookie(browser, page, url)
        page.get_by_role("link", name="Log in").first.click()
        page.get_by_label("User name").fill("alice")
        page.get_by_label("Password").fill("wrong password!")
        page.get_by_role("button", name="Log in").click()
        assert page.get_by_role("alert").inner_text() == "Wrong user name or password."
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(url + "/predict")

        # a real KDDTest+ row, from the example button (the first is normal)
        page.get_by_role("button", name="Fill in an example row").click()
        assert "labelled normal" in page.locator("#example-note").inner_text()
        expected = example_row(detector, "normal")
        assert (
            page.locator("input[name=src_bytes]").input_value() == expected["src_bytes"]
        )
        assert page.locator("select[name=service]").input_value() == expected["service"]
        page.screenshot(path=screenshots / "form.png", full_page=True)
        page.get_by_role("button", name="Predict", exact=True).click()
        page.wait_for_url(f"{url}/predictions/*")
        predicted = page.locator("#predicted-class").inner_text()
        frame, _ = detector.check_rows([expected])
        assert predicted == detector.predict(frame)[0][0]
        assert page.locator("meter").count() == len(detector.classes)
        page.screenshot(path=screenshots / "result.png", full_page=True)

        # a bad value is named and kept
        page.goto(url + "/predict")
        page.get_by_role("button", name="Fill in an example row").click()
        page.locator("input[name=dst_bytes]").fill("-7")
        page.get_by_role("button", name="Predict", exact=True).click()
        assert "must not be negative" in page.locator("label.invalid").inner_text()
        assert page.locator("input[name=dst_bytes]").input_value() == "-7"

        rows = [example_row(detector, c) for c in detector.classes]
        upload = tmp_path / "five_connections.csv"
        upload.write_bytes(csv_bytes(rows, extra={"label": "?"}))
        page.get_by_role("link", name="Upload").click()
        page.get_by_label("CSV file of connections").set_input_files(str(upload))
        page.get_by_role("button", name="Upload and predict").click()
        page.wait_for_url(f"{url}/uploads/*")
        assert page.locator("#upload-table tbody tr").count() == 5
        assert "five_connections.csv: 5 connections" in page.locator("h1").inner_text()
        page.screenshot(path=screenshots / "upload.png", full_page=True)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the results as CSV").click()
        assert download.value.suggested_filename == "five_connections_predictions.csv"

        page.get_by_role("link", name="History").click()
        assert page.locator("#history-table tbody tr").count() == 6
    for name in ("form.png", "result.png", "upload.png"):
        assert (screenshots / name).stat().st_size > 10_000
    if os.environ.get("IMBLEARN_VAE_SCREENSHOTS"):
        shutil.copy(screenshots / "result.png", screenshots / "result_page.png")

"""A detector of another table in a real browser (issue 32): the BoT-IoT
fragment's detector on gunicorn, in Debian's Chromium driven by Playwright.
Its form fills in a test row of the DDoS class and gets "DDoS"; a line of
the BoT-IoT file, tabs and identifiers and all, gets it too; the data page
draws the classes before and after balancing and each feature per class;
the model page its confusion matrix. Screenshots (``web_*_bot_iot.png``) go
where test_browser.py puts its own.
"""

from imblearn_vae.detector import load_detector

from ..tables import training_lines
from .conftest import PASSWORD
from .servers import serving

# its fixtures, and its mark: slow, skipped without Playwright
from .test_browser import browser, pytestmark, screenshots, shoot  # noqa: F401


def sign_up(page, url: str) -> None:
    page.goto(url + "/signup")
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(url + "/predict")


def predict_ddos_from_the_form_and_a_line(page, url, detector, case, shots) -> None:
    example = detector.examples["DDoS"][0]
    frame, _ = detector.check_rows([example])
    assert detector.predict(frame)[0] == ["DDoS"]
    page.get_by_role("link", name="Predict", exact=True).click()
    # the classes' examples in turn: DDoS first
    page.get_by_role("button", name="Fill in an example row").click()
    assert "labelled DDoS" in page.locator("#example-note").inner_text()
    assert (
        page.locator('select[name="feature:proto"]').input_value() == example["proto"]
    )
    page.get_by_role("button", name="Predict", exact=True).click()
    page.wait_for_url(f"{url}/predictions/*")
    assert page.locator("#predicted-class").inner_text() == "DDoS"
    assert page.locator("meter").count() == len(detector.classes)
    shoot(page, shots / "web_result_bot_iot.png")
    # a line of the file as it is: tab-separated, identifiers and labels
    header, *lines = training_lines(case, 40)
    category = header.split("\t").index("category")
    line = next(x for x in lines if x.split("\t")[category] == "DDoS")
    page.goto(url + "/predict")
    page.locator("textarea#line").fill(line)
    page.get_by_role("button", name="Predict this line").click()
    page.wait_for_url(f"{url}/predictions/*")
    assert page.locator("#actual-class").inner_text() == "DDoS"
    assert page.locator("#predicted-class").inner_text() == "DDoS"


def read_the_data_page(page, url, detector, shots) -> None:
    page.get_by_role("link", name="Data", exact=True).click()
    page.wait_for_url(url + "/data")
    chart = page.locator("svg#class-chart")
    assert chart.locator("rect.before").count() == len(detector.classes)
    assert chart.locator("rect.after").count() == len(detector.classes)
    assert chart.bounding_box()["width"] > 300  # drawn, not only in the markup
    numbers = [f for f in detector.features if f.kind != "categorical"]
    plots = page.locator("svg.box-plot")
    assert plots.count() == len(numbers)
    assert plots.first.locator("rect.box").count() == len(detector.classes)
    assert page.locator("table.categories").count() == 1  # proto
    generated = page.locator("#balancing-table tbody tr")
    assert generated.count() == len(detector.classes)
    shoot(page, shots / "web_data_bot_iot.png")


def read_the_model_page(page, url, detector, shots) -> None:
    page.get_by_role("link", name="Model", exact=True).click()
    page.wait_for_url(url + "/model")
    matrix = page.locator("svg#confusion-matrix")
    assert matrix.locator("rect.cell").count() == len(detector.classes) ** 2
    counts = matrix.locator("text.count").all_text_contents()
    assert sum(int(c.replace(",", "")) for c in counts) == detector.scores["test_rows"]
    assert "bot_iot_sample.tsv" in page.locator("#model-facts").inner_text()
    shoot(page, shots / "web_model_bot_iot.png")


def test_a_bot_iot_detector_in_a_browser(browser, trained_tables, tmp_path,  # noqa: F811
                                         screenshots):  # noqa: F811  # fmt: skip
    case, model = trained_tables["bot-iot"]
    detector = load_detector(model)
    assert "normal" not in detector.classes  # the fragment has no normal class
    with serving(
        "--model", str(model), "--data-dir", str(tmp_path / "site"),
        "--workers", "2", env={"IMBLEARN_VAE_SECRET_KEY": "b" * 64},
    ) as url:  # fmt: skip
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        sign_up(page, url)
        predict_ddos_from_the_form_and_a_line(page, url, detector, case, screenshots)
        read_the_data_page(page, url, detector, screenshots)
        read_the_model_page(page, url, detector, screenshots)
    for name in ("web_result_bot_iot.png", "web_data_bot_iot.png",
                 "web_model_bot_iot.png"):  # fmt: skip
        assert (screenshots / name).stat().st_size > 10_000, name

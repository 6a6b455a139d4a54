"""The project catalogue on a phone (Debian chromium through Playwright): filter, share, sort, download."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from test_browser import browser, phone, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def shown(page) -> list[str]:
    """Ids of the projects the visitor sees, in the order shown."""
    return [href.rstrip("/") for href in
            page.locator("li[data-chain]:visible > a").evaluate_all("els => els.map(a => a.getAttribute('href'))")]


def test_filter_by_chain_and_by_county(server, phone, model):
    phone.goto(server + "projects/")
    assert phone.locator("#catalogue-filters").is_visible()
    assert len(shown(phone)) == len(model.projects)

    phone.select_option("#filter-chain", "display-materials")
    expected = [p.id for p in model.projects if p.chain == "display-materials"]
    assert sorted(shown(phone)) == sorted(expected) and len(expected) == 5
    assert phone.inner_text("#catalogue-status") == f"显示 {len(expected)} 项，共 {len(model.projects)} 项"
    assert parse_qs(urlsplit(phone.url).query) == {"chain": ["display-materials"]}
    # Chains with nothing left are hidden, heading and all.
    assert phone.locator("h2[data-group='tcm']").is_hidden()

    phone.select_option("#filter-chain", "")
    phone.select_option("#filter-county", "longhui")
    assert shown(phone) == ["longhui-xiaoshajiang-honeysuckle-town-project"]
    assert parse_qs(urlsplit(phone.url).query) == {"county": ["longhui"]}

    # Both at once: the TCM chain in Longhui; then a combination with no project says so.
    phone.select_option("#filter-chain", "tcm")
    assert shown(phone) == ["longhui-xiaoshajiang-honeysuckle-town-project"]
    phone.select_option("#filter-chain", "internet")
    assert shown(phone) == []
    assert phone.locator("#catalogue-empty").is_visible()
    # Counts next to each option follow the other filters: Longhui has one project, in the TCM chain.
    assert phone.locator("#filter-chain option[value='tcm']").inner_text().endswith("(1)")
    assert phone.locator("#filter-chain option[value='internet']").inner_text().endswith("(0)")
    assert phone.errors == []


def test_a_filtered_view_can_be_shared(server, phone, model):
    phone.goto(server + "en/projects/?chain=tcm&county=none")
    assert phone.input_value("#filter-chain") == "tcm"
    expected = [p.id for p in model.projects if p.chain == "tcm" and not p.county]
    assert shown(phone) == expected == ["lianqiao-pharmaceutical-park-project"]
    assert phone.inner_text("#catalogue-status") == f"Showing 1 of {len(model.projects)} projects"
    phone.click("#catalogue-filters button[type=reset]")
    phone.wait_for_function("location.search === ''")
    assert len(shown(phone)) == len(model.projects)


def test_sort_by_amount_puts_stated_amounts_first(server, phone, model):
    phone.goto(server + "projects/?sort=amount-desc")
    order = shown(phone)
    assert len(order) == len(model.projects)
    assert order[0] == "example-project"  # the only project with an amount; the others follow in list order
    assert phone.locator("#catalogue-sorted").is_visible()
    assert phone.locator("h2[data-group]:visible").count() == 0


def test_without_javascript_every_project_is_listed(browser, server, model):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "projects/?chain=tcm")
    assert len(shown(page)) == len(model.projects)
    assert page.locator("#catalogue-filters").is_hidden()
    context.close()


@pytest.mark.parametrize("lang_root, sheet", [("", "招商项目"), ("en/", "Projects")])
def test_download_the_xlsx_and_read_it_back(server, phone, model, tmp_path, lang_root, sheet):
    phone.goto(server + lang_root + "projects/")
    with phone.expect_download() as info:
        phone.click(".portal-downloads a[href$='catalog.xlsx']")
    download = info.value
    assert download.suggested_filename == f"shaoyang-catalog-{lang_root.strip('/') or 'zh'}.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    book = load_workbook(target)
    projects = book[sheet]
    assert projects.freeze_panes == "A2"
    assert [row[0] for row in projects.iter_rows(min_row=2, values_only=True)] == [p.id for p in model.projects]
    assert len(book.sheetnames) == 8

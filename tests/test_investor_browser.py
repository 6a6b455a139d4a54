"""What an investor on a phone and on a desktop meets, in Debian's chromium (issue 13).

Every page type in both languages at 360 px and at 1366 px: nothing wider than the screen (a table
may scroll inside its own frame), the site's name whole in the header, every button and standalone
link at least 44 px high (a wrapped one with its bullet beside its first line); the enquiry action
leads somewhere in each of the four ways a catalog can give it; the catalogue does not shift when
its filters appear. Screenshots of every page are written
to build/screenshots/ for a person to look at.
"""
from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from browsing import browser, phone, site_url  # noqa: F401  (fixtures)
from conftest import REPO, append
from webserver import serve

from generator.outputs.brochures import Brochures

pytestmark = pytest.mark.browser

WIDTHS = {"phone": {"width": 360, "height": 780}, "desktop": {"width": 1366, "height": 900}}
SHOTS = REPO / "build" / "screenshots"


def page_types(model) -> list[str]:
    """One page of every kind the site has, below a language root."""
    first = {kind: model.of(kind)[0].id for kind in ("chain", "project", "park", "policy", "event")}
    county = next(iter(model.units)).id
    return ["", "chains/", f"chains/{first['chain']}/", "projects/", f"projects/{first['project']}/",
            "projects/example-project/", "parks/", f"parks/{first['park']}/", "policies/",
            f"policies/{first['policy']}/", "events/", f"events/{first['event']}/", "targets/",
            f"targets/{county}/", "contacts/", "downloads/", "print-kit/", "404.html"]


LAYOUT = """() => {
  const W = document.documentElement.clientWidth, problems = [];
  if (document.documentElement.scrollWidth > W) problems.push(`page ${document.documentElement.scrollWidth}px wide`);
  const framed = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
    if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  for (const e of document.querySelectorAll('.md-content *, .md-header__inner > *')) {
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height || framed(e)) continue;
    if (r.right > W + 1 || r.left < -1) problems.push(`${name(e)} spans ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  // The site's name: whole (not cut with an ellipsis), and not under the header's tools.
  const shown = [...document.querySelectorAll('.md-header__topic:first-child > span')]
    .filter(s => s.offsetWidth > 1 && getComputedStyle(s).position !== 'absolute');
  if (shown.length !== 1) problems.push(`${shown.length} site names shown in the header`);
  for (const s of shown) {
    if (s.scrollWidth > s.clientWidth + 1) problems.push(`header name cut: ${s.textContent}`);
    const a = s.getBoundingClientRect(), tools = document.querySelector('.portal-tools');
    if (tools) { const b = tools.getBoundingClientRect();
      if (a.right > b.left + 1 && a.left < b.right) problems.push('header name under the tools'); }
  }
  return problems.slice(0, 10);
}"""

# Buttons, form controls and links that stand alone (the only thing in their list item or line).
TAP_TARGETS = """() => {
  const small = [], visible = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !e.closest('[hidden], .md-sidebar, .md-search, dialog:not([open])'); };
  const alone = a => { let p = a.parentElement;
    if (p && ['H2', 'H3', 'H4'].includes(p.tagName)) return true;  // a heading's link, after its number or not
    if (p && p.tagName === 'STRONG' && p.children.length === 1) p = p.parentElement;
    return p && ['LI', 'P', 'DD', 'TH', 'TD'].includes(p.tagName) &&
      p.textContent.trim() === a.textContent.trim() && p.children.length === 1; };
  const candidates = [...document.querySelectorAll('.md-content .md-button, .md-content button, .md-content select,'
    + '.md-content input, .md-content summary, .md-header__button, .portal-lang a, .md-content a')];
  for (const e of candidates) {
    if (e.tagName === 'A' && !e.matches('.md-button, .portal-lang a, .md-header__button') && !alone(e)) continue;
    if (!visible(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.height < 43.5 || r.width < 43.5)
      small.push(`${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}px`);
  }
  return small.slice(0, 10);
}"""


# A list item holding just a link that wraps: its bullet (on the item's first line box) beside the link's
# first line. An inline-block link puts its baseline, and so the bullet, beside its last line.
BULLETS = """() => {
  const wrong = [];
  for (const li of document.querySelectorAll('.md-content li')) {
    const a = li.firstElementChild;
    if (!a || a.tagName !== 'A' || li.children.length !== 1 || li.textContent.trim() !== a.textContent.trim()) continue;
    const text = [...a.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
    if (!text || a.getClientRects().length === 0) continue;
    const range = document.createRange();
    range.setStart(text, 0); range.setEnd(text, text.textContent.length);
    const lines = [...new Set([...range.getClientRects()].map(r => Math.round(r.top)))];
    if (lines.length < 2 || getComputedStyle(li).display !== 'list-item') continue;
    range.setEnd(text, 1);
    const first = range.getBoundingClientRect();
    const probe = document.createElement('span');
    probe.textContent = '\u200b';  // zero-width: the link stays on the probe's line
    li.insertBefore(probe, a);
    const bullet = probe.getBoundingClientRect();
    probe.remove();
    if (Math.abs(bullet.bottom - first.bottom) > 6)
      wrong.push(`"${a.textContent.trim().slice(0, 30)}": bullet at ${Math.round(bullet.bottom)}, first line at ${Math.round(first.bottom)}`);
  }
  return wrong.slice(0, 10);
}"""


@pytest.mark.parametrize("device", WIDTHS)
def test_every_page_type_fits_and_is_tappable(browser, site_url, model, device):  # noqa: F811
    context = browser.new_context(viewport=WIDTHS[device], device_scale_factor=1,
                                  is_mobile=device == "phone", has_touch=device == "phone")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    SHOTS.mkdir(parents=True, exist_ok=True)
    failures = {}
    for root in ("", "en/"):
        for path in page_types(model):
            page.goto(site_url + root + path)
            page.wait_for_load_state("load")
            problems = page.evaluate(LAYOUT)
            if device == "phone":
                problems += page.evaluate(TAP_TARGETS) + page.evaluate(BULLETS)
            if problems:
                failures[root + path] = problems
            shot = (root + path).strip("/").replace("/", "_").replace(".html", "") or "home"
            page.screenshot(path=str(SHOTS / f"{shot}-{WIDTHS[device]['width']}.png"), full_page=True)
    if device == "phone":  # the bullet check can fail: the home page's county list wraps on a phone
        page.goto(site_url + "en/")
        assert page.evaluate("() => [...document.querySelectorAll('.portal-links li a')].some(a => "
                             "a.getClientRects().length && a.getBoundingClientRect().height > 50)")
    context.close()
    assert failures == {}
    assert errors == []


def test_the_catalogue_does_not_shift_when_its_filters_appear(browser, site_url):  # noqa: F811
    """Cumulative layout shift under Lighthouse's phone CPU (4x slower), as its Performance score counts it."""
    context = browser.new_context(viewport=WIDTHS["phone"], device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    for root in ("", "en/"):
        page.goto(site_url + root + "projects/")
        page.wait_for_load_state("load")
        shift = page.evaluate("""() => new Promise(done => { let total = 0;
          new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
            .observe({type: 'layout-shift', buffered: true});
          setTimeout(() => done(total), 1500); })""")
        assert shift < 0.05, (root, shift)
        assert page.locator("#catalogue-filters").is_visible()
    context.close()


def test_the_annex_table_is_drawn_when_reached_and_keeps_its_first_column(phone, site_url):  # noqa: F811
    """The annex table is laid out only near the viewport (content-visibility, which keeps it out of
    the load's forced layout): reached on a phone it has its real height, scrolled sideways its
    county column stays in place, and reaching it shifts nothing the reader sees."""
    for root in ("", "en/"):
        phone.goto(site_url + root + "targets/")
        phone.wait_for_load_state("load")
        phone.evaluate("""() => { window.__shift = 0; new PerformanceObserver(list => {
          for (const e of list.getEntries()) window.__shift += e.value; }).observe({type: 'layout-shift'}); }""")
        wrap = phone.locator(".portal-table-wrap").first
        assert phone.evaluate("getComputedStyle(document.querySelector('.portal-table-wrap')).contentVisibility") == "auto"
        for _ in range(40):  # scroll down as a reader would, past the table
            phone.mouse.wheel(0, 300)
            phone.wait_for_timeout(30)
        phone.wait_for_timeout(300)
        box = phone.evaluate("""() => { const w = document.querySelector('.portal-table-wrap'),
          t = w.querySelector('table'); return {wrap: w.getBoundingClientRect().height,
          table: t.getBoundingClientRect().height, rows: t.rows.length}; }""")
        assert box["rows"] >= 3 and abs(box["wrap"] - box["table"]) < 30, (root, box)
        wrap.scroll_into_view_if_needed()
        sideways = phone.evaluate("""() => { const w = document.querySelector('.portal-table-wrap');
          const head = w.querySelector('tbody th[scope=row]'), before = head.getBoundingClientRect().left;
          w.scrollLeft = w.scrollWidth; const after = head.getBoundingClientRect().left;
          return {scrolled: w.scrollLeft, before, after, wrapLeft: w.getBoundingClientRect().left}; }""")
        assert sideways["scrolled"] > 0, (root, sideways)  # wider than a phone: it scrolls in its frame
        assert abs(sideways["after"] - sideways["before"]) < 1, (root, sideways)
        assert phone.evaluate("window.__shift") < 0.01, root


# --------------------------------------------------------------- the enquiry action, four ways

FORM = "https://forms.example.gov.cn/enquire?code={code}&lang={lang}"


@pytest.fixture(scope="module")
def variants(build_copy):
    """Sites whose settings give an enquiry form, or only a phone number."""
    form = build_copy({"site/settings.yml": append(f'enquiry_form: "{FORM}"\n')}, name="enquiry-form",
                      skip=[Brochures])
    phone = build_copy({"site/settings.yml": append('phone: "0739-5300000"\n')}, name="enquiry-phone",
                       skip=[Brochures])
    return {"form": form, "phone": phone}


def code_of(plan, project_id: str) -> str:
    return plan.permalinks.code_for(next(p for p in plan.pages if p.record is not None
                                         and p.record.type == "project" and p.record.id == project_id))


def click_enquiry(page, url: str) -> str:
    """Open a project page, tap its enquiry action, return where it led (mailto:, tel: or a page)."""
    page.goto(url)
    page.evaluate("""() => document.addEventListener('click', e => {
      const a = e.target.closest('a'); if (a) window.__followed = a.href;
      if (a && /^(mailto|tel):/.test(a.href)) e.preventDefault(); }, true)""")
    action = page.locator("a.portal-project-enquiry").first
    assert action.is_visible() and action.bounding_box()["height"] >= 43.5
    action.click()  # Playwright clicks only what is visible, enabled and not covered
    return page.evaluate("window.__followed")


def test_enquiry_without_any_address_leads_to_the_contacts_near_the_visitor(phone, site_url, plan):  # noqa: F811
    followed = click_enquiry(phone, site_url + "en/projects/huawei-big-data/")
    assert followed.endswith("#enquiry")
    phone.wait_for_function("location.hash === '#enquiry'")
    section = phone.locator("#enquiry + div")
    assert section.locator("code.portal-code").first.inner_text() == code_of(plan, "huawei-big-data")
    assert section.locator("a[href*='contacts/#']").count() >= 3  # the squads and chambers, by region


def test_enquiry_by_email_puts_the_short_code_in_the_subject(phone, site_url, plan):  # noqa: F811
    followed = click_enquiry(phone, site_url + "projects/example-project/")
    mail = urlsplit(followed)
    assert mail.scheme == "mailto" and unquote(mail.path) == "example@example.com"
    code = code_of(plan, "example-project")
    assert f"[{code}]" in parse_qs(mail.query)["subject"][0]
    body = parse_qs(mail.query)["body"][0]
    assert body.count(code) == 2 and "Enquiry about" in body  # both languages: the reader may answer in either


def test_enquiry_by_form_opens_the_form_with_the_code_filled_in(phone, variants):  # noqa: F811
    built = variants["form"]
    opened = []

    def answer(route):
        opened.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<h1>form</h1>")

    phone.route("https://forms.example.gov.cn/**", answer)
    with serve(built.site) as url:
        click_enquiry(phone, url + "en/projects/huawei-big-data/")
        phone.wait_for_url("https://forms.example.gov.cn/**")
    code = code_of(built.plan, "huawei-big-data")
    assert opened == [FORM.format(code=code, lang="en")]


def test_enquiry_by_phone_dials_the_number(phone, variants):  # noqa: F811
    with serve(variants["phone"].site) as url:
        followed = click_enquiry(phone, url + "projects/huawei-big-data/")
        assert followed == "tel:07395300000"
        assert "0739-5300000" in phone.locator("#enquiry + div").inner_text()


def test_the_phone_header_keeps_the_site_name_whole_when_scrolled(browser, site_url, model):  # noqa: F811
    """Material shows the page's title in the header once the page's own title is scrolled away; on a
    phone that title was cut to a few characters. The site's name stays, whole."""
    context = browser.new_context(viewport=WIDTHS["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        for root in ("", "en/"):
            page.goto(site_url + root + f"projects/{model.projects[0].id}/")
            page.mouse.wheel(0, 3000)
            page.wait_for_function("document.querySelector('.md-header__title--active') !== null")
            page.wait_for_timeout(400)  # Material's transition
            state = page.evaluate("""() => {
              const [name, title] = document.querySelectorAll('.md-header__topic');
              const span = [...name.querySelectorAll('span')].find(s => s.offsetWidth > 1 && getComputedStyle(s).position !== 'absolute');
              return {name: getComputedStyle(name).opacity, cut: span.scrollWidth > span.clientWidth + 1,
                      title: title.getBoundingClientRect().width};
            }""")
            assert state == {"name": "1", "cut": False, "title": 0}, (root, state)
    finally:
        context.close()

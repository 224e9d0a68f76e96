"""Charts on a 360 px phone (the roadmap's Gantts, the dashboard's bars): their text stays readable, they scroll
sideways in a frame a keyboard reaches, with a hint under them; on a 1366 px desktop they show whole, at the size
they are drawn."""

import pytest

from tests.masterplan.factories import realistic_masterplan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE, DESKTOP = 360, 1366


def log_in(page, username: str, password: str) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.locator("main button[type=submit]").click()  # the language buttons are submit buttons too
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


def text_heights(frame) -> list[float]:
    """Return the on-screen height of a programme's name and of a year over the columns."""
    return [
        frame.locator(f'svg text[text-anchor="{anchor}"]').first.bounding_box()["height"]
        for anchor in ("end", "middle")
    ]


def test_on_a_phone_each_gantt_keeps_readable_text_and_scrolls_in_a_focusable_frame(
    page, kominfo_admin, executive, password, screenshot
):
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=6, submission_count=1)
    page.set_viewport_size({"width": PHONE, "height": 800})
    log_in(page, executive.username, password)
    page.goto(f"/masterplan/{masterplan.pk}/")

    frames = page.locator(".chart-scroll")
    assert frames.count() >= 3  # the overall chart and one per pillar with programmes
    for index in range(frames.count()):
        frame = frames.nth(index)
        assert min(text_heights(frame)) >= 10, "the chart shrank to the phone's width"
        assert frame.evaluate("frame => frame.scrollWidth > frame.clientWidth + 300")
        assert frame.get_attribute("role") == "region" and frame.get_attribute("tabindex") == "0"
        assert frame.get_attribute("aria-label") == frame.locator("svg").get_attribute("aria-label")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE  # the frame scrolls, not the page

    overall = frames.first
    overall.focus()
    assert overall.evaluate("frame => document.activeElement === frame")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("frame => frame.scrollLeft > 0", arg=overall.element_handle())
    hint = page.locator(".chart-hint").first
    assert hint.is_visible() and hint.inner_text() == "Geser ke samping untuk melihat seluruh bagan"
    screenshot(page, "gantt-phone")

    page.set_viewport_size({"width": DESKTOP, "height": 900})
    assert overall.evaluate("frame => frame.scrollWidth <= frame.clientWidth")
    assert overall.locator("svg").bounding_box()["width"] == 900  # as drawn, neither stretched nor squeezed
    assert min(text_heights(overall)) >= 10
    assert not hint.is_visible()


def test_on_a_phone_the_dashboard_bars_keep_readable_text_and_scroll_in_a_focusable_frame(
    page, kominfo_admin, executive, password, screenshot
):
    realistic_masterplan(admin=kominfo_admin, programme_count=2, submission_count=6)
    page.set_viewport_size({"width": PHONE, "height": 800})
    log_in(page, executive.username, password)

    frames = page.locator(".chart-scroll")
    assert frames.count() == 2  # submissions by pillar and status, OPD participation
    for index in range(frames.count()):
        frame = frames.nth(index)
        label = frame.locator('svg text[text-anchor="end"]').first
        label.scroll_into_view_if_needed()
        assert label.bounding_box()["height"] >= 10, "the chart shrank to the phone's width"
        assert frame.evaluate("frame => frame.scrollWidth > frame.clientWidth + 300")
        assert frame.get_attribute("role") == "region" and frame.get_attribute("tabindex") == "0"
        assert frame.get_attribute("aria-label") == frame.locator("svg").get_attribute("aria-label")
    assert page.locator(".chart-hint").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    screenshot(page, "dashboard-bars-phone")

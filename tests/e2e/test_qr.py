"""A shopper scans a product's printed QR label with a phone and learns whether its OCOP badge is valid today."""

import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_scanned_label_opens_the_page_that_says_whether_the_badge_is_valid_today(
    browser, live_server, demo_data, tmp_path
):
    from catalog import demo

    # The producer prints the label sheet on a phone-sized, high-density screen (as a camera sees a label).
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, device_scale_factor=3)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login-username", "nhasanxuat@demo.ocop.vn")
    page.fill("#id_login-password", demo.DEMO_PASSWORD)
    page.click("button[name=login_submit]")
    page.goto(live_server.url + "/producer/products/labels/")
    label = page.locator(".ocop-label").first
    expect(label).to_be_visible()
    title = label.locator("strong").inner_text()

    shot = tmp_path / "label.png"
    label.locator("img").screenshot(path=str(shot))
    [code] = zxingcpp.read_barcodes(Image.open(shot))
    assert re.fullmatch(re.escape(live_server.url) + r"/chung-nhan/san-pham/\d+/", code.text)

    # The shopper's phone follows the code, signed in or not.
    shopper = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    scanned = shopper.new_page()
    scanned.goto(code.text)
    expect(scanned.locator("h1")).to_contain_text(title)
    verdict = scanned.get_by_test_id("verdict")
    expect(verdict).to_be_visible()
    expect(verdict).to_contain_text(re.compile(r"hôm nay \(\d\d/\d\d/\d{4}\)"))
    shopper.close()
    context.close()

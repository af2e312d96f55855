"""The menu fits ordinary laptops: at 1280 px every role sees its grouped menus, "Akun" and "Keluar"
(issue 14, item 7: Panitia at 1366 px and Admin at 1280–1600 px lost them off-screen)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUPS = ["Admin pusat", "Panitia", "Koordinator site", "Verifikator", "Operator Dinas", "Pejabat"]


@pytest.mark.parametrize("width", [1280, 1366])
def test_every_role_sees_account_and_logout_on_a_laptop(page, live_server, migration_data, width):
    from django.contrib.auth import get_user_model

    from tests.factories import user_in

    users = [user_in(group, f"nav_{index}_{width}") for index, group in enumerate(GROUPS)]
    admin = get_user_model().objects.create_superuser(f"nav_admin_{width}", password="pw-test-12345")
    page.set_viewport_size({"width": width, "height": 800})
    for user in [*users, admin]:
        page.context.clear_cookies()
        page.goto(live_server.url + "/masuk/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill("pw-test-12345")
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(live_server.url + "/")
        for name in ("Akun", "Keluar"):
            control = page.locator("nav.navbar").get_by_role("button", name=name)
            assert control.is_visible(), f"{name} hidden for {user.username} at {width} px"
            box = control.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name} off-screen for {user.username}"
        assert page.locator("nav.navbar").bounding_box()["height"] < 100  # one row, not wrapped

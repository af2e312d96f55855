"""The files that let the check-in screen reopen offline: service worker, manifest, icons (attendance/offline.py)."""

import io
import json

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def test_worker_is_served_by_the_app_with_its_scope_and_assets(client):
    response = client.get("/checkin/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "Service-Worker-Allowed" not in response  # its default scope, /checkin/, is the check-in pages only
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    config = json.loads(body.split("var CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["scope"] == "/checkin/"
    assert config["cache"].startswith("psp-checkin-")
    for asset in (
        "/static/attendance/checkin.js",
        "/static/vendor/jsqr/jsQR.js",
        "/static/vendor/bootstrap/bootstrap.min.css",
    ):
        assert asset in config["assets"]
    assert "/checkin/manifest.webmanifest" in config["assets"]


def test_manifest_makes_the_check_in_installable(client):
    response = client.get("/checkin/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/checkin/" and manifest["scope"] == "/checkin/"
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


@pytest.mark.parametrize("size", [192, 512])
def test_icons_are_pngs_of_their_size(client, size):
    response = client.get(f"/checkin/ikon-{size}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (size, size)


def test_other_icon_size_is_404(client):
    assert client.get("/checkin/ikon-64.png").status_code == 404

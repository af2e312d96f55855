"""Good practices: submission by registration code, upload checks by content, publication, gallery."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from reportlab.pdfgen import canvas

from core.models import AuditEntry
from outcomes.models import GoodPractice, GoodPracticeFile
from outcomes.services import (
    MAX_IMAGE_BYTES,
    PracticeError,
    good_practice_publish,
    good_practice_submit,
    good_practice_unpublish,
    practice_files_check,
)
from tests.factories import register, user_in


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_bytes(kind="PNG", size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def pdf_bytes(text="Praktik baik") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refused(files) -> str:
    """The message of the refusal, in English (the source strings)."""
    with translation.override("en"):
        with pytest.raises(PracticeError) as error:
            practice_files_check(files)
        assert error.value.field == "files"
        return str(error.value.message)


def test_files_are_checked_by_their_content():
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    assert "neither a JPEG/PNG photo nor a PDF" in refused([upload("foto.jpg", exe, "image/jpeg")])
    assert "neither" in refused([upload("catatan.txt", b"just text")])
    # Claims to be a JPEG by its first bytes, but is not a picture.
    assert "not a JPEG or PNG picture" in refused([upload("foto.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 50)])
    assert "damaged PDF" in refused([upload("laporan.pdf", b"%PDF-1.7\n this is not a pdf at all")])
    # A GIF is a real picture, but not one we accept.
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, "GIF")
    assert "neither" in refused([upload("foto.png", gif.getvalue())])


def test_size_and_count_limits():
    big = image_bytes("PNG") + b"\x00" * (MAX_IMAGE_BYTES + 1)
    assert "larger than 5 MB" in refused([upload("besar.png", big)])
    big_pdf = pdf_bytes() + b"%" * (10 * 1024 * 1024)
    assert "larger than 10 MB" in refused([upload("besar.pdf", big_pdf)])
    photos = [upload(f"f{i}.png", image_bytes()) for i in range(4)]
    assert "at most 3 photos" in refused(photos)
    assert "at most one PDF" in refused([upload("a.pdf", pdf_bytes()), upload("b.pdf", pdf_bytes())])
    assert "at least one" in refused([])


def test_good_files_are_accepted_and_photos_re_encoded():
    jpeg = image_bytes("JPEG", size=(3000, 1500))
    checked = practice_files_check(
        [upload("a.jpg", jpeg), upload("b.png", image_bytes("PNG")), upload("c.pdf", pdf_bytes())]
    )
    assert [c.kind for c in checked] == ["jpeg", "png", "pdf"]
    with Image.open(io.BytesIO(checked[0].content)) as reencoded:
        assert reencoded.format == "JPEG" and max(reencoded.size) == 2000
    assert checked[2].content.startswith(b"%PDF-")


def test_submit_publish_and_gallery(client, lokakarya, rakor):
    bima = lokakarya.sites.get(name="Kab. Bima")
    registration = register(bima, "CGP", name="Contoh Guru Bima")
    submit_url = reverse("outcomes:practice_submit", kwargs={"slug": lokakarya.slug})
    form = {"code": registration.code.lower(), "title": "Pojok baca", "summary": "Ringkasan", "changes": "Murid aktif"}

    # A renamed .exe is refused next to the file field, and the typed text is kept.
    page = client.post(submit_url, {**form, "files": upload("foto.jpg", b"MZ" + b"\x00" * 100, "image/jpeg")})
    html = page.content.decode()
    assert page.status_code == 200 and 'value="Pojok baca"' in html
    assert "bukan foto JPEG/PNG dan bukan dokumen PDF" in html  # Indonesian by default
    assert not GoodPractice.objects.exists()

    # A code of another event is not accepted.
    foreign = register(rakor.sites.get(name="Regional Kupang"), "LPMP", province_code="53")
    page = client.post(submit_url, {**form, "code": foreign.code, "files": upload("f.png", image_bytes())})
    assert page.status_code == 200 and not GoodPractice.objects.exists()

    response = client.post(
        submit_url, {**form, "files": [upload("f.png", image_bytes()), upload("d.pdf", pdf_bytes())]}
    )
    assert response.status_code == 302
    practice = GoodPractice.objects.get()
    assert practice.registration == registration and practice.status == "submitted"
    files = list(practice.files.all())
    assert [f.kind for f in files] == ["png", "pdf"]
    assert all("foto" not in f.file.name and f.file.name.startswith("praktik-baik/") for f in files)

    # Twice with the same code: refused.
    again = client.post(submit_url, {**form, "files": upload("f.png", image_bytes())})
    assert again.status_code == 200 and GoodPractice.objects.count() == 1

    gallery = reverse("outcomes:practice_gallery", kwargs={"slug": lokakarya.slug})
    file_url = reverse("outcomes:practice_file", kwargs={"file_id": files[0].pk})
    assert "Pojok baca" not in client.get(gallery).content.decode()
    assert client.get(file_url).status_code == 404  # not published yet

    panitia = user_in("Panitia", organized=[lokakarya])
    client.force_login(panitia)
    moderate = reverse("outcomes:practice_moderate", kwargs={"event_id": lokakarya.pk})
    assert client.get(file_url).status_code == 200  # the panitia may look before publishing
    assert client.post(moderate, {"practice": practice.pk, "action": "publish"}).status_code == 302
    practice.refresh_from_db()
    assert (practice.status, practice.published_by) == ("published", panitia)
    client.logout()

    html = client.get(gallery).content.decode()
    assert "Pojok baca" in html and "Contoh Guru Bima" in html
    other_site = lokakarya.sites.get(name="Kab. Lombok Utara")
    assert "Pojok baca" not in client.get(gallery, {"site": other_site.pk}).content.decode()
    assert "Pojok baca" in client.get(gallery, {"site": bima.pk}).content.decode()
    assert client.get(gallery, {"site": rakor.sites.first().pk}).status_code == 404
    served = client.get(file_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")

    actions = list(
        AuditEntry.objects.filter(object_id=str(practice.pk), action__startswith="good_practice")
        .order_by("id")
        .values_list("action", "actor")
    )
    assert actions == [("good_practice.submitted", None), ("good_practice.published", panitia.pk)]


def test_moderation_is_scoped_and_unpublish_is_audited(client, lokakarya, rakor):
    registration = register(lokakarya.sites.get(name="Kab. Bima"), "CGP")
    practice = good_practice_submit(
        event=lokakarya,
        code=registration.code,
        title="T",
        summary="S",
        changes="C",
        uploads=[upload("a.png", image_bytes())],
    )
    admin_pusat = user_in("Admin pusat")
    good_practice_publish(practice=practice, actor=admin_pusat)
    good_practice_unpublish(practice=practice, actor=admin_pusat)
    practice.refresh_from_db()
    assert practice.status == "hidden" and practice.published_at is None
    assert AuditEntry.objects.filter(action="good_practice.unpublished", actor=admin_pusat).count() == 1

    other = user_in("Panitia", organized=[rakor])
    client.force_login(other)
    moderate = reverse("outcomes:practice_moderate", kwargs={"event_id": lokakarya.pk})
    assert client.get(moderate).status_code == 404
    assert client.post(moderate, {"practice": practice.pk, "action": "publish"}).status_code == 404
    client.force_login(admin_pusat)
    assert client.post(moderate, {"practice": "abc", "action": "publish"}).status_code == 404
    client.force_login(other)
    file_url = reverse("outcomes:practice_file", kwargs={"file_id": GoodPracticeFile.objects.get().pk})
    assert client.get(file_url).status_code == 404


def test_gallery_and_moderation_keep_a_constant_query_count(client, lokakarya):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sites = list(lokakarya.sites.all())
    admin_pusat = user_in("Admin pusat")

    def add(count):
        for index in range(count):
            registration = register(sites[index % len(sites)], "CGP")
            practice = good_practice_submit(
                event=lokakarya,
                code=registration.code,
                title=f"Praktik {registration.pk}",
                summary="S",
                changes="C",
                uploads=[upload("a.png", image_bytes()), upload("b.pdf", pdf_bytes())],
            )
            good_practice_publish(practice=practice, actor=admin_pusat)

    gallery = reverse("outcomes:practice_gallery", kwargs={"slug": lokakarya.slug})
    moderate = reverse("outcomes:practice_moderate", kwargs={"event_id": lokakarya.pk})

    def counts():
        result = []
        client.logout()
        for url, user in ((gallery, None), (moderate, admin_pusat)):
            if user:
                client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    add(1)
    small = counts()
    add(4)
    assert counts() == small
    assert client.get(gallery).content.decode().count('class="card h-100 practice"') == 5

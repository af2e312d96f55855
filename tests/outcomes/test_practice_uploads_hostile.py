"""Good-practice uploads that carry more than a picture or a document: metadata, trailing payloads,
decompression bombs, scripts and actions in a PDF (also hidden behind indirect objects), links to scripts or
files, and how the files are served."""

import io
import struct
import zlib

import pytest
from django.urls import reverse
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject, TextStringObject
from reportlab.pdfgen import canvas

from outcomes.models import GoodPractice
from outcomes.services import good_practice_publish, good_practice_submit, practice_files_check
from tests.factories import register
from tests.outcomes.test_practices import image_bytes, pdf_bytes, refused, upload

PAYLOAD = b"<?php system($_GET['c']); ?>"


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KameraRahasia"
    exif[ExifTags.Base.Model] = "Model-Z"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (8.0, 27.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (118.0, 43.0, 12.0)
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 40)).save(buffer, "JPEG", exif=exif, comment=b"rumah peserta")
    return buffer.getvalue()


def png_with_header_size(width: int, height: int) -> bytes:
    """A small valid PNG whose IHDR claims another size: what a decompression bomb looks like to the reader."""
    data = bytearray(image_bytes("PNG", size=(4, 4)))
    ihdr = 8  # after the signature: length (4), b"IHDR" (4), then width and height
    data[ihdr + 8 : ihdr + 16] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr + 4 : ihdr + 8 + 13]))
    data[ihdr + 8 + 13 : ihdr + 8 + 17] = struct.pack(">I", crc)
    return bytes(data)


def test_the_jpeg_comes_out_without_exif_gps_or_comment():
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as probe:  # the builder really wrote GPS data
        assert probe.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "S"
    [checked] = practice_files_check([upload("foto.jpg", original)])
    assert checked.kind == "jpeg"
    with Image.open(io.BytesIO(checked.content)) as cleaned:
        assert len(cleaned.getexif()) == 0
        assert "exif" not in cleaned.info and "comment" not in cleaned.info
    assert b"Exif" not in checked.content and b"KameraRahasia" not in checked.content
    assert b"rumah peserta" not in checked.content


def test_a_png_with_trailing_bytes_and_text_chunks_is_cleaned():
    info = PngInfo()
    info.add_text("Comment", "alamat: Jl. Contoh 5")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG", pnginfo=info)
    original = buffer.getvalue() + PAYLOAD
    [checked] = practice_files_check([upload("foto.png", original)])
    assert checked.kind == "png"
    assert PAYLOAD not in checked.content and b"alamat" not in checked.content
    assert checked.content.endswith(b"IEND\xaeB`\x82")  # nothing after the image's last chunk
    with Image.open(io.BytesIO(checked.content)) as cleaned:
        assert cleaned.size == (40, 30) and "Comment" not in cleaned.info


def test_a_jpeg_with_a_payload_after_its_end_is_cleaned():
    [checked] = practice_files_check([upload("foto.jpg", image_bytes("JPEG") + PAYLOAD)])
    assert PAYLOAD not in checked.content and checked.content.endswith(b"\xff\xd9")


def test_image_bombs_are_refused_before_decoding():
    # 7,000 × 7,000 = 49 megapixels: over our 40 MP limit, under Pillow's own guard.
    assert "too many pixels" in refused([upload("besar.png", png_with_header_size(7000, 7000))])
    # 50,000 × 50,000: Pillow's DecompressionBombError fires when the header is read.
    assert "too many pixels" in refused([upload("bom.png", png_with_header_size(50_000, 50_000))])


def test_a_pdf_with_javascript_or_an_attachment_is_refused_a_plain_one_passes():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    # An /OpenAction that runs JavaScript when the document is opened (what add_js used to write).
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('halo');")}
    )
    scripted = io.BytesIO()
    writer.write(scripted)
    assert "contains scripts" in refused([upload("laporan.pdf", scripted.getvalue())])

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("program.exe", b"MZ\x90\x00")
    attached = io.BytesIO()
    writer.write(attached)
    assert "contains scripts" in refused([upload("laporan.pdf", attached.getvalue())])

    [checked] = practice_files_check([upload("laporan.pdf", pdf_bytes())])
    assert checked.kind == "pdf"

    # What LibreOffice and Word write: open on page 1 (a GoTo destination, no script): accepted.
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    writer.root_object[NameObject("/OpenAction")] = ArrayObject([page.indirect_reference, NameObject("/Fit")])
    plain = io.BytesIO()
    writer.write(plain)
    [checked] = practice_files_check([upload("laporan.pdf", plain.getvalue())])
    assert checked.kind == "pdf"


# --- PDF actions hidden behind indirect objects, links to scripts (security probe, issue 12 finding 9) ---


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def name_behind_reference(writer: PdfWriter, name: str):
    """`/S 7 0 R` where object 7 is the name itself: legal PDF, and what the first filter did not resolve."""
    return writer._add_object(NameObject(name))


def action(writer: PdfWriter, kind: str, **entries) -> DictionaryObject:
    values = {NameObject("/S"): name_behind_reference(writer, kind)}
    values.update({NameObject(f"/{key}"): value for key, value in entries.items()})
    return DictionaryObject(values)


def link(writer: PdfWriter, page, target: DictionaryObject) -> None:
    """A link annotation over the whole page, running `target` when clicked."""
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(200), FloatObject(200)]),
            NameObject("/A"): writer._add_object(target),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def pdf_with_link_to(uri) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    target = uri if not isinstance(uri, str) else TextStringObject(uri)
    link(writer, page, DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): target}))
    return written(writer)


def test_an_indirect_launch_action_on_opening_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    launch = action(writer, "/Launch", F=TextStringObject("C:\\Windows\\System32\\calc.exe"))
    writer.root_object[NameObject("/OpenAction")] = launch
    assert "contains scripts" in refused([upload("laporan.pdf", written(writer))])


def test_an_open_action_reached_through_an_indirect_reference_is_judged():
    # /OpenAction 9 0 R → << /S 8 0 R /F (\\\\server\\share\\x.pdf) >>, object 8 being /GoToR: opens another file.
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    remote = action(writer, "/GoToR", F=TextStringObject("\\\\server\\share\\x.pdf"), D=ArrayObject([NumberObject(0)]))
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(remote)
    assert "contains scripts" in refused([upload("laporan.pdf", written(writer))])


def test_a_link_that_submits_or_imports_form_data_is_refused():
    for kind in ("/SubmitForm", "/ImportData", "/GoToE", "/Movie", "/Sound", "/Rendition", "/JavaScript"):
        writer = PdfWriter()
        page = writer.add_blank_page(width=200, height=200)
        link(writer, page, action(writer, kind, F=TextStringObject("https://pengumpul.example/ambil")))
        assert "contains scripts" in refused([upload("laporan.pdf", written(writer))]), kind


def test_additional_actions_on_a_page_are_refused():
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    # /AA /O: run when the page is opened, no click needed.
    page[NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): writer._add_object(action(writer, "/Launch", F=TextStringObject("cmd.exe")))}
    )
    assert "contains scripts" in refused([upload("laporan.pdf", written(writer))])


def test_an_object_no_page_points_to_is_judged_too():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer._add_object(
        DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("x()")})
    )
    data = written(writer)
    assert b"/JavaScript" in data  # the orphan is in the file
    assert "contains scripts" in refused([upload("laporan.pdf", data)])


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:app.alert(1)",
        "JavaScript:app.alert(1)",
        " java\tscript:app.alert(1)",
        "file:///C:/Windows/System32/calc.exe",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "\\\\server\\share\\x.exe",
        "vbscript:msgbox(1)",
    ],
)
def test_a_link_to_anything_but_a_web_page_or_an_e_mail_address_is_refused(uri):
    assert "link that is not a web address" in refused([upload("laporan.pdf", pdf_with_link_to(uri))])


def test_a_link_target_behind_an_indirect_reference_is_resolved():
    writer = PdfWriter()
    hidden = writer._add_object(TextStringObject("javascript:app.alert(1)"))
    page = writer.add_blank_page(width=200, height=200)
    target = DictionaryObject({NameObject("/S"): name_behind_reference(writer, "/URI"), NameObject("/URI"): hidden})
    link(writer, page, target)
    assert "link that is not a web address" in refused([upload("laporan.pdf", written(writer))])


def test_a_document_with_web_and_e_mail_links_passes():
    # What a word processor writes for a link: reportlab's own URI annotations, and a pypdf one.
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Lihat https://sekolah.example.sch.id/praktik-baik")
    page.linkURL("https://sekolah.example.sch.id/praktik-baik", (72, 710, 400, 730))
    page.linkURL("mailto:guru@sekolah.example.sch.id", (72, 690, 400, 705))
    page.save()
    [checked] = practice_files_check([upload("laporan.pdf", buffer.getvalue())])
    assert checked.kind == "pdf" and checked.content == buffer.getvalue()
    [checked] = practice_files_check([upload("laporan.pdf", pdf_with_link_to("http://sekolah.example.sch.id/"))])
    assert checked.kind == "pdf"


def test_a_refused_pdf_keeps_what_was_typed_in_the_form(client, lokakarya):
    registration = register(lokakarya.sites.get(name="Kab. Bima"), "CGP")
    form = {"code": registration.code, "title": "Pojok baca", "summary": "Ringkasan kami", "changes": "Murid aktif"}
    page = client.post(
        reverse("outcomes:practice_submit", kwargs={"slug": lokakarya.slug}),
        {**form, "files": upload("laporan.pdf", pdf_with_link_to("javascript:app.alert(1)"))},
    )
    html = page.content.decode()
    assert page.status_code == 200 and not GoodPractice.objects.exists()
    assert "berisi tautan yang bukan alamat web" in html  # Indonesian by default, next to the field
    assert 'value="Pojok baca"' in html and "Ringkasan kami" in html and "Murid aktif" in html
    assert f'value="{registration.code}"' in html


def test_a_published_pdf_is_served_as_an_attachment_and_photos_inline_with_nosniff(client, lokakarya):
    registration = register(lokakarya.sites.get(name="Kab. Bima"), "CGP")
    practice = good_practice_submit(
        event=lokakarya,
        code=registration.code,
        title="T",
        summary="S",
        changes="C",
        uploads=[upload("foto.png", image_bytes("PNG")), upload("laporan.pdf", pdf_bytes())],
    )
    good_practice_publish(practice=practice, actor=None)
    photo, document = practice.files.order_by("order")

    served = client.get(reverse("outcomes:practice_file", kwargs={"file_id": document.pk}))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"] == f'attachment; filename="praktik-baik-{document.pk}.pdf"'
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content).startswith(b"%PDF-")

    shown = client.get(reverse("outcomes:practice_file", kwargs={"file_id": photo.pk}))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert "attachment" not in shown.get("Content-Disposition", "")
    assert shown["X-Content-Type-Options"] == "nosniff"

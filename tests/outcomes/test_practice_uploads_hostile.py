"""Good-practice uploads that carry more than a picture or a document: metadata, trailing payloads,
decompression bombs, scripts in a PDF."""

import io
import struct
import zlib

from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from outcomes.services import practice_files_check
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

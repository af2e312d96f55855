"""Writes of good practices (praktik baik): submission by a participant, publication by the panitia.

Uploaded files are checked by their content, never by their name: a photo must open in Pillow as
JPEG or PNG and is re-encoded (which drops whatever else the file carried, EXIF included); a PDF
must start with `%PDF-`, open in pypdf and carry no active content (scripts, actions, attachments):
the gallery serves it to the public as uploaded. Pictures are limited in pixels (decompression
bombs) before they are decoded.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core import audit
from core.errors import DomainError
from events.models import Event
from participants.models import GoodPractice, GoodPracticeFile, Registration

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_IMAGES = 3
MAX_IMAGE_SIDE = 2000
# Refuse decompression bombs well before Pillow's own limit: a photo of 40 megapixels is plenty.
MAX_IMAGE_PIXELS = 40_000_000


class PracticeError(DomainError):
    """A rule refused the submission; `message` is shown next to `field`."""


@dataclass
class CheckedFile:
    kind: str
    content: bytes


def _check_image(data: bytes, name: str) -> CheckedFile:
    if len(data) > MAX_IMAGE_BYTES:
        raise PracticeError(_("%(name)s is larger than 5 MB.") % {"name": name}, field="files")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise PracticeError(_("%(name)s has too many pixels.") % {"name": name}, field="files")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            # Pillow carries some metadata of the source into save() (a JPEG comment, PNG text): start the
            # new file from the pixels alone, so nothing the camera or the sender wrote survives.
            image.info = {}
            output = io.BytesIO()
            if image_format == "JPEG":
                image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
                kind = GoodPracticeFile.Kind.JPEG
            else:
                image.save(output, "PNG", optimize=True)
                kind = GoodPracticeFile.Kind.PNG
    except PracticeError:
        raise
    except Image.DecompressionBombError as error:
        # Pillow's own guard (twice MAX_IMAGE_PIXELS) fires in Image.open, before our header check above.
        raise PracticeError(_("%(name)s has too many pixels.") % {"name": name}, field="files") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise PracticeError(
            _("%(name)s is not a JPEG or PNG picture, or it is damaged.") % {"name": name}, field="files"
        ) from error
    return CheckedFile(kind=kind, content=output.getvalue())


def _check_pdf(data: bytes, name: str) -> CheckedFile:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if len(data) > MAX_PDF_BYTES:
        raise PracticeError(_("%(name)s is larger than 10 MB.") % {"name": name}, field="files")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PracticeError(_("%(name)s is protected by a password.") % {"name": name}, field="files")
        if len(reader.pages) < 1:
            raise ValueError("no pages")
        active = _pdf_active_content(reader)
    except PracticeError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise PracticeError(_("%(name)s is a damaged PDF document.") % {"name": name}, field="files") from error
    if active:
        raise PracticeError(
            _("%(name)s contains scripts, actions or attached files. Save it again as a plain PDF (print to PDF).")
            % {"name": name},
            field="files",
        )
    return CheckedFile(kind=GoodPracticeFile.Kind.PDF, content=data)


# Keys and action types that make a PDF do something when opened or clicked: scripts, launching
# programs, submitting forms, embedded files and media. A good-practice report needs none of them,
# and the gallery serves the file to the public as it was uploaded.
# /OpenAction and /AA themselves are not refused: word processors set /OpenAction to "show page 1"
# (a GoTo); the action dictionaries they point to are walked and judged by their /S type.
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute"}
_PDF_MAX_OBJECTS = 200_000


def _pdf_active_content(reader) -> bool:
    """True when any object reachable from the trailer carries an active key or action (streams not decoded)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    pending = [reader.trailer]
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > _PDF_MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):
            if _PDF_ACTIVE_KEYS & set(item.keys()) or item.get("/S") in _PDF_ACTIVE_ACTIONS:
                return True
            pending.extend(value for name, value in item.items() if name != "/Parent")
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def practice_files_check(uploads) -> list[CheckedFile]:
    """Check every uploaded file by its content: up to 3 JPEG/PNG photos and at most one PDF."""
    checked = []
    for upload in uploads:
        name = str(getattr(upload, "name", "") or _("The file"))
        size = getattr(upload, "size", None)
        # Read one byte past the largest allowed size: enough to know it is too large.
        data = upload.read(MAX_PDF_BYTES + 1)
        if size is None:
            size = len(data)
        if data.startswith(b"%PDF-"):
            if size > MAX_PDF_BYTES:
                raise PracticeError(_("%(name)s is larger than 10 MB.") % {"name": name}, field="files")
            checked.append(_check_pdf(data, name))
        elif data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n"):
            if size > MAX_IMAGE_BYTES:
                raise PracticeError(_("%(name)s is larger than 5 MB.") % {"name": name}, field="files")
            checked.append(_check_image(data, name))
        else:
            raise PracticeError(
                _("%(name)s is neither a JPEG/PNG photo nor a PDF document (whatever its name says).") % {"name": name},
                field="files",
            )
    images = [f for f in checked if f.kind != GoodPracticeFile.Kind.PDF]
    if len(images) > MAX_IMAGES:
        raise PracticeError(_("Send at most 3 photos."), field="files")
    if len(checked) - len(images) > 1:
        raise PracticeError(_("Send at most one PDF document."), field="files")
    if not checked:
        raise PracticeError(_("Add at least one photo or a PDF document."), field="files")
    return checked


def _registration_for_code(*, event: Event, code: str) -> Registration:
    registration = (
        Registration.objects.filter(event=event, code=code.strip().upper(), status__in=Registration.SEAT_STATUSES)
        .select_related("site")
        .first()
    )
    if registration is None:
        raise PracticeError(
            _("No registration of this event has this code. Check the code on your registration receipt."),
            field="code",
        )
    return registration


def good_practice_submit(*, event: Event, code: str, title: str, summary: str, changes: str, uploads) -> GoodPractice:
    """A participant's good practice, identified by its registration code; waits for the panitia."""
    registration = _registration_for_code(event=event, code=code)
    if GoodPractice.objects.filter(registration=registration).exists():
        raise PracticeError(_("A good practice was already submitted with this registration code."), field="code")
    files = practice_files_check(uploads)
    try:
        with transaction.atomic():
            practice = GoodPractice.objects.create(
                registration=registration, title=title.strip(), summary=summary.strip(), changes=changes.strip()
            )
            for order, checked in enumerate(files, start=1):
                row = GoodPracticeFile(practice=practice, kind=checked.kind, size=len(checked.content), order=order)
                row.file.save("upload", ContentFile(checked.content), save=False)
                row.save()
            audit.record(
                actor=None,
                action="good_practice.submitted",
                target=practice,
                to_state=practice.status,
                data={"via": "registration code", "files": len(files)},
            )
    except IntegrityError as error:
        raise PracticeError(
            _("A good practice was already submitted with this registration code."), field="code"
        ) from error
    return practice


def _set_status(*, practice: GoodPractice, status: str, actor, action: str) -> GoodPractice:
    with transaction.atomic():
        practice = GoodPractice.objects.select_for_update().get(pk=practice.pk)
        if practice.status == status:
            return practice
        from_state = practice.status
        practice.status = status
        if status == GoodPractice.Status.PUBLISHED:
            practice.published_at, practice.published_by = timezone.now(), actor
        else:
            practice.published_at, practice.published_by = None, None
        practice.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        audit.record(actor=actor, action=action, target=practice, from_state=from_state, to_state=status)
    return practice


def good_practice_publish(*, practice: GoodPractice, actor) -> GoodPractice:
    return _set_status(
        practice=practice, status=GoodPractice.Status.PUBLISHED, actor=actor, action="good_practice.published"
    )


def good_practice_unpublish(*, practice: GoodPractice, actor) -> GoodPractice:
    return _set_status(
        practice=practice, status=GoodPractice.Status.HIDDEN, actor=actor, action="good_practice.unpublished"
    )

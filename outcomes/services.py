"""Writes of the outcomes area: the responsibility matrix, the action plans (rencana aksi), and the good
practices (praktik baik) of the festival.

Every change goes through these functions and leaves an audit entry. A delegation editing its own
plan through its edit link has no account: its entries have no actor and say
`{"via": "delegation link"}`.

Uploaded good-practice files are checked by their content, never by their name: a photo must open in
Pillow as JPEG or PNG and is re-encoded (which drops whatever else the file carried, EXIF included); a PDF
must start with `%PDF-`, open in pypdf and carry no active content (scripts, actions, attachments, links to
anything but a web page or an e-mail address): the gallery offers it to the public for download as uploaded
(`outcomes.views.practice_file`). Pictures are limited in pixels (decompression bombs) before
they are decoded.
"""

import datetime as dt
import io
import zoneinfo
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from core import audit
from core.errors import DomainError
from events.models import Agency, AgencyType, Event, Province
from outcomes.models import (
    ActionPlan,
    ActionPlanFollowUp,
    ActionPlanItem,
    GoodPractice,
    GoodPracticeFile,
    Responsibility,
    ResponsibilityCell,
    ResponsibilityColumn,
    ResponsibilityMatrix,
    new_edit_token,
)
from participants.models import Registration

VIA_LINK = {"via": "delegation link"}


class OutcomeError(DomainError):
    """A rule refused the change; `message` is shown to the user as it is, next to `field` if given."""


def _actor_data(actor, via_link: bool, data: dict | None = None) -> tuple:
    payload = dict(data or {})
    if via_link:
        payload.update(VIA_LINK)
        return None, payload
    return actor, payload


# --- responsibility matrix (peran dan tanggung jawab) ---


@dataclass
class MatrixRow:
    """One row of the edit screen: an existing responsibility (id) or a new one (id None)."""

    title: str
    cells: dict[int, str] = field(default_factory=dict)  # column id → text
    id: int | None = None
    delete: bool = False


@transaction.atomic
def matrix_create(
    *, event: Event, agency_types: Sequence[AgencyType], actor, labels: dict[int, str] | None = None
) -> ResponsibilityMatrix:
    """The event's matrix with one column per agency type, in the given order."""
    if not agency_types:
        raise OutcomeError(_("Choose at least one agency type."), field="agency_types")
    if ResponsibilityMatrix.objects.filter(event=event).exists():
        raise OutcomeError(_("This event already has a responsibility matrix."))
    try:
        with transaction.atomic():
            matrix = ResponsibilityMatrix.objects.create(event=event)
    except IntegrityError as error:  # created by someone else at the same moment
        raise OutcomeError(_("This event already has a responsibility matrix.")) from error
    labels = labels or {}
    ResponsibilityColumn.objects.bulk_create(
        ResponsibilityColumn(matrix=matrix, agency_type=agency_type, label=labels.get(agency_type.pk, ""), order=order)
        for order, agency_type in enumerate(agency_types, start=1)
    )
    audit.record(
        actor=actor,
        action="matrix.created",
        target=matrix,
        to_state=matrix.status,
        data={"columns": [t.code for t in agency_types]},
    )
    return matrix


@transaction.atomic
def matrix_save(*, matrix: ResponsibilityMatrix, rows: Sequence[MatrixRow], actor) -> ResponsibilityMatrix:
    """Save the whole grid in one go. Changing an agreed matrix puts it back to draft."""
    matrix = ResponsibilityMatrix.objects.select_for_update().get(pk=matrix.pk)
    column_ids = set(matrix.columns.values_list("id", flat=True))
    existing = {r.pk: r for r in matrix.responsibilities.all()}
    cells = {
        (c.responsibility_id, c.column_id): c for c in ResponsibilityCell.objects.filter(responsibility__matrix=matrix)
    }
    changed = {"added": 0, "changed": 0, "deleted": 0}
    for order, row in enumerate(rows, start=1):
        title = row.title.strip()
        if row.id is not None and row.id not in existing:
            raise OutcomeError(_("This row does not belong to the matrix."))
        if row.id is not None and (row.delete or not title):
            existing[row.id].delete()
            changed["deleted"] += 1
            continue
        if not title:
            if any(text.strip() for text in row.cells.values()):
                raise OutcomeError(_("Give the responsibility a name before filling its cells."), field="title")
            continue
        if row.id is None:
            responsibility = Responsibility.objects.create(matrix=matrix, title=title, order=order)
            changed["added"] += 1
            row_changed = True
        else:
            responsibility = existing[row.id]
            row_changed = responsibility.title != title or responsibility.order != order
            if row_changed:
                responsibility.title, responsibility.order = title, order
                responsibility.save(update_fields=["title", "order"])
        for column_id, text in row.cells.items():
            if column_id not in column_ids:
                raise OutcomeError(_("This column does not belong to the matrix."))
            text = text.strip()
            cell = cells.get((responsibility.pk, column_id))
            if cell is None:
                if text:
                    ResponsibilityCell.objects.create(responsibility=responsibility, column_id=column_id, text=text)
                    row_changed = True
            elif cell.text != text:
                cell.text = text
                cell.save(update_fields=["text"])
                row_changed = True
        if row_changed and row.id is not None:
            changed["changed"] += 1
    if not any(changed.values()):
        return matrix
    from_state = matrix.status
    if matrix.is_agreed:
        matrix.status = ResponsibilityMatrix.Status.DRAFT
        matrix.agreed_at = None
        matrix.agreed_by = None
        matrix.save(update_fields=["status", "agreed_at", "agreed_by", "updated_at"])
    audit.record(
        actor=actor, action="matrix.edited", target=matrix, from_state=from_state, to_state=matrix.status, data=changed
    )
    return matrix


@transaction.atomic
def matrix_agree(*, matrix: ResponsibilityMatrix, actor, note: str = "") -> ResponsibilityMatrix:
    """Record that the meeting agreed the matrix (who recorded it, when, and who agreed)."""
    matrix = ResponsibilityMatrix.objects.select_for_update().get(pk=matrix.pk)
    if matrix.is_agreed:
        raise OutcomeError(_("The matrix is already agreed."))
    if not matrix.responsibilities.exists():
        raise OutcomeError(_("Add at least one responsibility before recording the agreement."))
    from_state = matrix.status
    matrix.status = ResponsibilityMatrix.Status.AGREED
    matrix.agreed_at = timezone.now()
    matrix.agreed_by = actor if getattr(actor, "is_authenticated", False) else None
    matrix.agreed_note = note.strip()
    matrix.save(update_fields=["status", "agreed_at", "agreed_by", "agreed_note", "updated_at"])
    audit.record(
        actor=actor, action="matrix.agreed", target=matrix, from_state=from_state, to_state=matrix.status, reason=note
    )
    return matrix


# --- action plans (rencana aksi) ---


@dataclass
class ItemData:
    activity: str
    start_month: dt.date
    end_month: dt.date
    objective: str = ""
    person_in_charge: str = ""
    responsible_agency: str = ""


# How long a delegation's edit link works. The delegations fill in their plan at the meeting and record how it
# goes in the months after it, so a link that stopped with the meeting would be useless; one that never stops is
# a key to the plan in every chat group it was ever pasted into. An organizer expects "a few months after the
# event": by default the link works until the end of the day ACTION_PLAN_LINK_DAYS (90) days after the later of
# the event's last day and the day the link is made (a link made after the event still gets its 90 days). When
# making a new link the panitia may choose another last day, from today up to a year ahead; past that a person
# decides again. Days are counted in the server's time zone (WIB).
ACTION_PLAN_LINK_MAX_DAYS = 366


def _end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def action_plan_link_default_last_day(*, event: Event, today: dt.date | None = None) -> dt.date:
    """The last day a new edit link works, unless the panitia choose another."""
    today = today or timezone.localdate()
    return max(event.end_date, today) + dt.timedelta(days=settings.ACTION_PLAN_LINK_DAYS)


def action_plan_link_last_day_bounds(*, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return today, today + dt.timedelta(days=ACTION_PLAN_LINK_MAX_DAYS)


@transaction.atomic
def action_plan_create(
    *, event: Event, delegation: str, actor, province: Province | None = None, agency: Agency | None = None
) -> ActionPlan:
    delegation = delegation.strip()
    if not delegation:
        raise OutcomeError(_("Name the delegation."), field="delegation")
    if ActionPlan.objects.filter(event=event, delegation=delegation).exists():
        raise OutcomeError(_("This delegation already has an action plan for the event."), field="delegation")
    expires_at = _end_of_day(action_plan_link_default_last_day(event=event))
    try:
        with transaction.atomic():
            plan = ActionPlan.objects.create(
                event=event,
                delegation=delegation,
                province=province,
                agency=agency,
                edit_token=new_edit_token(),
                edit_token_expires_at=expires_at,
            )
    except IntegrityError as error:  # the same delegation added twice at the same moment
        raise OutcomeError(
            _("This delegation already has an action plan for the event."), field="delegation"
        ) from error
    audit.record(
        actor=actor,
        action="action_plan.created",
        target=plan,
        data={"delegation": delegation, "link_valid_until": expires_at.date().isoformat()},
    )
    return plan


@transaction.atomic
def action_plan_regenerate_token(*, plan: ActionPlan, actor, last_day: dt.date | None = None) -> ActionPlan:
    """A new edit link for the delegation, working until the end of `last_day` (by default the rule above);
    the old link stops working at once."""
    plan = ActionPlan.objects.select_for_update().select_related("event").get(pk=plan.pk)
    first, last = action_plan_link_last_day_bounds()
    if last_day is None:
        last_day = action_plan_link_default_last_day(event=plan.event)
    elif not first <= last_day <= last:
        raise OutcomeError(
            _("Choose a last day between today and %(last)s.") % {"last": date_format(last, "j F Y")},
            field="last_day",
        )
    plan.edit_token = new_edit_token()
    plan.edit_token_expires_at = _end_of_day(last_day)
    plan.save(update_fields=["edit_token", "edit_token_expires_at", "updated_at"])
    audit.record(
        actor=actor,
        action="action_plan.link_regenerated",
        target=plan,
        data={"link_valid_until": last_day.isoformat()},
    )
    return plan


@transaction.atomic
def action_plan_revoke_token(*, plan: ActionPlan, actor) -> ActionPlan:
    """No edit link any more: the delegation's link stops working at once, until the panitia make a new one."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.edit_token:
        raise OutcomeError(_("This action plan has no edit link."))
    plan.edit_token = None
    plan.edit_token_expires_at = None
    plan.save(update_fields=["edit_token", "edit_token_expires_at", "updated_at"])
    audit.record(actor=actor, action="action_plan.link_revoked", target=plan)
    return plan


def _month(value: dt.date) -> dt.date:
    return value.replace(day=1)


def _clean_item(data: ItemData) -> ItemData:
    if not data.activity.strip():
        raise OutcomeError(_("Describe the activity."), field="activity")
    if data.end_month < data.start_month:
        raise OutcomeError(_("The activity cannot end before it starts."), field="end_month")
    values = asdict(data)
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    values["start_month"], values["end_month"] = _month(data.start_month), _month(data.end_month)
    return ItemData(**values)


@transaction.atomic
def action_plan_item_save(
    *, plan: ActionPlan, data: ItemData, actor, item: ActionPlanItem | None = None, via_link: bool = False
) -> ActionPlanItem:
    """Add an item to the plan, or change one of its items; the audit entry lists what changed."""
    data = _clean_item(data)
    actor, payload = _actor_data(actor, via_link)
    if item is None:
        order = (plan.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        item = ActionPlanItem.objects.create(plan=plan, order=order, **asdict(data))
        payload["fields"] = {k: str(v) for k, v in asdict(data).items()}
        audit.record(actor=actor, action="action_plan.item_added", target=item, to_state=item.status, data=payload)
        return item
    if item.plan_id != plan.pk:
        raise OutcomeError(_("This item belongs to another action plan."))
    item = ActionPlanItem.objects.select_for_update().get(pk=item.pk)
    changes = {}
    for name, value in asdict(data).items():
        old = getattr(item, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(item, name, value)
    if changes:
        item.save(update_fields=[*changes, "updated_at"])
        payload["changes"] = changes
        audit.record(actor=actor, action="action_plan.item_changed", target=item, data=payload)
    return item


@transaction.atomic
def action_plan_item_delete(*, plan: ActionPlan, item: ActionPlanItem, actor, via_link: bool = False) -> None:
    if item.plan_id != plan.pk:
        raise OutcomeError(_("This item belongs to another action plan."))
    actor, payload = _actor_data(actor, via_link, {"activity": item.activity})
    # The entry points at the plan: the item is gone, the plan's history keeps what it was.
    audit.record(actor=actor, action="action_plan.item_deleted", target=plan, data=payload)
    item.delete()


@transaction.atomic
def action_plan_item_follow_up(
    *, plan: ActionPlan, item: ActionPlanItem, status: str, note: str, actor, via_link: bool = False
) -> ActionPlanFollowUp:
    """Record how an item is going: its new status and a note, kept as a history."""
    if item.plan_id != plan.pk:
        raise OutcomeError(_("This item belongs to another action plan."))
    if status not in ActionPlanItem.Status.values:
        raise OutcomeError(_("Choose a valid status."), field="status")
    item = ActionPlanItem.objects.select_for_update().get(pk=item.pk)
    if status == item.status and not note.strip():
        raise OutcomeError(_("Change the status or write a note."), field="note")
    actor, payload = _actor_data(actor, via_link)
    follow_up = ActionPlanFollowUp.objects.create(item=item, status=status, note=note.strip(), recorded_by=actor)
    from_state = item.status
    if status != item.status:
        item.status = status
        item.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="action_plan.item_followed_up",
        target=item,
        from_state=from_state,
        to_state=status,
        reason=note.strip(),
        data=payload,
    )
    return follow_up


# --- good practices (praktik baik) of the Festival Panen Hasil Belajar ---

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_IMAGES = 3
MAX_IMAGE_SIDE = 2000
# Refuse decompression bombs well before Pillow's own limit: a photo of 40 megapixels is plenty.
MAX_IMAGE_PIXELS = 40_000_000


class PracticeError(DomainError):
    """A rule refused the submission; `message` is shown next to `field`."""


# The code of the PracticeError for a registration code that matches nothing (a failed look-up).
UNKNOWN_CODE = "unknown_registration_code"


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
    if len(data) > MAX_PDF_BYTES:
        raise PracticeError(_("%(name)s is larger than 10 MB.") % {"name": name}, field="files")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PracticeError(_("%(name)s is protected by a password.") % {"name": name}, field="files")
        if len(reader.pages) < 1:
            raise ValueError("no pages")
        finding = _pdf_active_content(reader)
    except PracticeError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise PracticeError(_("%(name)s is a damaged PDF document.") % {"name": name}, field="files") from error
    if finding == PDF_UNSAFE_LINK:
        raise PracticeError(
            _(
                "%(name)s contains a link that is not a web address (http/https) or an e-mail address. "
                "Remove that link, or save the document again as a plain PDF (print to PDF)."
            )
            % {"name": name},
            field="files",
        )
    if finding:
        raise PracticeError(
            _("%(name)s contains scripts, actions or attached files. Save it again as a plain PDF (print to PDF).")
            % {"name": name},
            field="files",
        )
    return CheckedFile(kind=GoodPracticeFile.Kind.PDF, content=data)


# What makes a PDF do something when it is opened, a page is shown or something is clicked: scripts,
# launching programs, submitting or importing form data, opening other files, embedded files and media.
# A good-practice report needs none of them, and the gallery hands the file to the public.
# - keys whose mere presence is refused: scripts (/JS, the /JavaScript name tree), /Launch, embedded files
#   (/EmbeddedFiles name tree, /EF of a file specification), rich media, XFA forms, and /AA: the
#   "additional actions" a viewer runs by itself on page open/close, focus or mouse events;
# - action types (/S) refused wherever they are, however reached (/OpenAction, /A of a link, /Next chains);
# - annotation types that play media or carry files or 3D scripts;
# - /URI actions are links: only to web pages (http, https) or e-mail (mailto); javascript:, file:, data:
#   and any other scheme are refused.
# /OpenAction itself is not refused: word processors set it to "show page 1" (a destination or a /GoTo).
# Every value is resolved (`IndirectObject.get_object()`) before it is judged: an `/S 12 0 R` pointing at
# /Launch is a /Launch.
_PDF_ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFiles",
    "/EF",
    "/RichMedia",
    "/RichMediaContent",
    "/XFA",
    "/AA",
}
_PDF_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/RichMediaExecute",
    "/Movie",
    "/Sound",
    "/Rendition",
}
_PDF_ACTIVE_ANNOTATIONS = {"/FileAttachment", "/Movie", "/Sound", "/Screen", "/RichMedia", "/3D"}
_PDF_SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")
_PDF_MAX_OBJECTS = 200_000
PDF_ACTIVE = "active"
PDF_UNSAFE_LINK = "link"


def _pdf_resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _pdf_safe_uri(value) -> bool:
    """Whether a /URI target is a web or e-mail address. Viewers and browsers ignore spaces and control
    characters in a scheme (`java<TAB>script:`), so they are dropped before the scheme is read."""
    value = _pdf_resolved(value)
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return False
    compact = "".join(char for char in value if ord(char) > 0x20 and char != "\x7f").lower()
    return compact.startswith(_PDF_SAFE_URI_SCHEMES)


def _pdf_dictionary_finding(item) -> str | None:
    if _PDF_ACTIVE_KEYS & set(item.keys()):
        return PDF_ACTIVE
    action = _pdf_resolved(item.get("/S"))
    if action in _PDF_ACTIVE_ACTIONS:
        return PDF_ACTIVE
    if action == "/URI" and not _pdf_safe_uri(item.get("/URI")):
        return PDF_UNSAFE_LINK
    if _pdf_resolved(item.get("/Type")) == "/EmbeddedFile":
        return PDF_ACTIVE
    if _pdf_resolved(item.get("/Subtype")) in _PDF_ACTIVE_ANNOTATIONS:
        return PDF_ACTIVE
    return None


def _pdf_roots(reader) -> list:
    """Where the walk starts: the trailer, and every object the cross-reference table lists, so that an object no
    page points to (which a viewer repairing the file may still find) is judged too."""
    roots = [reader.trailer]
    for generation, numbers in reader.xref.items():
        roots.extend(IndirectObject(number, generation, reader) for number in numbers)
    roots.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    return roots


def _pdf_active_content(reader) -> str | None:
    """PDF_ACTIVE or PDF_UNSAFE_LINK for the first active thing found in the document's objects, else None.

    Every object is visited once, indirect references resolved; streams are judged by their dictionary (their
    content is not decoded: scripts and files are reached through the keys that point to them).
    """
    seen: set[tuple[int, int]] = set()
    pending = _pdf_roots(reader)
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
            finding = _pdf_dictionary_finding(item)
            if finding:
                return finding
            pending.extend(value for name, value in item.items() if name != "/Parent")
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return None


def upload_check(upload, *, pdf_allowed: bool = True) -> CheckedFile:
    """One uploaded file checked by its content, never by its name: a JPEG/PNG photo (at most 5 MB, re-encoded
    without its metadata, EXIF included) or, when `pdf_allowed`, a plain PDF document (at most 10 MB, no active
    content). PracticeError with a message naming the file when refused. The one place of these rules: the good
    practices and the laporan kegiatan (documentation photos, signed daftar hadir scans) both check here."""
    name = str(getattr(upload, "name", "") or _("The file"))
    size = getattr(upload, "size", None)
    # Read one byte past the largest allowed size: enough to know it is too large.
    data = upload.read(MAX_PDF_BYTES + 1)
    if size is None:
        size = len(data)
    if pdf_allowed and data.startswith(b"%PDF-"):
        if size > MAX_PDF_BYTES:
            raise PracticeError(_("%(name)s is larger than 10 MB.") % {"name": name}, field="files")
        return _check_pdf(data, name)
    if data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n"):
        if size > MAX_IMAGE_BYTES:
            raise PracticeError(_("%(name)s is larger than 5 MB.") % {"name": name}, field="files")
        return _check_image(data, name)
    if pdf_allowed:
        message = _("%(name)s is neither a JPEG/PNG photo nor a PDF document (whatever its name says).")
    else:
        message = _("%(name)s is not a JPEG or PNG photo (whatever its name says).")
    raise PracticeError(message % {"name": name}, field="files")


def practice_files_check(uploads) -> list[CheckedFile]:
    """Check every uploaded file by its content: up to 3 JPEG/PNG photos and at most one PDF."""
    checked = [upload_check(upload) for upload in uploads]
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
            code=UNKNOWN_CODE,
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

"""Merging two records of one human into one, and undoing a merge (Admin pusat).

`person_merge` keeps the older record, takes from the other the fields Admin pusat chose, moves everything that
points at the other record to the kept one — registrations (with their attendance, certificates and correction
requests, which hang on the registration), committee seats, piagam, Sekolah Penggerak principals: every foreign
key to Person, found through the model's relations, so participants imports nothing above it — and deletes the
other record, in one transaction, with a `person.merged` audit entry on the kept person.

That entry holds what an undo needs: the id of the removed record, the rows moved per relation, the fields taken,
and — encrypted with the field keys (core/fields.py), since it holds NIKs and phone numbers, which never go into
logs in clear — the removed record's data and the kept record's values before the merge. `person_merge_undo`
puts the removed record back under its own id (its audit trail follows), restores the kept one's fields, and
moves back the rows that still point at the kept record. An undo is itself an entry (`person.merge_undone`),
and a merge is undone once.

A merge that would break a rule of the database is refused before anything moves: two registrations of one
person for one event that both count (participants' "one active registration per person and event"), two seats
on committees of one cohort, two piagam of one event — every unique constraint that includes the person.
"""

import json
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import audit
from core.errors import DomainError
from core.fields import decrypt_value, encrypt_value
from core.models import AuditEntry
from participants.models import PERSONAL_DATA_FIELDS, DistinctPeople, Person, Registration

MERGED = "person.merged"
MERGE_UNDONE = "person.merge_undone"
# The PersonalData fields that are foreign keys: stored as ids in the snapshot.
_RELATED_FIELDS = {"agency", "school", "province"}


class MergeError(DomainError):
    pass


@dataclass(frozen=True)
class _Relation:
    """A foreign key to Person on another model (`label` names it in the audit entry: app.model.field)."""

    model: type[models.Model]
    field_name: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field_name}"


def person_relations() -> list[_Relation]:
    """Every foreign key to Person, those without a reverse name (related_name="+") included, but the judgements
    that two records are two people (DistinctPeople): they are about the removed record, and go with it."""
    return [
        _Relation(model=field.related_model, field_name=field.field.name)
        for field in Person._meta.get_fields(include_hidden=True)
        if field.is_relation
        and field.auto_created
        and not field.concrete
        and (field.one_to_many or field.one_to_one)
        and field.related_model is not DistinctPeople
    ]


def _unique_sets(model: type[models.Model], field_name: str) -> list[tuple[list[str], Q | None]]:
    """The unique constraints of `model` that include the person field: (the other fields, condition)."""
    sets = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field_name in constraint.fields:
            sets.append(([name for name in constraint.fields if name != field_name], constraint.condition))
    for together in model._meta.unique_together:
        if field_name in together:
            sets.append(([name for name in together if name != field_name], None))
    return sets


def _registration_conflicts(keep: Person, drop: Person) -> list[str]:
    """The events both people hold a registration for that counts (the one-per-person-and-event constraint)."""
    counting = Registration.objects.filter(person__in=[keep.pk, drop.pk], review="").exclude(
        status=Registration.Status.WITHDRAWN
    )
    people_by_event: dict[int, set[int]] = {}
    titles = {}
    for event_id, title, person_id in counting.values_list("event_id", "event__title", "person_id"):
        people_by_event.setdefault(event_id, set()).add(person_id)
        titles[event_id] = title
    return [
        str(
            _(
                "Both people have a registration for %(event)s that counts (not withdrawn). One person may hold only "
                "one: withdraw or remove one of them first."
            )
            % {"event": titles[event_id]}
        )
        for event_id, people in sorted(people_by_event.items())
        if len(people) > 1
    ]


def merge_conflicts(*, keep: Person, drop: Person) -> list[str]:
    """Why the two records cannot be merged now (nothing when they can), in words for Admin pusat."""
    problems = _registration_conflicts(keep, drop)
    for relation in person_relations():
        model, name = relation.model, relation.field_name
        if model is Registration:
            continue  # said above, with the event's name
        rows = model._default_manager.filter(**{f"{name}__in": [keep.pk, drop.pk]})
        if relation.model._meta.get_field(name).one_to_one:
            if rows.count() > 1:
                what = model._meta.verbose_name
                problems.append(str(_("Both people have a %(what)s; one person may have only one.") % {"what": what}))
            continue
        for others, condition in _unique_sets(model, name):
            holders: dict[tuple, set[int]] = {}
            selected = rows.filter(condition) if condition is not None else rows
            columns = [model._meta.get_field(other).attname for other in others]
            for values in selected.values_list(model._meta.get_field(name).attname, *columns):
                holders.setdefault(tuple(values[1:]), set()).add(values[0])
            if any(len(people) > 1 for people in holders.values()):
                problems.append(
                    str(
                        _("Both people have a %(what)s that one person may hold only once. Resolve it first.")
                        % {"what": model._meta.verbose_name}
                    )
                )
    return problems


def _snapshot_value(person: Person, name: str):
    if name in _RELATED_FIELDS:
        return getattr(person, f"{name}_id")
    value = getattr(person, name)
    return value.isoformat() if name == "birth_date" and value else value


def _restored_value(name: str, value):
    if name == "birth_date" and value:
        return models.DateField().to_python(value)
    return value


def _field_names(name: str) -> str:
    return f"{name}_id" if name in _RELATED_FIELDS else name


def person_merge(*, keep: Person, drop: Person, take: list[str], actor, reason: str = "") -> AuditEntry:
    """Merge `drop` into `keep`: `take` names the fields whose value comes from `drop` (the others stay `keep`'s).

    Raises MergeError when the two are one record, or when merging would break a unique rule (see
    `merge_conflicts`). Returns the `person.merged` audit entry (the undo works from it).
    """
    if keep.pk == drop.pk:
        raise MergeError(_("Choose two different people."))
    unknown = set(take) - set(PERSONAL_DATA_FIELDS)
    if unknown:
        raise MergeError(_("Unknown field: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = {person.pk: person for person in Person.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk])}
        if len(locked) != 2:
            raise MergeError(_("One of the two people no longer exists (merged or removed meanwhile)."))
        keep, drop = locked[keep.pk], locked[drop.pk]
        problems = merge_conflicts(keep=keep, drop=drop)
        if problems:
            raise MergeError(" ".join(problems))
        kept_before = {name: _snapshot_value(keep, name) for name in take}
        dropped = {name: _snapshot_value(drop, name) for name in PERSONAL_DATA_FIELDS}
        dropped["created_at"] = drop.created_at.isoformat()
        moved: dict[str, list] = {}
        for relation in person_relations():
            rows = relation.model._default_manager.filter(**{relation.field_name: drop})
            ids = list(rows.values_list("pk", flat=True))
            if ids:
                relation.model._default_manager.filter(pk__in=ids).update(**{relation.field_name: keep})
                moved[relation.label] = ids
        drop_id = drop.pk
        Person.objects.filter(pk=drop_id).delete()  # frees its identifiers for the kept record
        changed = []
        for name in take:
            value = getattr(drop, _field_names(name))
            if getattr(keep, _field_names(name)) != value:
                setattr(keep, _field_names(name), value)
                changed.append(name)
        if changed:
            keep.save(update_fields=[*changed, "updated_at"])
        snapshot = {"dropped": dropped, "kept_before": kept_before}
        return audit.record(
            actor=actor,
            action=MERGED,
            target=keep,
            reason=reason.strip(),
            data={
                "kept": keep.pk,
                "dropped": drop_id,
                "taken": changed,
                "moved": moved,
                "snapshot": encrypt_value(json.dumps(snapshot)),
            },
        )


def merge_undone(entry: AuditEntry) -> bool:
    return AuditEntry.objects.filter(action=MERGE_UNDONE, data__merge_entry=entry.pk).exists()


def person_merge_undo(*, entry: AuditEntry, actor) -> Person:
    """Undo the merge recorded by `entry`: the removed record back under its id, with its data and the rows
    moved from it; the kept record's fields as they were. Returns the restored record.

    Raises MergeError when the entry is no merge, was undone already, or the state no longer allows it (the
    kept record was merged away since, or another person now holds the restored identifiers).
    """
    if entry.action != MERGED:
        raise MergeError(_("This entry is not a merge."))
    data = entry.data
    with transaction.atomic():
        keep = Person.objects.select_for_update(of=("self",)).filter(pk=data["kept"]).first()
        if keep is None:
            raise MergeError(_("The kept record no longer exists (merged again?): undo that merge first."))
        if merge_undone(entry):
            raise MergeError(_("This merge has already been undone."))
        if Person.objects.filter(pk=data["dropped"]).exists():
            raise MergeError(_("The merged record exists again; nothing to undo."))
        snapshot = json.loads(decrypt_value(data["snapshot"]))
        for name, value in snapshot["kept_before"].items():
            setattr(keep, _field_names(name), _restored_value(name, value))
        dropped = snapshot["dropped"]
        try:
            with transaction.atomic():
                if snapshot["kept_before"]:
                    keep.save(update_fields=[*snapshot["kept_before"], "updated_at"])
                restored = Person.objects.create(
                    pk=data["dropped"],
                    **{_field_names(name): _restored_value(name, dropped[name]) for name in PERSONAL_DATA_FIELDS},
                )
        except IntegrityError:
            raise MergeError(
                _("Another person now holds one of the identifiers to restore; correct that record first.")
            ) from None
        Person.objects.filter(pk=restored.pk).update(created_at=dropped["created_at"])
        relations = {relation.label: relation for relation in person_relations()}
        for label, ids in data["moved"].items():
            relation = relations.get(label)
            if relation is None:
                continue
            relation.model._default_manager.filter(pk__in=ids, **{relation.field_name: keep}).update(
                **{relation.field_name: restored}
            )
        audit.record(
            actor=actor,
            action=MERGE_UNDONE,
            target=keep,
            data={"merge_entry": entry.pk, "restored": restored.pk},
        )
    restored.refresh_from_db()
    return restored

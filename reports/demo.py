"""Demo data of the reports area (fictitious people only): the certificate number format of the Lokakarya as BGP
NTB writes it, and piagam penghargaan for three Kepala Sekolah Penggerak of the Rakor's cohort (from the roster
demo). Create-only: a series or a selection that exists (the demo's or a real one) is left as it is."""

from events.models import Event
from reports.models import Appreciation, NumberSeries
from reports.selectors import appreciation_candidates
from reports.services import appreciation_select, number_series_set_format

LOKAKARYA_SLUG = "lokakarya-7-angkatan-4-ppgp-ntb-2022"
RAKOR_SLUG = "rakor-persiapan-psp-2021"
LOKAKARYA_CERTIFICATE_FORMAT = "{seq:04}/BGP-NTB/LK7/{year}"
PIAGAM_CITATIONS = [
    "dedikasi dan kepemimpinannya dalam memulai transformasi pembelajaran yang berpihak pada murid",
    "keteladanan dan komitmennya membangun budaya belajar bersama di satuan pendidikannya",
    "kepeloporannya dalam perencanaan berbasis data dan pembelajaran dengan paradigma baru",
]


def load() -> None:
    """Idempotent."""
    lokakarya = Event.objects.filter(slug=LOKAKARYA_SLUG).first()
    if lokakarya is not None and not NumberSeries.objects.filter(event=lokakarya, kind="certificate").exists():
        number_series_set_format(
            event=lokakarya, kind="certificate", number_format=LOKAKARYA_CERTIFICATE_FORMAT, actor=None
        )
    rakor = Event.objects.filter(slug=RAKOR_SLUG).first()
    if rakor is None or Appreciation.objects.filter(event=rakor).exists():
        return
    for candidate, citation in zip(appreciation_candidates(event=rakor), PIAGAM_CITATIONS, strict=False):
        appreciation_select(event=rakor, candidate=candidate, citation=citation, actor=None)

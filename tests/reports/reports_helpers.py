"""Shared builders of the reports tests."""

import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> tuple[str, int]:
    """All the text of a PDF and its page count."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def nip_for(index: int) -> str:
    """A valid NIP matching the factories' NIKs (born 12-05-1985, male), unique per index."""
    return f"198505122010011{index % 1000:03d}"


def build_export(*, user, kind: str, file_format: str = "pdf", **params):
    """The exporter of `kind` for `user` with `params` (as the download would make it), its writes done."""
    from core.exports import exporter_class

    exporter = exporter_class(kind)(user=user, params=params, file_format=file_format)
    exporter.prepare()
    return exporter

"""The import form: a plan's published document with its ministry, period and code.

The document is parsed as the form is cleaned: a document that does not fit the layout is an
error on the file field with the parser's ``line N: expected …, found …``; nothing is stored.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yardstick.calendar import PeriodError, normalize_digits, parse_year_range
from yardstick.plan.document import MAX_DOCUMENT_BYTES, decode_document, parse_document
from yardstick.plan.errors import PlanDocumentError
from yardstick.plan.model import Plan

CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_CODES = frozenset({"choose", "import"})
"""Codes that are paths under /plans/ themselves."""


def document_limit() -> int:
    """The largest document accepted: the parser's limit, kept in memory by the upload."""
    return min(MAX_DOCUMENT_BYTES, int(settings.FILE_UPLOAD_MAX_MEMORY_SIZE))


class ImportForm(forms.Form):
    document = forms.FileField(
        label=_("Published plan document"),
        help_text=_("The text as published (UTF-8 or Big5), at most 2 MiB."),
    )
    ministry = forms.CharField(
        label=_("Ministry"), max_length=100, help_text=_("As the plan names it, e.g. 法務部.")
    )
    period = forms.CharField(
        label=_("Period (ROC years)"), max_length=20, help_text=_("The plan's years, e.g. 110-113.")
    )
    code = forms.CharField(
        label=_("Plan code"),
        max_length=60,
        help_text=_(
            "Lower-case letters, digits and hyphens, e.g. moj-110-113; it appears in the addresses."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan: Plan | None = None
        self.text: str | None = None

    def clean_document(self) -> bytes:
        upload: UploadedFile[bytes] = self.cleaned_data["document"]
        limit = document_limit()
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                gettext("The file has %(size)s; a plan document is at most %(limit)s.")
                % {"size": _megabytes(upload.size), "limit": _megabytes(limit)}
            )
        data: bytes = upload.read()
        return data

    def clean_period(self) -> str:
        text = normalize_digits(self.cleaned_data["period"].strip())
        try:
            years = parse_year_range(text)
        except PeriodError:
            raise forms.ValidationError(
                gettext("Give the plan's ROC years as first-last, e.g. 110-113.")
            ) from None
        return f"{years.start}-{years.end}"

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if not CODE_PATTERN.match(code) or code in RESERVED_CODES:
            raise forms.ValidationError(
                gettext("Use lower-case letters, digits and single hyphens, e.g. moj-110-113.")
            )
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        data = cleaned.get("document")
        if not isinstance(data, bytes) or "period" not in cleaned or "ministry" not in cleaned:
            return cleaned
        try:
            self.text = decode_document(data)
            self.plan = parse_document(
                self.text, ministry=cleaned["ministry"].strip(), period=cleaned["period"]
            )
        except (PlanDocumentError, PeriodError) as error:
            self.add_error(
                "document",
                gettext("The document does not fit the published layout: %(error)s")
                % {"error": error},
            )
        return cleaned


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"

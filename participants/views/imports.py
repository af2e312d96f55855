"""Views of the imports area (filled by the issue that builds it)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

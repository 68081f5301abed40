"""Oversized request bodies are refused before Django reads them (no temporary file, no view)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadhandler import StopUpload
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from socready.web.limits import ANONYMOUS_LIMIT, BodySizeLimitMiddleware, LimitedUploadHandler
from tests.integration.conftest import Personas


class Untouchable(io.RawIOBase):
    def read(self, *_: object) -> bytes:
        raise AssertionError("the body was read")


def _request(size: int, user: object) -> object:
    request = RequestFactory().post("/o/acme/evidence/", data=b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(size)
    request.META["wsgi.input"] = Untouchable()
    request.user = user
    return request


def test_a_signed_out_visitor_cannot_send_a_large_body(personas: Personas) -> None:
    middleware = BodySizeLimitMiddleware(lambda request: HttpResponse("view ran"))
    refused = middleware(_request(ANONYMOUS_LIMIT + 1, AnonymousUser()))  # type: ignore[arg-type]
    assert refused.status_code == 413 and b"nothing was saved" in refused.content
    assert middleware(_request(1000, AnonymousUser())).content == b"view ran"  # type: ignore[arg-type]


@override_settings(MAX_UPLOAD_BYTES=1024 * 1024, MAX_UPLOAD_FILES=2, MAX_POPULATION_BYTES=3 * 1024 * 1024)
def test_members_get_the_upload_limits_and_no_more(personas: Personas) -> None:
    middleware = BodySizeLimitMiddleware(lambda request: HttpResponse("view ran"))
    assert middleware(_request(3 * 1024 * 1024, personas.bob)).content == b"view ran"  # type: ignore[arg-type]
    assert middleware(_request(5 * 1024 * 1024, personas.bob)).status_code == 413  # type: ignore[arg-type]


def test_the_whole_stack_answers_413_for_a_declared_oversized_upload(client: Client, personas: Personas) -> None:
    response = client.post("/o/acme/evidence/", data=b"x", content_type="application/octet-stream",
                           CONTENT_LENGTH=str(ANONYMOUS_LIMIT * 3))
    assert response.status_code == 413


def test_a_body_without_a_length_is_cut_once_it_passes_the_limit(personas: Personas) -> None:
    request = _request(0, AnonymousUser())
    handler = LimitedUploadHandler(request)
    handler.receive_data_chunk(b"x" * ANONYMOUS_LIMIT, 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x", ANONYMOUS_LIMIT)

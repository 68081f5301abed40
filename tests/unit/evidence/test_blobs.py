"""The content-addressed blob stores: local directory and S3-compatible bucket (mocked with moto)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from socready.storage.blobs import (
    CorruptBlob,
    LocalBlobStore,
    S3BlobStore,
    UploadRefused,
    copy_verified,
    verified_file,
)

DATA = b"access review signed 2026-03-31\n" * 100
SHA = hashlib.sha256(DATA).hexdigest()


def chunks(data: bytes, size: int = 1000) -> list[bytes]:
    return [data[i:i + size] for i in range(0, len(data), size)]


def test_local_store_keeps_one_copy_per_content_and_verifies_it(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    first = store.put(chunks(DATA), max_bytes=10_000)
    again = store.put(chunks(DATA), max_bytes=10_000)
    assert first.sha256 == again.sha256 == SHA and first.size == len(DATA)
    assert store.path(SHA) == tmp_path / SHA[:2] / SHA[2:4] / SHA
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [store.path(SHA)]
    with verified_file(store, SHA) as handle:
        assert handle.read() == DATA
    store.path(SHA).write_bytes(DATA[:-1] + b"!")
    with pytest.raises(CorruptBlob, match="does not match"):
        verified_file(store, SHA)


def test_an_oversized_upload_is_refused_and_leaves_no_file(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    with pytest.raises(UploadRefused, match="larger than the limit"):
        store.put(chunks(DATA), max_bytes=len(DATA) - 1)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_hashes_never_become_arbitrary_paths(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    for bad in ("../../etc/passwd", "A" * 64, SHA[:-1]):
        with pytest.raises(CorruptBlob, match="not a SHA-256"):
            store.open(bad)
    with pytest.raises(CorruptBlob, match="missing"):
        store.open("0" * 64)


@mock_aws
def test_s3_store_round_trip_and_tamper_detection() -> None:
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="evidence")
    store = S3BlobStore("evidence", prefix="acme/", client=client)
    blob = store.put(chunks(DATA), max_bytes=10_000)
    assert blob.sha256 == SHA and store.exists(SHA)
    assert client.head_object(Bucket="evidence", Key=f"acme/{SHA}")["ContentLength"] == len(DATA)
    with verified_file(store, SHA) as handle:
        assert handle.read() == DATA
    client.put_object(Bucket="evidence", Key=f"acme/{SHA}", Body=b"replaced")
    with pytest.raises(CorruptBlob):
        verified_file(store, SHA)
    with pytest.raises(CorruptBlob, match="cannot be read"):
        store.open("1" * 64)


def test_a_verified_copy_is_made_in_one_read_and_never_left_behind_when_altered(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "store")
    store.put(chunks(DATA), max_bytes=10_000)
    good = copy_verified(store, SHA, tmp_path / "copy")
    assert good.read_bytes() == DATA
    store.path(SHA).write_bytes(b"altered")
    with pytest.raises(CorruptBlob, match="does not match"):
        copy_verified(store, SHA, tmp_path / "bad-copy")
    assert not (tmp_path / "bad-copy").exists()

"""Stored files below every app: content-addressed blobs, upload limits and safe names, and the rule for
when a blob may be removed. Apps use it; it imports none of them."""

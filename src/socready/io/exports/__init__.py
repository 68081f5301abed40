"""Auditor hand-over files.

Readiness report (HTML, PDF), control matrix, PBC list, system description, OSCAL and a zip bundle of them
all. Each exporter takes plain core dataclasses and a path.
"""

"""Readiness pages and the auditor package: the program read from the database into core snapshots."""

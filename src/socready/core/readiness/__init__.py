"""Readiness of a program against its engagements: scores, gaps and the remediation plan."""

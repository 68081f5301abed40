"""Connectors: connections to AWS, GitHub and Okta (or any package's connector), their runs and results.

The checks' rules live in ``socready.core.connectors``; this app holds the clients, the encrypted
connection settings, the runs, and the services that turn a run into evidence, gaps and populations.
"""

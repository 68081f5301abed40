"""Automated checks, free of any client library.

What a check proves, its per-resource results, the controls it supports, the run document stored as
evidence and the gaps a failing check opens.

The clients that talk to AWS, GitHub or an identity provider live in the ``socready.connectors`` app;
they gather plain data and hand it to the functions here, which decide pass or fail.
"""

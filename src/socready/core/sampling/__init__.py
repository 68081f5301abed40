"""Reproducible samples sized by control frequency and risk, and the conclusions their tests support."""

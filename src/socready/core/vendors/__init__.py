"""Vendors' SOC reports: the facts a reviewer checks, how a report's period covers ours, CUECs into controls."""

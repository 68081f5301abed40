"""Wording patterns the drafting rules look for in a question (see ``answering`` for the rules)."""

from __future__ import annotations

import re

# Openings of requests for prose, names, numbers or dates rather than a yes or no.
PERSON_RE = re.compile(
    r"^(?:please\s+)?(?:describe|explain|list|provide|name|identify|specify|outline|detail|summari[sz]e|attach|"
    r"upload|share|give|state|enter|how|what|who|whom|when|where|which|why)\b", re.IGNORECASE)
DETAILS_TOO_RE = re.compile(
    r"\b(?:if (?:so|yes|not|no)\b[^.?]*\b(?:describe|explain|list|provide|specify|attach|name)|please "
    r"(?:describe|explain|list|provide|specify|attach)|how many|how often|which\b|who\b)"
    r"|[?.]\s+(?:how|what|when|where|who|which|describe|explain|list|provide)\b", re.IGNORECASE)
# Questions about a risky practice ("Can staff copy data to USB drives?", "Is production data used in
# testing?"), where having the control in place means the honest answer is No.
RISKY_PRACTICE_RE = re.compile(
    r"\b(?:can|may|do|are)\s+(?:employees|staff|users|personnel|developers|contractors|engineers|anyone)\s+"
    r"(?!(?:complete|receive|sign|acknowledge|undergo|attend|use\s+(?:mfa|multi|unique|strong)))"
    r"|\b(?:do|does)\s+(?:you|your\s+\w+)\s+(?:allow|permit)\b|\b(?:allowed|permitted)\s+to\b|\bused\s+(?:in|for)\b[^?.]*\b(?:test|testing|development|dev)\b"
    r"|\bshared\s+(?:accounts?|credentials?|passwords?|logins?)\b|\bpersonal\s+(?:devices?|email|accounts?)\b"
    r"|\busb\b|\bremovable media\b|\bdefault passwords?\b|\bplain\s?text\b|\bunencrypted\b"
    r"|\b(?:ever|been|had|any)\b[^?.]*\b(?:breach|breaches|incidents?|fines?|penalt\w*|lawsuits?|findings?)\b",
    re.IGNORECASE)
# Control titles that prohibit something; a question without such a word likely asks the opposite way round.
PROHIBITS_RE = re.compile(r"\b(?:forbidden|prohibited|kept out|blocked|denied|not allowed|prevented)\b",
                           re.IGNORECASE)
NEGATED_RE = re.compile(r"\b(?:not|never|no|prevent\w*|prohibit\w*|forbid\w*|block\w*|restrict\w*|den(?:y|ied)|"
                         r"kept out|keep\w* out|rather than|instead of)\b", re.IGNORECASE)

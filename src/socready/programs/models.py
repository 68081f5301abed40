"""Program models live here (engagements, controls, remediation)."""

"""Date formats for the screens: the ISO dates used everywhere else (files, reports, explicit formats)."""

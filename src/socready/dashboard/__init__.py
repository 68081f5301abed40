"""The organization dashboard: the program at a glance, drawn from every app below it."""

"""The demo organization: builders that fill every app with a realistic program, above all the apps."""

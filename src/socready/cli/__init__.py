"""The ``socready`` command line."""

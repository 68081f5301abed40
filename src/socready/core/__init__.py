"""Pure domain logic: plain dataclasses and functions, no Django, no file formats beyond YAML catalogs."""

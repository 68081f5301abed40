"""Reference data: TSC criteria, SOC 1 objective templates and DC 200 items, loaded from the YAML catalogs."""

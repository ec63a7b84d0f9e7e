"""YAML in, a checked Site out: reading, the models (the contract), loading and cross-checks."""

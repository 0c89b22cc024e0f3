"""evidence's outside world: its records and the buckets it owns."""

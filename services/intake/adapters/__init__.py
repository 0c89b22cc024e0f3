"""intake's outside world: its tables, the quarantine bucket, sealing, receipt hashes."""

"""casework's domain: the case, its events and its rules. Pure Python, no I/O."""

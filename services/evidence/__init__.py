"""evidence: the chain of custody for every screenshot."""

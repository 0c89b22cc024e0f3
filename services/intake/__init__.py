"""intake: the public door. Complaints in, status out."""

"""evidence's HTTP side: what its one door (a screenshot under a grant) answers."""

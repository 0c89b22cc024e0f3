"""casework: the event-sourced case file, the team's API, and the identity vault."""

"""HTTP routes of the clues service."""

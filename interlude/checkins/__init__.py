"""The weekly check-in: private preparation, a reveal when both are ready, what was agreed."""

"""The one base for errors whose message is written for the person using Interlude."""


class UserFacingError(Exception):
    """Something the person asked for cannot be done; the message says why, kindly, in words
    they can act on. Views show it next to the form (never a 500)."""

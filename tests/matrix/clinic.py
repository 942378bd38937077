"""The workspace's own pages beyond those in tests/test_permission_matrix.py: a client's
progress charts, and the practice settings, for practice admins only (alice and mallory are
admins of their own practices; pam is an admin who is not a therapist)."""

from __future__ import annotations

from tests.test_permission_matrix import Case, only, page

MATRIX: dict[str, Case] = {
    # Charts of the client's progress: their own therapist only.
    "client_progress": page(
        only({"alice": 200}), kwargs=lambda cast, ctx: {"client_id": cast.bob.pk}
    ),
    "practice_settings": Case(
        get=only({"alice": 200, "mallory": 200, "pam": 200}),
        post=only({"alice": 302, "mallory": 302, "pam": 302}),
        data={"emergency_number": "112", "crisis_line": "call 116 123", "record_years": "8"},
    ),
}

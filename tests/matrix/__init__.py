"""Each tool's part of the permission matrix (see tests/test_permission_matrix.py).

A module here defines MATRIX = {url name: Case(...)} using the helpers of
tests/test_permission_matrix.py (Case, page, action, only, everyone, ok, CLIENTS, THERAPISTS,
LOGIN, Reauth, REFUSED), and may define build(cast, ctx) that creates the rows its URLs point at
and adds their ids to ctx (the whole world is built once per test module, then every request is
rolled back). Keeping each tool's entries in its own file keeps tools from colliding.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with the smallest cost; used only by the test settings."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1

from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`make bench`: a synthetic practice at scale and the benchmark's floor view. No models."""

    name = "bench"
    label = "bench"

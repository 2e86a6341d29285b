from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """A national data set and the benchmark that measures the pages on it. Above every app: it
    writes every app's tables at once and reads every page."""

    name = "benchmarks"
    verbose_name = "Benchmarks"

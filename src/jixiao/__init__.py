"""jixiao (绩效): government performance assessment and supervision."""

__version__ = "0.1.0"

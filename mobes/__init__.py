"""mobes: microbreak mobilizations and rehab batches from the system tray."""

__version__ = "0.1.0"

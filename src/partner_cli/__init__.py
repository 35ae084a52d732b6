"""partner: granskar förslag till partnerskap med näringslivet och håller avtalsregistret."""

__version__ = "0.1.0"

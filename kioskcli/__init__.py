"""The ``kiosk`` command: starts each part of the product as its own process and gives
technicians and operators their tools. It sits beside the parts, not inside any of them."""

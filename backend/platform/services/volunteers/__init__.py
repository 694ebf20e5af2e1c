"""Volunteers (平时) and emergency mode (战时) on the platform: the register (``register``), duties
and hours (``hours``), neighbour groups (``groups``), emergency areas (``emergency``), needs and
their escalation up the command structure (``needs``), the station events (``appliers``) and
the console's views of an area (``views``)."""

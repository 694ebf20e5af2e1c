"""Handwriting input, Kivy-free: ink (strokes in pad coordinates) → ranked candidate characters.

``recognizer.Recognizer`` is the seam; ``zinnia`` binds Debian's libzinnia through ctypes with the
simplified Chinese model from ``tegaki-zinnia-simplified-chinese``. The pad in ``kiosk.ui`` only
collects strokes and calls a Recognizer."""

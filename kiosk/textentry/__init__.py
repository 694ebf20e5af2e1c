"""Typing without an IME, Kivy-free: numbers on a keypad (``numeric``), Chinese by pinyin with
candidates (``pinyin`` + ``composer``), English letters (``composer``). The on-screen keyboards in
``kiosk.ui.keyboards`` only draw keys and call these."""

"""The staff console: server-rendered pages under /console on top of the staff API.

Pages call the staff API's route functions in-process with the signed-in user's ``Visibility``,
so every role and area check and every audit entry is the API's own. The browser holds a cookie
session (the API's bearer token, HttpOnly, SameSite=Strict); every form carries a CSRF token.
"""

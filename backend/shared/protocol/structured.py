"""The part of RFC 8941 (Structured Field Values) that HTTP message signatures need.

Dictionaries whose members are items or inner lists, with parameters; bare items are integers,
strings, tokens, byte sequences and booleans. Anything else is refused with StructuredError, so
a malformed ``Signature-Input`` never reaches the signature check half-read.
"""

from __future__ import annotations

import base64
import binascii
import re
import string
from dataclasses import dataclass, field

BareItem = int | str | bytes | bool
_KEY_START = string.ascii_lowercase + "*"
_KEY_CHARS = string.ascii_lowercase + string.digits + "_-.*"
_TOKEN_START = string.ascii_letters + "*"
_TOKEN_CHARS = string.ascii_letters + string.digits + ":/!#$%&'*+-.^_`|~"
_INTEGER = re.compile(r"-?[0-9]{1,15}")


class StructuredError(ValueError):
    """A header value is not a valid structured field of the expected shape."""


class Token(str):
    """An RFC 8941 token (serialised without quotes)."""


@dataclass(frozen=True)
class Item:
    value: BareItem
    params: dict[str, BareItem] = field(default_factory=dict)


@dataclass(frozen=True)
class InnerList:
    items: list[Item]
    params: dict[str, BareItem] = field(default_factory=dict)


Member = Item | InnerList


def parse_dictionary(text: str) -> dict[str, Member]:
    """Parse an RFC 8941 dictionary (e.g. Signature-Input, Signature)."""
    parser = _Parser(text)
    result: dict[str, Member] = {}
    parser.skip(" ")
    while not parser.done():
        key = parser.key()
        if parser.peek() == "=":
            parser.advance()
            result[key] = parser.inner_list() if parser.peek() == "(" else parser.item()
        else:
            result[key] = Item(True, parser.params())
        parser.skip(" \t")
        if parser.done():
            break
        parser.expect(",")
        parser.skip(" \t")
        if parser.done():
            raise StructuredError("a dictionary ends with a comma")
    return result


def serialize_inner_list(inner: InnerList) -> str:
    """Serialise an inner list with its parameters, canonically."""
    items = " ".join(_bare(i.value) + _params(i.params) for i in inner.items)
    return f"({items}){_params(inner.params)}"


def serialize_dictionary(members: dict[str, Member]) -> str:
    """Serialise a dictionary whose members are items or inner lists."""
    parts = []
    for key, member in members.items():
        if isinstance(member, InnerList):
            parts.append(f"{key}={serialize_inner_list(member)}")
        else:
            parts.append(f"{key}={_bare(member.value)}{_params(member.params)}")
    return ", ".join(parts)


def _params(params: dict[str, BareItem]) -> str:
    return "".join(f";{k}" if v is True else f";{k}={_bare(v)}" for k, v in params.items())


def _bare(value: BareItem) -> str:
    if isinstance(value, bool):
        return "?1" if value else "?0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return ":" + base64.b64encode(value).decode("ascii") + ":"
    if isinstance(value, Token):
        return str(value)
    if any(ord(c) < 0x20 or ord(c) > 0x7E for c in value):
        raise StructuredError("a string may hold printable ASCII only")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def done(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def advance(self) -> str:
        char = self.peek()
        self.pos += 1
        return char

    def skip(self, chars: str) -> None:
        while not self.done() and self.peek() in chars:
            self.pos += 1

    def expect(self, char: str) -> None:
        if self.advance() != char:
            raise StructuredError(f"expected {char!r} at {self.pos - 1}")

    def key(self) -> str:
        if self.peek() not in _KEY_START or self.done():
            raise StructuredError(f"a key must start with a-z or * at {self.pos}")
        start = self.pos
        while not self.done() and self.peek() in _KEY_CHARS:
            self.pos += 1
        return self.text[start:self.pos]

    def params(self) -> dict[str, BareItem]:
        params: dict[str, BareItem] = {}
        while self.peek() == ";":
            self.advance()
            self.skip(" ")
            key = self.key()
            value: BareItem = True
            if self.peek() == "=":
                self.advance()
                value = self.bare_item()
            params[key] = value
        return params

    def item(self) -> Item:
        value = self.bare_item()
        return Item(value, self.params())

    def inner_list(self) -> InnerList:
        self.expect("(")
        items: list[Item] = []
        while True:
            self.skip(" ")
            if self.peek() == ")":
                self.advance()
                return InnerList(items, self.params())
            if self.done():
                raise StructuredError("an inner list is not closed")
            items.append(self.item())
            if self.peek() not in " )":
                raise StructuredError(f"items of an inner list are separated by spaces at {self.pos}")

    def bare_item(self) -> BareItem:
        char = self.peek()
        if char == '"':
            return self.string()
        if char == ":":
            return self.byte_sequence()
        if char == "?":
            self.advance()
            flag = self.advance()
            if flag not in "01" or not flag:
                raise StructuredError("a boolean is ?0 or ?1")
            return flag == "1"
        if char == "-" or char.isdigit():
            match = _INTEGER.match(self.text, self.pos)
            if match is None or (match.end() < len(self.text) and self.text[match.end()] == "."):
                raise StructuredError(f"only integers are supported at {self.pos}")
            self.pos = match.end()
            return int(match.group())
        if char and char in _TOKEN_START:
            start = self.pos
            while not self.done() and self.peek() in _TOKEN_CHARS:
                self.pos += 1
            return Token(self.text[start:self.pos])
        raise StructuredError(f"unexpected {char!r} at {self.pos}")

    def string(self) -> str:
        self.expect('"')
        out: list[str] = []
        while not self.done():
            char = self.advance()
            if char == "\\":
                escaped = self.advance()
                if escaped not in ('"', "\\"):
                    raise StructuredError("only \\\" and \\\\ may be escaped in a string")
                out.append(escaped)
            elif char == '"':
                return "".join(out)
            elif ord(char) < 0x20 or ord(char) > 0x7E:
                raise StructuredError("a string may hold printable ASCII only")
            else:
                out.append(char)
        raise StructuredError("a string is not closed")

    def byte_sequence(self) -> bytes:
        self.expect(":")
        end = self.text.find(":", self.pos)
        if end < 0:
            raise StructuredError("a byte sequence is not closed")
        encoded = self.text[self.pos:end]
        self.pos = end + 1
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as err:
            raise StructuredError("a byte sequence is not valid base64") from err

"""Sentences the library writes, in a form a front end can say in another language.

The library speaks English: its JSON, its command line and its tests read
plain English sentences. The dashboard also speaks Bosnian/Croatian/Serbian,
so a sentence cannot be a finished string. A :class:`Message` is both: it *is*
the English string (a ``str`` subclass, so JSON, comparisons and f-strings
see ordinary text), and it remembers the template and the values it was made
from, so :func:`render` can build it again with a translator's catalog.

Values are kept as they were given: numbers stay numbers (so a template's
``{share:.0%}`` works in every language), a :class:`Term` is a vocabulary
item or a country that the translator names in its own language, a
:class:`Seq` is a list joined with commas, and a value may itself be a
:class:`Message` (a clause inside a sentence). Data (organization names,
cities, seminar labels) is passed as plain text and never translated.

Templates are literal arguments of :func:`msg` and :func:`nmsg`, so Babel
extracts them into the dashboard's catalog (``-k msg -k nmsg:1,2``; see
``docs/i18n.md``). Write templates with named fields, never pre-formatted
pieces, so a translator can move the parts.

Examples
--------
>>> m = msg("{who} works in {country}", who="Org A", country=country("ME"))
>>> m
'Org A works in Montenegro'
>>> m.template
'{who} works in {country}'
>>> class Shouting(EnglishTranslator):
...     def gettext(self, message):
...         return message.upper().replace("{WHO}", "{who}").replace("{COUNTRY}", "{country}")
>>> render(m, Shouting())
'Org A WORKS IN Montenegro'
>>> nmsg("{n} tie", "{n} ties", 3)
'3 ties'
>>> join(["a", "b", "c"])
'a, b and c'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

# cso_network.vocab is imported inside the functions that name terms: vocab's
# own error messages are Messages, so it imports this module at load time.

__all__ = ["Message", "Term", "Seq", "Cap", "Translator", "EnglishTranslator", "ENGLISH", "msg",
           "nmsg", "join", "country", "country_with_code", "term", "reason", "ordinal", "render", "TERM_KINDS"]

#: What a :class:`Term` can name; a translator must name each of them.
TERM_KINDS = ("country", "field", "practice", "risk_factor", "risk_factor_short", "ordinal")


class Translator(Protocol):
    """What :func:`render` needs from a language: its catalog and how it names terms."""

    def gettext(self, message: str) -> str:  # pragma: no cover - protocol
        """``message`` (a template) in this language."""

    def ngettext(self, singular: str, plural: str, n: int) -> str:  # pragma: no cover
        """The template for ``n`` of something, in this language."""

    def term(self, kind: str, code: Any) -> str:  # pragma: no cover - protocol
        """The name of a vocabulary item, a country or an ordinal, in this language."""


def _ordinal_en(n: int) -> str:
    """English ordinals: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 101st.

    >>> [_ordinal_en(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class EnglishTranslator:
    """The library's own language: templates as written, English names of terms."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def term(self, kind: str, code: Any) -> str:
        # Imported here: the vocab package's parsers import this module.
        from cso_network.vocab.tables import COUNTRY_NAMES, RISK_FACTORS

        if kind == "country":
            return COUNTRY_NAMES.get(str(code).strip().upper(), str(code))
        if kind in ("risk_factor", "risk_factor_short"):
            rf = RISK_FACTORS.get(int(code)) if str(code).isdigit() else None
            if rf is None:
                return str(code)
            return rf.short or rf.title if kind == "risk_factor_short" else rf.title
        if kind == "ordinal":
            return _ordinal_en(int(code))
        return str(code)  # fields and practices: the canonical label is English


#: The translator behind every :class:`Message`'s own text.
ENGLISH = EnglishTranslator()


class Term(str):
    """A vocabulary item, a country or an ordinal number, named by the translator.

    Its text is the English name; ``kind`` (one of :data:`TERM_KINDS`) and
    ``code`` say what it is.

    >>> country("MK"), country("MK").code
    ('North Macedonia', 'MK')
    >>> term("risk_factor_short", 9)
    'Intergroup tensions'
    """

    kind: str
    code: Any

    def __new__(cls, kind: str, code: Any) -> Term:
        if kind not in TERM_KINDS:
            raise ValueError(f"unknown term kind {kind!r}; kinds are {', '.join(TERM_KINDS)}")
        self = super().__new__(cls, ENGLISH.term(kind, code))
        self.kind, self.code = kind, code
        return self

    def __reduce__(self):
        return (Term, (self.kind, self.code))


class Seq(str):
    """Values joined with a separator (default ``", "``), each rendered in the translator's language.

    >>> Seq([country("BA"), "ME 2"])
    'Bosnia and Herzegovina, ME 2'
    """

    items: tuple
    sep: str

    def __new__(cls, items: Iterable[Any], sep: str = ", ") -> Seq:
        items = tuple(items)
        self = super().__new__(cls, sep.join(str(x) for x in items))
        self.items, self.sep = items, sep
        return self

    def __reduce__(self):
        return (Seq, (self.items, self.sep))


class Cap(str):
    """A value with its first letter capitalized (for one that opens a sentence), in any language.

    >>> Cap(term("field", "social work"))
    'Social work'
    """

    value: Any

    def __new__(cls, value: Any) -> Cap:
        self = super().__new__(cls, _capitalize(str(value)))
        self.value = value
        return self

    def __reduce__(self):
        return (Cap, (self.value,))


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


class Message(str):
    """A sentence: its English text, and the template and values it was made from.

    Build one with :func:`msg` or :func:`nmsg`; say it in another language
    with :func:`render`. Equal to (and hashed like) its English text.
    """

    template: str
    plural: str | None
    n: int | None
    values: Mapping[str, Any]

    def __new__(cls, template: str, plural: str | None = None, n: int | None = None,
                values: Mapping[str, Any] | None = None) -> Message:
        values = dict(values or {})
        text = (template if plural is None or n == 1 else plural)
        self = super().__new__(cls, text.format(**{k: _english(v) for k, v in values.items()}))
        self.template, self.plural, self.n, self.values = template, plural, n, values
        return self

    def __reduce__(self):
        return (Message, (self.template, self.plural, self.n, self.values))


def _english(value: Any) -> Any:
    """A value as the English template wants it: text for words, numbers as they are."""
    return str(value) if isinstance(value, str) else value


def msg(template: str, /, **values: Any) -> Message:
    """A sentence from ``template`` (a literal with named ``{fields}``) and its values.

    >>> msg("Met at {seminar}", seminar="Skopje 2014")
    'Met at Skopje 2014'
    """
    return Message(template, values=values)


def nmsg(singular: str, plural: str, n: int, /, **values: Any) -> Message:
    """A sentence about ``n`` things: ``singular`` when n == 1 in English, else ``plural``.

    ``n`` is also available to the templates as ``{n}``. Other languages choose
    among their own plural forms (BCS has three).

    >>> nmsg("{n} partner in common", "{n} partners in common", 1)
    '1 partner in common'
    """
    values.setdefault("n", n)
    return Message(singular, plural, int(n), values)


def term(kind: str, code: Any) -> Term:
    """A :class:`Term` of ``kind`` (see :data:`TERM_KINDS`)."""
    return Term(kind, code)


def country(code: str) -> Term:
    """The country with alpha-2 ``code``, named in the reader's language."""
    return Term("country", code)


def country_with_code(code: Any) -> Any:
    """``"Montenegro (ME)"`` in the reader's language; the bare code when it is not a country.

    >>> country_with_code("XK"), country_with_code("ZZ")
    ('Kosovo (XK)', 'ZZ')
    """
    from cso_network.vocab.tables import COUNTRY_NAMES

    if str(code).strip().upper() not in COUNTRY_NAMES:
        return str(code)
    return msg("{name} ({code})", name=country(code), code=code)


def ordinal(n: int) -> Term:
    """``n`` as an ordinal (English "3rd"), in the reader's language."""
    return Term("ordinal", int(n))


def join(items: Iterable[Any], *, limit: int | None = None,
         more: Callable[[int], Message] | None = None) -> Any:
    """``"a"``, ``"a and b"``, ``"a, b and c"``; beyond ``limit`` items ``"a, b, c and <more>"``.

    Parameters
    ----------
    items : iterable
        Text, :class:`Term` or :class:`Message` values.
    limit : int, optional
        Name at most this many; the rest are counted by ``more``.
    more : callable, optional
        ``more(k)`` says "k more ..." (an :func:`nmsg`); default "k more".

    Returns
    -------
    str or Message
        The empty string for no items, the item itself for one.

    Examples
    --------
    >>> join(["a"]), join(["a", "b"])
    ('a', 'a and b')
    >>> join(["a", "b", "c", "d", "e"], limit=3,
    ...      more=lambda k: nmsg("{n} more practice", "{n} more practices", k))
    'a, b, c and 2 more practices'
    """
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if limit is not None and len(items) > limit:
        rest = len(items) - limit
        tail = more(rest) if more is not None else msg("{n} more", n=rest)
        return msg("{items} and {last}", items=Seq(items[:limit]), last=tail)
    return msg("{items} and {last}", items=Seq(items[:-1]), last=items[-1])


def reason(exc: BaseException) -> Any:
    """What an exception says: its :class:`Message` when it was raised with one, else its text.

    ``str(exc)`` would turn a Message into plain English (``str()`` of a str
    subclass is a plain str), so front ends that translate ask for this.

    >>> reason(ValueError(msg("{n} in {seminar}", n=2, seminar="Skopje 2014"))).template
    '{n} in {seminar}'
    >>> reason(KeyError("x"))
    "'x'"
    """
    if len(exc.args) == 1 and isinstance(exc.args[0], (Message, Term, Seq, Cap)):
        return exc.args[0]
    return str(exc)


def render(value: Any, translator: Translator = ENGLISH) -> Any:
    """``value`` in the translator's language: messages, terms and lists re-rendered, the rest as is.

    Parameters
    ----------
    value : Message, Term, Seq, Cap or anything
        Anything else (plain text, numbers, None) is returned unchanged.
    translator : Translator
        Supplies the catalog (``gettext``/``ngettext``) and the names of terms.
        A template the catalog does not know comes back in English.

    Returns
    -------
    str or the value itself
    """
    if isinstance(value, Message):
        if value.plural is None:
            template = translator.gettext(value.template)
        else:
            template = translator.ngettext(value.template, value.plural, value.n)
        fields = {k: render(v, translator) for k, v in value.values.items()}
        try:
            return template.format(**fields)
        except (KeyError, IndexError, ValueError):  # a broken translation: say it in English
            return str(value)
    if isinstance(value, Term):
        return translator.term(value.kind, value.code)
    if isinstance(value, Seq):
        return value.sep.join(str(render(x, translator)) for x in value.items)
    if isinstance(value, Cap):
        return _capitalize(str(render(value.value, translator)))
    return value

"""How much a workbook may hold before it is refused: sizes, rows, columns, cell and name lengths.

A small .xlsx file can unpack to gigabytes (a zip bomb) or hold a million
rows of the same few bytes; reading it whole would exhaust the memory and CPU
of the command line and of the dashboard's server alike. The reader checks
what the archive declares before parsing anything, and counts rows, columns
and cell lengths while it reads, against one :class:`Limits` value.

The defaults leave several times the headroom the largest workbook the
project makes needs (the 10,000-organization benchmark workbook of
``scripts/bench/import.py``; figures in ``docs/data-format.md``). Larger
programmes raise them with environment variables (:data:`ENV_VARS`), read by
:meth:`Limits.from_env` on the command line and on the server alike.

Examples
--------
>>> Limits().max_rows
200000
>>> Limits.from_env({"CSO_NETWORK_MAX_ROWS": "500000"}).max_rows
500000
>>> Limits.from_env({"CSO_NETWORK_MAX_PART_MB": "128"}).max_part_bytes == 128 * 2**20
True
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.messages import msg

__all__ = [
    "Limits",
    "ENV_VARS",
    "EXCEL_MAX_CELL_CHARS",
    "DEFAULT_MAX_FILE_BYTES",
    "MIB",
    "RATIO_FLOOR_BYTES",
]

#: One mebibyte (2**20 bytes): the unit of every ``..._MB`` environment variable.
MIB = 2**20

#: The most characters an Excel cell holds (Excel's own limit). The writer
#: refuses longer values and the reader refuses longer cells, so a workbook
#: exported and imported again holds the same text.
EXCEL_MAX_CELL_CHARS = 32_767

#: The compressed size of a workbook the reader accepts by default (50 MiB).
DEFAULT_MAX_FILE_BYTES = 50 * MIB

#: Parts of the archive that unpack to at most this many bytes are not held to
#: the compression ratio: however well they compress, they stay small.
RATIO_FLOOR_BYTES = 1 * MIB

#: Field of :class:`Limits` -> the environment variable that overrides it.
ENV_VARS: dict[str, str] = {
    "max_file_bytes": "CSO_NETWORK_MAX_FILE_MB",
    "max_uncompressed_bytes": "CSO_NETWORK_MAX_UNCOMPRESSED_MB",
    "max_part_bytes": "CSO_NETWORK_MAX_PART_MB",
    "max_compression_ratio": "CSO_NETWORK_MAX_COMPRESSION_RATIO",
    "max_rows": "CSO_NETWORK_MAX_ROWS",
    "max_columns": "CSO_NETWORK_MAX_COLUMNS",
    "max_cell_chars": "CSO_NETWORK_MAX_CELL_CHARS",
    "max_name_chars": "CSO_NETWORK_MAX_NAME_CHARS",
    "max_problems": "CSO_NETWORK_MAX_PROBLEMS",
}

#: Fields given in bytes and set, in the environment, in MiB.
_IN_MIB = frozenset({"max_file_bytes", "max_uncompressed_bytes", "max_part_bytes"})

_WHOLE_NUMBER = re.compile(r"\s*([0-9]+)\s*")


@dataclass(frozen=True)
class Limits:
    """What a workbook may hold; anything beyond is refused with a clear problem.

    Every field is a whole number of at least 1.

    Attributes
    ----------
    max_file_bytes : int, default 50 MiB
        Size of the .xlsx file itself (compressed).
        Environment: ``CSO_NETWORK_MAX_FILE_MB``.
    max_uncompressed_bytes : int, default 256 MiB
        Sum of the sizes the archive declares for its parts once unpacked.
        Environment: ``CSO_NETWORK_MAX_UNCOMPRESSED_MB``.
    max_part_bytes : int, default 64 MiB
        Declared unpacked size of any one part (a sheet, the shared strings,
        the styles...). Parts such as ``xl/sharedStrings.xml`` are read whole,
        so this bounds the memory one part can take.
        Environment: ``CSO_NETWORK_MAX_PART_MB``.
    max_compression_ratio : int, default 100
        Unpacked size / compressed size of a part larger than 1 MiB
        (:data:`RATIO_FLOOR_BYTES`). Workbooks compress about ten times;
        repeated filler compresses hundreds of times.
        Environment: ``CSO_NETWORK_MAX_COMPRESSION_RATIO``.
    max_rows : int, default 200,000
        Rows per sheet, header included, counted up to the last row the sheet
        stores (blank rows in between count).
        Environment: ``CSO_NETWORK_MAX_ROWS``.
    max_columns : int, default 100
        Columns per sheet, up to the last cell a row stores (empty formatted
        cells count).
        Environment: ``CSO_NETWORK_MAX_COLUMNS``.
    max_cell_chars : int, default 32,767
        Characters in one cell: :data:`EXCEL_MAX_CELL_CHARS`, Excel's own
        limit, which is also the most the writer puts in a cell; it may be
        lowered, never raised.
        Environment: ``CSO_NETWORK_MAX_CELL_CHARS``.
    max_name_chars : int, default 300
        Characters in an organization's ``name`` and a participant's
        ``full_name`` (after spaces are tidied).
        Environment: ``CSO_NETWORK_MAX_NAME_CHARS``.
    max_problems : int, default 1,000
        Problems a validation report lists; a last note says how many more
        were found.
        Environment: ``CSO_NETWORK_MAX_PROBLEMS``.

    Raises
    ------
    CsoNetworkError
        A field is not a whole number of at least 1, or ``max_cell_chars``
        is above :data:`EXCEL_MAX_CELL_CHARS`.
    """

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_uncompressed_bytes: int = 256 * MIB
    max_part_bytes: int = 64 * MIB
    max_compression_ratio: int = 100
    max_rows: int = 200_000
    max_columns: int = 100
    max_cell_chars: int = EXCEL_MAX_CELL_CHARS
    max_name_chars: int = 300
    max_problems: int = 1_000

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise CsoNetworkError(msg(
                    "limit {name} is '{value}'; expected a whole number of at least 1",
                    name=f.name, value=value))
        if self.max_cell_chars > EXCEL_MAX_CELL_CHARS:
            raise CsoNetworkError(msg(
                "limit {name} is {value}; an Excel cell holds at most {most} characters",
                name="max_cell_chars", value=self.max_cell_chars, most=EXCEL_MAX_CELL_CHARS))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, overridden by the environment variables of :data:`ENV_VARS`.

        Each variable holds a whole number of at least 1 (up to 18 digits,
        surrounding spaces allowed); those ending in ``_MB`` count mebibytes (2**20 bytes). An
        empty variable counts as unset.

        Parameters
        ----------
        environ : mapping, optional
            Where to read the variables; default ``os.environ``.

        Returns
        -------
        Limits

        Raises
        ------
        CsoNetworkError
            A variable is not a whole number of at least 1, or
            ``CSO_NETWORK_MAX_CELL_CHARS`` is above 32,767; the message names
            the variable and its value.

        Examples
        --------
        >>> Limits.from_env({"CSO_NETWORK_MAX_PROBLEMS": " 50 "}).max_problems
        50
        >>> Limits.from_env({"CSO_NETWORK_MAX_ROWS": "lots"})
        Traceback (most recent call last):
        ...
        cso_network.core.exceptions.CsoNetworkError: environment variable CSO_NETWORK_MAX_ROWS is 'lots'; expected a whole number of at least 1 (digits only)
        """
        env = os.environ if environ is None else environ
        changes: dict[str, int] = {}
        for name, var in ENV_VARS.items():
            text = env.get(var)
            if text is None or text.strip() == "":
                continue
            match = _WHOLE_NUMBER.fullmatch(text)
            number = int(match.group(1)) if match and len(match.group(1)) <= 18 else 0
            if number < 1:
                raise CsoNetworkError(msg(
                    "environment variable {name} is '{value}'; expected a whole number of at "
                    "least 1 (digits only)", name=var, value=text))
            if name == "max_cell_chars" and number > EXCEL_MAX_CELL_CHARS:
                raise CsoNetworkError(msg(
                    "environment variable {name} is '{value}'; an Excel cell holds at most "
                    "{most} characters", name=var, value=text, most=EXCEL_MAX_CELL_CHARS))
            changes[name] = number * MIB if name in _IN_MIB else number
        return replace(cls(), **changes)

    @staticmethod
    def env_var(name: str) -> str:
        """The environment variable that overrides field ``name``.

        >>> Limits.env_var("max_rows")
        'CSO_NETWORK_MAX_ROWS'
        """
        return ENV_VARS[name]

"""Reading and writing files: the master workbook (and, later, exchange formats).

Everything here turns files into plain Python/pandas structures or back; the
checking and parsing of cell values lives in :mod:`cso_network.validate`.
"""

from cso_network.io.excel import (
    RawTable,
    RawWorkbook,
    read_workbook,
    write_template,
    write_workbook,
)

__all__ = ["RawTable", "RawWorkbook", "read_workbook", "write_workbook", "write_template"]

"""The one exception type of the data layer: it names the file, row, column and problem."""

from __future__ import annotations


class DataError(ValueError):
    """A problem in the data, located as precisely as the data allows.

    Parameters
    ----------
    file : str
        Path of the offending file, relative to the data folder where possible.
    message : str
        What is wrong, in plain words.
    row : int, optional
        1-based data row number (the header is row 0), as a spreadsheet shows it minus one.
    column : str, optional
        The column (field) at fault.

    Examples
    --------
    >>> str(DataError("facts.csv", "not a number: 'abc'", row=3, column="value"))
    "facts.csv, row 3, column 'value': not a number: 'abc'"
    """

    def __init__(
        self, file: str, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.file, self.message, self.row, self.column))


def _rebuild(file: str, message: str, row: int | None, column: str | None) -> DataError:
    return DataError(file, message, row=row, column=column)

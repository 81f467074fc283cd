/**
 * Rules about the table's shape, decided by the parsers' columns and layout steps: a column or row
 * we do not know is held back (never guessed at); a known GACC defect we can read around is a warning.
 */
import type { CheckRule } from "./rule.js";

export const columnsKnown: CheckRule = {
  id: "columns",
  severity: "blocking",
  guards:
    "every column is one we know, for the release's month, each once, none missing; rows as wide as the header",
};

export const layoutKnown: CheckRule = {
  id: "layout",
  severity: "blocking",
  guards:
    "rows line up with the header: no data after the notes, no spanning row amid the data, every cell readable",
};

export const unitCellMissing: CheckRule = {
  id: "unit-cell-missing",
  severity: "warning",
  guards:
    "rows without the Quantity Unit cell (a known GACC defect) are realigned under their headers, and said so",
};

export const priorYearLabel: CheckRule = {
  id: "prior-year-label",
  severity: "warning",
  guards: "last year's column names last year; a wrong label is read by position and said so",
};

export const ytdYearLabel: CheckRule = {
  id: "ytd-year-label",
  severity: "warning",
  guards: "the year-to-date column names the release's year",
};

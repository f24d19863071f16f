//! The person-import CSV (v1): a streaming reader that turns each row into a validated
//! [`Person`] or a [`RowError`] naming its line and the field at fault, and the row ↔ person
//! conversions the node and the CLI share.
//!
//! The file is UTF-8 with a header row and RFC 4180 quoting; a file in UTF-16 with a byte order
//! mark or in Windows-1251, as spreadsheets save them, is recognised, read and warned about
//! (see [`SourceEncoding`]; a file whose first 64 KiB are ASCII is decided where its first
//! other byte stands, and warned about when the reading gets there). Columns are found by
//! header name (trimmed, any case, any order); `record_id` and at least one name column are required; an
//! unknown column is reported once in [`ImportReader::warnings`] and ignored. A row that cannot
//! be read — wrong number of fields (blank fields after the last column aside), invalid UTF-8, a bad date, no name, an unknown country, a
//! field too long, a quote never closed — is an `Err` item and reading goes on with the next row.
//! Rows whose fields are all blank (`,,,,` from spreadsheets) and empty lines are skipped.
//!
//! Records are framed here, line by line, by the same quoting rules the `csv` crate applies, and
//! each framed record is split into fields by the `csv` crate (flexible, as bytes). Framing
//! ourselves lets a quote that is never closed cost one row instead of the rest of the file: a
//! quoted field may span at most [`MAX_RECORD_LINES`] lines, after which the row is reported and
//! reading starts again on the next line. Line breaks may be LF, CRLF or CR.
//!
//! Lists inside one field (`aliases`, and several nationalities in `nationality`) are separated
//! by `;`. A nationality is a code, a country's name or its people's (*Uzbek*, *узбечка*); one
//! that says there is none or that it is unknown (*stateless*, *без гражданства*, ICAO `XXA`,
//! `-`) is no nationality, not an error. `document_number` becomes one [`IdentityDocument`] of kind [`DOCUMENT_KIND`], issued by
//! the row's first nationality (or by no known country).

use crate::country;
use crate::person::{
    IdentityDocument, MAX_FIELD_BYTES, MAX_REPEATED, ParentNames, PartialDate, Person, PersonError, Sex,
};
use csv::ByteRecord;
use encoding::Decoded;
pub use encoding::SourceEncoding;
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

mod encoding;

/// Every column of the format, in the order [`csv_header`] writes them: the twelve of the v1
/// header, then the optional ones.
pub const COLUMNS: [&str; 17] = [
    "record_id",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "date_of_birth",
    "place_of_birth",
    "nationality",
    "document_number",
    "mother_given_name",
    "mother_family_name",
    "locality",
    "aliases",
    "mother_patronymic",
    "mother_date_of_birth",
    "father_given_name",
    "father_family_name",
];

/// Columns that can give a person a name: a file needs at least one of them.
pub const NAME_COLUMNS: [&str; 3] = ["given_name", "family_name", "aliases"];

/// The kind given to the identity document made from `document_number`.
pub const DOCUMENT_KIND: &str = "document";

/// Longest physical line read; a longer one is a bad row (and is not kept in memory).
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Most physical lines one record may span (through quoted line breaks) before its quote is
/// taken to be one that was never closed.
pub const MAX_RECORD_LINES: usize = 32;

// Positions in COLUMNS.
const RECORD_ID: usize = 0;
const GIVEN_NAME: usize = 1;
const FAMILY_NAME: usize = 2;
const PATRONYMIC: usize = 3;
const SEX: usize = 4;
const DATE_OF_BIRTH: usize = 5;
const PLACE_OF_BIRTH: usize = 6;
const NATIONALITY: usize = 7;
const DOCUMENT_NUMBER: usize = 8;
const MOTHER_GIVEN_NAME: usize = 9;
const MOTHER_FAMILY_NAME: usize = 10;
const LOCALITY: usize = 11;
const ALIASES: usize = 12;
const MOTHER_PATRONYMIC: usize = 13;
const MOTHER_DATE_OF_BIRTH: usize = 14;
const FATHER_GIVEN_NAME: usize = 15;
const FATHER_FAMILY_NAME: usize = 16;

/// The position in [`COLUMNS`] of a header name (trimmed, any case).
fn column_index(name: &str) -> Option<usize> {
    let name = name.trim();
    COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)).or_else(|| synonym_index(name))
}

/// Header names other lists use for the format's columns, read as the column (with a warning
/// that says so): a file from another system need not be renamed by hand, and a date of birth
/// under `dob` is not dropped as an unknown column. Compared in lower case with spaces and
/// hyphens as underscores (`Date of birth` = `date_of_birth`).
const COLUMN_SYNONYMS: &[(&str, &str)] = &[
    ("first_name", "given_name"),
    ("forename", "given_name"),
    ("last_name", "family_name"),
    ("surname", "family_name"),
    ("middle_name", "patronymic"),
    ("gender", "sex"),
    ("dob", "date_of_birth"),
    ("birth_date", "date_of_birth"),
    ("birthdate", "date_of_birth"),
    ("birth_place", "place_of_birth"),
    ("birthplace", "place_of_birth"),
    ("citizenship", "nationality"),
    ("passport_number", "document_number"),
    ("passport", "document_number"),
    ("document", "document_number"),
    ("residence", "locality"),
    ("alias", "aliases"),
    ("mother_first_name", "mother_given_name"),
    ("mother_last_name", "mother_family_name"),
    ("mother_surname", "mother_family_name"),
    ("mother_dob", "mother_date_of_birth"),
    ("mother_birth_date", "mother_date_of_birth"),
    ("father_first_name", "father_given_name"),
    ("father_last_name", "father_family_name"),
    ("father_surname", "father_family_name"),
];

fn synonym_index(name: &str) -> Option<usize> {
    let key: String = name.trim().to_lowercase().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c }).collect();
    let column = COLUMNS.iter().position(|c| *c == key).or_else(|| {
        let (_, target) = COLUMN_SYNONYMS.iter().find(|(synonym, _)| *synonym == key)?;
        COLUMNS.iter().position(|c| c == target)
    })?;
    Some(column)
}

/// Why a file cannot be imported at all: something is wrong with its header.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty: it has no header row")]
    Empty,
    #[error("header (line {line}): column {column} is not valid UTF-8")]
    HeaderNotUtf8 { line: u64, column: usize },
    #[error("header (line {line}) has no `record_id` column")]
    MissingRecordId { line: u64 },
    #[error("header (line {line}) has no name column: it needs given_name, family_name or aliases")]
    MissingNameColumn { line: u64 },
    #[error("header (line {line}): column `{name}` appears more than once")]
    DuplicateColumn { line: u64, name: String },
    #[error("header (line {line}): {reason}")]
    BadHeader { line: u64, reason: String },
    #[error("reading the header: {0}")]
    Io(#[from] io::Error),
}

/// One row that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based physical line on which the row starts; the header is line 1.
    pub line: u64,
    /// The row's `record_id`, when it could be read.
    pub record_id: Option<String>,
    /// What is wrong, starting with the field at fault where there is one (`date_of_birth: …`).
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.record_id {
            Some(id) => write!(f, "line {} (record {id:?}): {}", self.line, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

impl std::error::Error for RowError {}

/// One row as read, before it is made into a person: its line and its known columns as
/// `(column name, value)` in file order. Unknown columns are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub fields: Vec<(String, String)>,
}

impl Row {
    /// The row's record id, trimmed; `None` when empty.
    pub fn record_id(&self) -> Option<String> {
        self.fields
            .iter()
            .find(|(name, _)| name == COLUMNS[RECORD_ID])
            .map(|(_, value)| value.trim())
            .filter(|id| !id.is_empty())
            .map(str::to_string)
    }
}

/// Streams persons out of a person-import CSV; see the module documentation.
pub struct ImportReader<R: Read> {
    lines: Lines<Decoded<R>>,
    headers: Vec<String>,
    /// For each column of the file, its position in COLUMNS, or None when it is ignored.
    columns: Vec<Option<usize>>,
    warnings: Vec<String>,
    /// How many of `warnings` [`ImportReader::take_new_warnings`] has not given yet.
    new_warnings: usize,
    /// Whether an encoding decided after the start has been warned about.
    late_seen: bool,
    /// Rows so far with a name in letters Homeward does not read (see [`unread_name`]).
    unread_rows: usize,
    finished: bool,
}

/// Rows with a name in letters Homeward does not read that are warned about one by one; after
/// them, one warning says that more follow.
const UNREAD_ROWS_LISTED: usize = 5;

/// The first name field of `row` whose letters Homeward does not read, with its value: letters
/// of a script that normalisation has no table for (Georgian, Armenian, Chinese …), which fold
/// to nothing, so the record can match on its other fields only. None when the row gives a
/// readable spelling among its aliases.
fn unread_name(row: &Row) -> Option<(&'static str, &str)> {
    unread_name_of(row.fields.iter().map(|(name, value)| (name.as_str(), value.as_str())))
}

/// [`unread_name`] over `(column, value)` pairs, for a record given field by field (a single
/// enrolment): the first name column whose letters Homeward does not read, unless `aliases`
/// holds a readable spelling. Plain ASCII is always read, so only other letters are folded.
pub fn unread_name_of<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<(&'static str, &'a str)> {
    const NAME_COLUMNS: [&str; 5] =
        ["given_name", "family_name", "patronymic", "mother_given_name", "mother_family_name"];
    let readable = |value: &str| value.is_ascii() || !crate::matching::normalise::fold(value).is_empty();
    let mut unread = None;
    for (name, value) in fields {
        if name == "aliases" && value.chars().any(char::is_alphabetic) && readable(value) {
            return None;
        }
        if let Some(column) = NAME_COLUMNS.iter().find(|c| **c == name)
            && unread.is_none()
            && value.chars().any(char::is_alphabetic)
            && !readable(value)
        {
            unread = Some((*column, value.trim()));
        }
    }
    unread
}

impl<R: Read> ImportReader<R> {
    /// Reads and checks the header row.
    pub fn new(reader: R) -> Result<Self, ImportError> {
        let (decoded, encoding, looks_foreign, nul) = encoding::open(reader).map_err(ImportError::Io)?;
        if nul {
            // Refused from the first 64 KiB, before any line is read: a file of NUL bytes may
            // have no line end at all (`/dev/zero`).
            return Err(ImportError::BadHeader {
                line: 1,
                reason: "the file holds NUL bytes: it looks like UTF-16 without a byte order mark, or is not \
                         text; save it as UTF-8 (or as \"Unicode text\", which writes the mark)"
                    .into(),
            });
        }
        let mut lines = Lines::new(decoded);
        let record = match lines.next_record() {
            Next::End => return Err(ImportError::Empty),
            Next::Io(error, _) => return Err(ImportError::Io(error)),
            Next::Bad(error) => {
                return Err(ImportError::BadHeader { line: error.line, reason: error.reason });
            }
            Next::Record(record) => record,
        };
        let line = record.line;
        let mut warnings = Vec::new();
        warnings.extend(encoding.warning().map(str::to_string));
        if looks_foreign {
            warnings.push(
                "the file's first rows hold bytes that are not UTF-8, and it is in no other encoding Homeward \
                 recognises (UTF-16 with a byte order mark, Windows-1251): rows that are not UTF-8 are refused; \
                 save the file as UTF-8"
                    .to_string(),
            );
        }
        let delimiter = header_delimiter(&record.bytes);
        if delimiter != b',' {
            let name = if delimiter == b'\t' { "tabs" } else { "`;`" };
            warnings.push(format!("fields are separated by {name}, not commas, and are read so"));
        }
        lines.delimiter = delimiter;
        let fields = split(&record.bytes, delimiter).map_err(|reason| ImportError::BadHeader { line, reason })?;
        let mut headers = Vec::with_capacity(fields.len());
        let mut columns = Vec::with_capacity(fields.len());
        for (i, raw) in fields.iter().enumerate() {
            let name = std::str::from_utf8(raw).map_err(|_| ImportError::HeaderNotUtf8 { line, column: i + 1 })?.trim();
            let column = column_index(name);
            match column {
                Some(c) if columns.contains(&Some(c)) => {
                    return Err(ImportError::DuplicateColumn { line, name: COLUMNS[c].into() });
                }
                Some(c) if !COLUMNS[c].eq_ignore_ascii_case(name) => {
                    warnings.push(format!("column {} `{name}` is read as {}", i + 1, COLUMNS[c]));
                }
                Some(_) => {}
                None if name.is_empty() => warnings.push(format!("column {} has no name and is ignored", i + 1)),
                None => warnings
                    .push(format!("column {} `{name}` is not in the person-import format v1 and is ignored", i + 1)),
            }
            headers.push(name.to_string());
            columns.push(column);
        }
        if !columns.contains(&Some(RECORD_ID)) {
            return Err(ImportError::MissingRecordId { line });
        }
        if !columns.iter().flatten().any(|&c| NAME_COLUMNS.contains(&COLUMNS[c])) {
            return Err(ImportError::MissingNameColumn { line });
        }
        let new_warnings = warnings.len();
        Ok(ImportReader {
            lines,
            headers,
            columns,
            warnings,
            new_warnings,
            late_seen: false,
            unread_rows: 0,
            finished: false,
        })
    }

    /// Problems with the file that do not stop the import (unknown columns), one per problem.
    /// Most are known once the header is read; an encoding decided further down the file (see
    /// `encoding`) adds one when the reading gets there.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The warnings not given by an earlier call (all of them at the first), for a caller that
    /// shows them as the file is read.
    pub fn take_new_warnings(&mut self) -> Vec<String> {
        let start = self.warnings.len() - self.new_warnings;
        self.new_warnings = 0;
        self.warnings[start..].to_vec()
    }

    /// Notes, once, an encoding decided after the start of the file.
    fn note_late_encoding(&mut self) {
        if self.late_seen {
            return;
        }
        let Some(late) = self.lines.inner.get_ref().late() else { return };
        self.late_seen = true;
        let warning = match late.encoding {
            SourceEncoding::Utf8 if late.looks_foreign => format!(
                "from byte {} on, the file holds bytes that are not UTF-8, and it is in no other encoding Homeward \
                 recognises (Windows-1251): rows that are not UTF-8 are refused; save the file as UTF-8",
                late.at
            ),
            SourceEncoding::Utf8 => return,
            other => format!(
                "the file's first {} bytes are plain ASCII; from there on {}",
                late.at,
                other.warning().unwrap_or("it is read in another encoding")
            ),
        };
        self.warnings.push(warning);
        self.new_warnings += 1;
    }

    /// Warns about a row whose name is in letters Homeward does not read: it is imported, but
    /// no peer can find it by that name. The first few rows are named, then one warning says
    /// that more follow.
    fn note_unread_name(&mut self, row: &Row) {
        let Some((column, value)) = unread_name(row) else { return };
        self.unread_rows += 1;
        let warning = match self.unread_rows {
            n if n <= UNREAD_ROWS_LISTED => {
                let record = row.record_id().map(|id| format!(" (record {id:?})")).unwrap_or_default();
                format!(
                    "line {}{record}: {column} {value:?} is in letters Homeward does not read; the record is imported, \
                     but no peer can find it by that name (give a Latin or Cyrillic spelling in `aliases`)",
                    row.line
                )
            }
            n if n == UNREAD_ROWS_LISTED + 1 => {
                "more rows have names in letters Homeward does not read; they are imported and not listed".to_string()
            }
            _ => return,
        };
        self.warnings.push(warning);
        self.new_warnings += 1;
    }

    /// The header names as they stand in the file (trimmed), unknown ones included.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The encoding the file is read in (from its first byte that is not ASCII on, when its
    /// first 64 KiB are ASCII and decided nothing).
    pub fn encoding(&self) -> SourceEncoding {
        self.lines.inner.get_ref().encoding()
    }

    /// Bytes consumed from the input so far, for progress reporting.
    pub fn bytes_read(&self) -> u64 {
        match self.encoding() {
            SourceEncoding::Utf8 => self.lines.bytes,
            // Transcoded: what the file gave, read ahead included.
            _ => self.lines.inner.get_ref().consumed(),
        }
    }

    /// The next row's known fields, unchecked beyond framing, field count and UTF-8; `None` at
    /// the end. [`person_from_fields`] makes a person of it. The iterator does both steps.
    pub fn next_fields(&mut self) -> Option<Result<Row, RowError>> {
        if self.finished {
            return None;
        }
        loop {
            let record = match self.lines.next_record() {
                Next::End => {
                    self.finished = true;
                    return None;
                }
                Next::Io(error, line) => {
                    // A read error is not a bad row: report it and stop rather than spin.
                    self.finished = true;
                    return Some(Err(RowError { line, record_id: None, reason: format!("read error: {error}") }));
                }
                Next::Bad(error) => {
                    self.note_late_encoding();
                    return Some(Err(error));
                }
                Next::Record(record) => record,
            };
            self.note_late_encoding();
            let line = record.line;
            let fields = match split(&record.bytes, self.lines.delimiter) {
                Ok(fields) => fields,
                Err(reason) => {
                    return Some(Err(RowError { line, record_id: None, reason }));
                }
            };
            if fields.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            let row = self.row(line, &fields);
            if let Ok(row) = &row {
                self.note_unread_name(row);
            }
            return Some(row);
        }
    }

    fn row(&self, line: u64, fields: &ByteRecord) -> Result<Row, RowError> {
        let record_id = self
            .columns
            .iter()
            .position(|&c| c == Some(RECORD_ID))
            .and_then(|i| fields.get(i))
            .and_then(|raw| std::str::from_utf8(raw).ok())
            .map(str::trim)
            .filter(|id| !id.is_empty() && id.len() <= 128)
            .map(str::to_string);
        let fail = |reason: String| RowError { line, record_id: record_id.clone(), reason };
        // Blank fields after the last column (a trailing comma, as spreadsheets leave) are no
        // data; a row with fewer fields, or more that hold something, may have its values in
        // the wrong columns and is refused.
        let blank_extra = fields.len() > self.columns.len()
            && fields.iter().skip(self.columns.len()).all(|f| f.iter().all(u8::is_ascii_whitespace));
        if fields.len() != self.columns.len() && !blank_extra {
            return Err(fail(format!(
                "expected {} fields as in the header, found {}",
                self.columns.len(),
                fields.len()
            )));
        }
        let mut known = Vec::with_capacity(COLUMNS.len());
        for (raw, column) in fields.iter().zip(&self.columns) {
            let Some(c) = *column else { continue };
            let value = std::str::from_utf8(raw)
                .map_err(|e| fail(format!("{}: invalid UTF-8 at byte {}", COLUMNS[c], e.valid_up_to())))?;
            known.push((COLUMNS[c].to_string(), value.to_string()));
        }
        Ok(Row { line, fields: known })
    }
}

impl<R: Read> Iterator for ImportReader<R> {
    type Item = Result<Person, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        let row = match self.next_fields()? {
            Ok(row) => row,
            Err(error) => return Some(Err(error)),
        };
        Some(person_from_fields(&row.fields).map_err(|reason| RowError {
            line: row.line,
            record_id: row.record_id(),
            reason,
        }))
    }
}

/// Makes a validated person of one row given as `(header name, value)` pairs, in any order.
/// Unknown names are ignored; a missing column reads as empty. The error names the field at
/// fault (`date_of_birth: "1990-13" …`).
pub fn person_from_fields(fields: &[(String, String)]) -> Result<Person, String> {
    let mut values: [&str; COLUMNS.len()] = [""; COLUMNS.len()];
    let mut seen = [false; COLUMNS.len()];
    for (name, value) in fields {
        let Some(c) = column_index(name) else {
            continue;
        };
        if std::mem::replace(&mut seen[c], true) {
            return Err(format!("{}: given more than once", COLUMNS[c]));
        }
        values[c] = value;
    }
    person_from_values(&values)
}

fn person_from_values(v: &[&str; COLUMNS.len()]) -> Result<Person, String> {
    for (c, value) in v.iter().enumerate() {
        let limit = if c == ALIASES || c == NATIONALITY { MAX_FIELD_BYTES * MAX_REPEATED } else { MAX_FIELD_BYTES };
        if value.len() > limit {
            return Err(format!("{}: longer than {limit} bytes", COLUMNS[c]));
        }
        if value.trim().chars().any(char::is_control) {
            return Err(format!("{}: contains control characters (a line break?)", COLUMNS[c]));
        }
    }
    let sex = Sex::parse(v[SEX]).map_err(|e| e.to_string())?;
    let date = |c: usize| {
        PartialDate::parse_birth(v[c])
            .map_err(|PersonError::Invalid { reason, .. }| format!("{}: {reason}", COLUMNS[c]))
    };
    let list = |c: usize| -> Vec<String> {
        v[c].split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
    };
    let mut nationalities = Vec::new();
    for name in list(NATIONALITY) {
        // `;` separates countries; so do `/` and `,` where the whole names no country.
        let codes =
            country::nationality_codes(&name).ok_or_else(|| format!("nationality: unknown country {name:?}"))?;
        for code in codes {
            if !nationalities.iter().any(|n: &String| n == code) {
                nationalities.push(code.to_string());
            }
        }
    }
    if nationalities.len() > MAX_REPEATED {
        return Err(format!("nationality: more than {MAX_REPEATED} countries"));
    }
    let mut documents = Vec::new();
    if !v[DOCUMENT_NUMBER].trim().is_empty() {
        documents.push(IdentityDocument {
            kind: DOCUMENT_KIND.to_string(),
            number: v[DOCUMENT_NUMBER].to_string(),
            issuing_country: nationalities.first().cloned().unwrap_or_default(),
        });
    }
    let person = Person {
        record_id: v[RECORD_ID].to_string(),
        given_name: v[GIVEN_NAME].to_string(),
        family_name: v[FAMILY_NAME].to_string(),
        patronymic: v[PATRONYMIC].to_string(),
        aliases: list(ALIASES),
        sex,
        date_of_birth: date(DATE_OF_BIRTH)?,
        place_of_birth: v[PLACE_OF_BIRTH].to_string(),
        nationalities,
        documents,
        mother: ParentNames {
            given_name: v[MOTHER_GIVEN_NAME].to_string(),
            family_name: v[MOTHER_FAMILY_NAME].to_string(),
            patronymic: v[MOTHER_PATRONYMIC].to_string(),
            date_of_birth: date(MOTHER_DATE_OF_BIRTH)?,
        },
        father: ParentNames {
            given_name: v[FATHER_GIVEN_NAME].to_string(),
            family_name: v[FATHER_FAMILY_NAME].to_string(),
            ..ParentNames::default()
        },
        locality: v[LOCALITY].to_string(),
    };
    person.validated().map_err(|e| e.to_string())
}

/// The record an import row makes of a record already held: the row's columns replace what
/// they hold (an empty value clears it), and what the row does not carry is kept — columns the
/// file lacks, the father's patronymic and birth date, and the documents when the row names
/// the one already held first (its kind and issuing country stay). `sent` names the row's
/// columns, as [`Row::fields`] does.
pub fn merge_into_held(held: &Person, mut row: Person, sent: &[&str]) -> Person {
    let has = |column: usize| sent.contains(&COLUMNS[column]);
    let keep_text = |column: usize, field: &mut String, from: &String| {
        if !has(column) {
            field.clone_from(from);
        }
    };
    keep_text(GIVEN_NAME, &mut row.given_name, &held.given_name);
    keep_text(FAMILY_NAME, &mut row.family_name, &held.family_name);
    keep_text(PATRONYMIC, &mut row.patronymic, &held.patronymic);
    keep_text(PLACE_OF_BIRTH, &mut row.place_of_birth, &held.place_of_birth);
    keep_text(LOCALITY, &mut row.locality, &held.locality);
    keep_text(MOTHER_GIVEN_NAME, &mut row.mother.given_name, &held.mother.given_name);
    keep_text(MOTHER_FAMILY_NAME, &mut row.mother.family_name, &held.mother.family_name);
    keep_text(MOTHER_PATRONYMIC, &mut row.mother.patronymic, &held.mother.patronymic);
    keep_text(FATHER_GIVEN_NAME, &mut row.father.given_name, &held.father.given_name);
    keep_text(FATHER_FAMILY_NAME, &mut row.father.family_name, &held.father.family_name);
    if !has(SEX) {
        row.sex = held.sex;
    }
    if !has(DATE_OF_BIRTH) {
        row.date_of_birth = held.date_of_birth;
    }
    if !has(MOTHER_DATE_OF_BIRTH) {
        row.mother.date_of_birth = held.mother.date_of_birth;
    }
    if !has(ALIASES) {
        row.aliases.clone_from(&held.aliases);
    }
    if !has(NATIONALITY) {
        row.nationalities.clone_from(&held.nationalities);
    }
    let same_first = match (row.documents.first(), held.documents.first()) {
        (Some(new), Some(old)) => new.number == old.number,
        _ => false,
    };
    if !has(DOCUMENT_NUMBER) || same_first {
        row.documents.clone_from(&held.documents);
    } else if !has(NATIONALITY)
        && let Some(document) = row.documents.first_mut()
    {
        // A new number's issuing country comes from the nationality, kept from the record.
        document.issuing_country = row.nationalities.first().cloned().unwrap_or_default();
    }
    row.father.patronymic.clone_from(&held.father.patronymic);
    row.father.date_of_birth = held.father.date_of_birth;
    row
}

/// The header [`person_to_fields`] writes: every column of the format.
pub fn csv_header() -> Vec<&'static str> {
    COLUMNS.to_vec()
}

/// One person as a row in [`csv_header`] order. The format holds one document (the first is
/// written), no father's patronymic or birth date and no document kind or issuing country, so
/// those do not survive a round trip; everything else does.
pub fn person_to_fields(p: &Person) -> Vec<String> {
    let date = |d: &Option<PartialDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut out = vec![String::new(); COLUMNS.len()];
    out[RECORD_ID] = p.record_id.clone();
    out[GIVEN_NAME] = p.given_name.clone();
    out[FAMILY_NAME] = p.family_name.clone();
    out[PATRONYMIC] = p.patronymic.clone();
    out[SEX] = p.sex.code().to_string();
    out[DATE_OF_BIRTH] = date(&p.date_of_birth);
    out[PLACE_OF_BIRTH] = p.place_of_birth.clone();
    out[NATIONALITY] = p.nationalities.join(";");
    out[DOCUMENT_NUMBER] = p.documents.first().map(|d| d.number.clone()).unwrap_or_default();
    out[MOTHER_GIVEN_NAME] = p.mother.given_name.clone();
    out[MOTHER_FAMILY_NAME] = p.mother.family_name.clone();
    out[LOCALITY] = p.locality.clone();
    out[ALIASES] = p.aliases.join(";");
    out[MOTHER_PATRONYMIC] = p.mother.patronymic.clone();
    out[MOTHER_DATE_OF_BIRTH] = date(&p.mother.date_of_birth);
    out[FATHER_GIVEN_NAME] = p.father.given_name.clone();
    out[FATHER_FAMILY_NAME] = p.father.family_name.clone();
    out
}

/// Splits one framed record into fields with the `csv` crate.
fn split(bytes: &[u8], delimiter: u8) -> Result<ByteRecord, String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(bytes.len().clamp(64, 8 * 1024))
        .from_reader(bytes);
    let mut record = ByteRecord::new();
    reader.read_byte_record(&mut record).map_err(|e| format!("unreadable row: {e}"))?;
    Ok(record)
}

// ---- framing -------------------------------------------------------------------------------

/// One physical line, without its line break.
struct Line {
    number: u64,
    bytes: Vec<u8>,
    /// Longer than MAX_LINE_BYTES; `bytes` holds only the start.
    too_long: bool,
}

/// One record: one line, or several joined by `\n` where a quoted field holds line breaks.
struct Record {
    line: u64,
    bytes: Vec<u8>,
}

enum Next {
    Record(Record),
    Bad(RowError),
    /// A read error, and the line it happened on.
    Io(io::Error, u64),
    End,
}

/// Where a record's bytes leave the quoting state machine (the `csv` crate's, with `"` quotes
/// doubled inside quoted fields): a record ends at a line break outside quotes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: the end of the quotes, or the first of a doubled pair.
    QuoteInQuoted,
}

fn scan(mut state: Quoting, bytes: &[u8], delimiter: u8) -> Quoting {
    for &b in bytes {
        state = match (state, b) {
            (Quoting::FieldStart, b'"') => Quoting::Quoted,
            (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
            (Quoting::Quoted, _) => Quoting::Quoted,
            (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
            (_, b) if b == delimiter => Quoting::FieldStart,
            _ => Quoting::Unquoted,
        };
    }
    state
}

/// The field separator a file's header row shows: the comma of RFC 4180 or, in a header
/// without one, the `;` that spreadsheets write where the comma is the decimal mark (Russian
/// and most of the region's locales), or a tab. Commas inside quotes do not count.
fn header_delimiter(header: &[u8]) -> u8 {
    let mut quoted = false;
    let (mut semicolons, mut tabs) = (0, 0);
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => return b',',
            b';' if !quoted => semicolons += 1,
            b'\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if semicolons > 0 {
        b';'
    } else if tabs > 0 {
        b'\t'
    } else {
        b','
    }
}

struct Lines<R: Read> {
    inner: BufReader<R>,
    next_number: u64,
    bytes: u64,
    /// Lines read ahead and given back after a quote that was never closed.
    pending: VecDeque<Line>,
    eof: bool,
    /// The field separator (see [`header_delimiter`]); a comma until the header is read.
    delimiter: u8,
}

impl<R: Read> Lines<R> {
    fn new(reader: R) -> Self {
        Lines {
            inner: BufReader::with_capacity(64 * 1024, reader),
            next_number: 1,
            bytes: 0,
            pending: VecDeque::new(),
            eof: false,
            delimiter: b',',
        }
    }

    fn fill(&mut self) -> io::Result<&[u8]> {
        loop {
            match self.inner.fill_buf() {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
                // Asked again (the buffer is full now, so this reads nothing) because a borrow
                // returned from inside the loop would outlive it (a known borrow-checker limit).
                Ok(_) => return self.inner.fill_buf(),
            }
        }
    }

    fn consume(&mut self, n: usize) {
        self.inner.consume(n);
        self.bytes += n as u64;
    }

    /// The next physical line; a line ends at LF, CRLF or CR.
    fn next_line(&mut self) -> io::Result<Option<Line>> {
        if let Some(line) = self.pending.pop_front() {
            return Ok(Some(line));
        }
        if self.eof {
            return Ok(None);
        }
        let mut bytes = Vec::new();
        let mut too_long = false;
        let mut any = false;
        loop {
            let available = self.fill()?;
            if available.is_empty() {
                self.eof = true;
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let end = available.iter().position(|&b| b == b'\n' || b == b'\r');
            let take = end.unwrap_or(available.len());
            if bytes.len() + take > MAX_LINE_BYTES {
                too_long = true;
            }
            if !too_long {
                bytes.extend_from_slice(&available[..take]);
            }
            let Some(end) = end else {
                self.consume(take);
                continue;
            };
            let was_cr = available[end] == b'\r';
            self.consume(end + 1);
            if was_cr && self.fill()?.first() == Some(&b'\n') {
                self.consume(1);
            }
            break;
        }
        let number = self.next_number;
        self.next_number += 1;
        if number == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        Ok(Some(Line { number, bytes, too_long }))
    }

    /// The next non-empty record.
    fn next_record(&mut self) -> Next {
        let first = loop {
            match self.next_line() {
                Err(e) => return Next::Io(e, self.next_number),
                Ok(None) => return Next::End,
                Ok(Some(line)) if line.bytes.is_empty() && !line.too_long => continue,
                Ok(Some(line)) => break line,
            }
        };
        let start = first.number;
        let bad = |reason: String| Next::Bad(RowError { line: start, record_id: None, reason });
        if first.too_long {
            return bad(format!("line longer than {MAX_LINE_BYTES} bytes"));
        }
        let mut state = scan(Quoting::FieldStart, &first.bytes, self.delimiter);
        if state != Quoting::Quoted {
            return Next::Record(Record { line: start, bytes: first.bytes });
        }
        // A quoted field with line breaks: read on until its quote closes.
        let mut bytes = first.bytes.clone();
        let mut taken: Vec<Line> = Vec::new();
        let unclosed = loop {
            if taken.len() + 1 >= MAX_RECORD_LINES {
                break format!("a quoted field is still open after {MAX_RECORD_LINES} lines");
            }
            let line = match self.next_line() {
                Err(e) => return Next::Io(e, self.next_number),
                Ok(None) => {
                    break "a quoted field is never closed before the end of the file".into();
                }
                Ok(Some(line)) if line.too_long => {
                    taken.push(line);
                    break "a quoted field is never closed".into();
                }
                Ok(Some(line)) => line,
            };
            bytes.push(b'\n');
            bytes.extend_from_slice(&line.bytes);
            state = scan(state, &line.bytes, self.delimiter);
            taken.push(line);
            if state != Quoting::Quoted {
                return Next::Record(Record { line: start, bytes });
            }
        };
        // Give back every line after the first: the bad row is the first line alone.
        for line in taken.into_iter().rev() {
            self.pending.push_front(line);
        }
        let record_id = split(&first.bytes, self.delimiter)
            .ok()
            .and_then(|r| r.get(0).map(<[u8]>::to_vec))
            .and_then(|id| String::from_utf8(id).ok())
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty() && id.len() <= 128 && !id.contains('\n'));
        Next::Bad(RowError { line: start, record_id, reason: format!("{unclosed} (a `\"` missing on this line?)") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "record_id,given_name,family_name,patronymic,sex,date_of_birth,place_of_birth,nationality,document_number,mother_given_name,mother_family_name,locality";

    fn read(bytes: &[u8]) -> (Vec<String>, Vec<Result<Person, RowError>>) {
        let reader = ImportReader::new(bytes).expect("header");
        let warnings = reader.warnings().to_vec();
        (warnings, reader.collect())
    }

    #[test]
    fn a_spreadsheets_semicolons_or_tabs_separate_fields_when_the_header_has_no_comma() {
        // As a spreadsheet in a Russian locale saves "CSV": `;` between fields, a comma in a
        // value, a `;` inside quotes, a quoted field over two lines (refused, as in any file,
        // and the rows after it still read).
        let file = "record_id;given_name;family_name;date_of_birth;locality;aliases\r\n\
                    UZ-1;Aziz;Karimov;12.03.1990;Toshkent, Chilonzor;\"Aziz Karimov;Azizjon Karimov\"\r\n\
                    UZ-2;Gulnora;Rahimova;1988;\"Samarqand\nUrgut\";\r\n\
                    UZ-3;Dilshod;Yusupov;1975;;\r\n";
        let (warnings, rows) = read(file.as_bytes());
        assert!(warnings.iter().any(|w| w.contains("separated by `;`")), "{warnings:?}");
        assert_eq!(rows.len(), 3, "{rows:?}");
        let first = rows[0].as_ref().unwrap();
        assert_eq!(first.family_name, "Karimov");
        assert_eq!(first.locality, "Toshkent, Chilonzor");
        assert_eq!(first.aliases, vec!["Aziz Karimov".to_string(), "Azizjon Karimov".to_string()]);
        let refused = rows[1].as_ref().unwrap_err();
        assert_eq!((refused.line, refused.record_id.as_deref()), (3, Some("UZ-2")), "{refused}");
        assert_eq!(rows[2].as_ref().unwrap().date_of_birth.map(|d| d.year), Some(1975));
        let tabs = "record_id\tgiven_name\tfamily_name\nKZ-1\tAigerim\tNurlanova\n";
        let (warnings, rows) = read(tabs.as_bytes());
        assert!(warnings.iter().any(|w| w.contains("separated by tabs")), "{warnings:?}");
        assert_eq!(rows[0].as_ref().unwrap().given_name, "Aigerim");
        // A comma header stays a comma file, whatever its values hold.
        let commas = format!("{HEADER}\nKZ-2,Aigerim,Nurlanova;Serikova,,,,,,,,,\n");
        let (warnings, rows) = read(commas.as_bytes());
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(rows[0].as_ref().unwrap().family_name, "Nurlanova;Serikova");
        assert_eq!(header_delimiter(b"\"a,b\";c"), b';');
    }

    /// A name in letters Homeward does not read (Georgian here) is imported and warned about,
    /// the first few rows by line, then once for the rest; Arabic script and Cyrillic are read.
    #[test]
    fn names_in_letters_homeward_does_not_read_are_imported_and_warned_about() {
        let mut file = format!("{HEADER}\n");
        file.push_str("GE-1,გიორგი,ბერიძე,,M,1990,,,,,,\n");
        file.push_str("SY-1,خديجة,كاريموفا,,F,2015,,,,,,\n");
        file.push_str("KZ-1,Айгерим,Нурланова,,F,1991,,,,,,\n");
        for i in 2..=8 {
            file.push_str(&format!("GE-{i},Nino,ბერიძე,,F,1990,,,,,,\n"));
        }
        let mut reader = ImportReader::new(file.as_bytes()).expect("header");
        let rows: Vec<Result<Person, RowError>> = reader.by_ref().collect();
        assert_eq!(rows.len(), 10);
        assert!(rows.iter().all(Result::is_ok), "{rows:?}");
        let unread: Vec<&String> = reader.warnings().iter().filter(|w| w.contains("does not read")).collect();
        assert_eq!(unread.len(), UNREAD_ROWS_LISTED + 1, "{unread:#?}");
        assert!(unread[0].starts_with("line 2 (record \"GE-1\"): given_name \"გიორგი\""), "{}", unread[0]);
        assert!(unread[1].starts_with("line 5 (record \"GE-2\"): family_name"), "{}", unread[1]);
        assert!(unread[UNREAD_ROWS_LISTED].starts_with("more rows"), "{unread:#?}");
        assert!(!reader.warnings().iter().any(|w| w.contains("SY-1") || w.contains("KZ-1")));
        // With a readable spelling among the aliases, the record can be found: no warning.
        let file = "record_id,given_name,family_name,aliases\nGE-1,ნინო,ბერიძე,Nino Beridze\nGE-2,ნინო,ბერიძე,\n";
        let mut reader = ImportReader::new(file.as_bytes()).expect("header");
        assert_eq!(reader.by_ref().filter(Result::is_ok).count(), 2);
        let unread: Vec<&String> = reader.warnings().iter().filter(|w| w.contains("does not read")).collect();
        assert_eq!(unread.len(), 1, "{unread:#?}");
        assert!(unread[0].contains("GE-2"), "{}", unread[0]);
        // Field by field, as a single enrolment gives them.
        let enrol = |aliases| unread_name_of([("given_name", "Nino"), ("family_name", "ბერიძე"), ("aliases", aliases)]);
        assert_eq!(enrol(""), Some(("family_name", "ბერიძე")));
        assert_eq!(enrol("ნინო ბერიძე;Nino Beridze"), None);
        assert_eq!(unread_name_of([("given_name", "خديجة"), ("locality", "თბილისი")]), None);
    }

    /// What a row should come to: a person with this record id, or an error on this line whose
    /// reason starts with this text.
    enum Want {
        Ok(&'static str),
        Err(u64, &'static str),
    }

    fn check(bytes: &[u8], wants: &[Want]) {
        let (_, got) = read(bytes);
        assert_eq!(got.len(), wants.len(), "{got:#?}");
        for (got, want) in got.iter().zip(wants) {
            match (got, want) {
                (Ok(p), Want::Ok(id)) => assert_eq!(p.record_id, *id),
                (Err(e), Want::Err(line, reason)) => {
                    assert_eq!(e.line, *line, "{e}");
                    assert!(e.reason.starts_with(reason), "{e} should start with {reason:?}");
                }
                (got, Want::Ok(id)) => panic!("{id}: {got:?}"),
                (got, Want::Err(line, _)) => panic!("line {line}: {got:?}"),
            }
        }
    }

    #[test]
    fn every_kind_of_broken_row_is_reported_and_reading_goes_on() {
        let long = "x".repeat(MAX_FIELD_BYTES + 1);
        let mut file = Vec::new();
        let mut add = |text: &str| {
            file.extend_from_slice(text.as_bytes());
            file.push(b'\n');
        };
        add(HEADER); // 1
        add("r1,Aziza,Karimova,Rustamovna,F,1990-03-07,Tashkent,UZ,AA1234567,Dilnoza,Karimova,Chilonzor"); // 2
        add("r2,Ali,Valiev,,M,1990"); // 3 too few fields
        add("r3,Ali,Valiev,,M,1990,,,,,,,extra"); // 4 too many
        add("r4,Ali,Valiev,,M,1990-13-13,,,,,,"); // 5 bad month (and no day to read it as)
        add("r5,Ali,Valiev,,M,31.02.1990,,,,,,"); // 6 no such day
        add("r6,Ali,Valiev,,Q,1990,,,,,,"); // 7 bad sex
        add("r7,,,,F,1990,,,,,,"); // 8 no name and no document
        add("r8,Ali,Valiev,,M,1990,,Atlantis,,,,"); // 9 unknown country
        add(&format!("r9,{long},Valiev,,M,1990,,,,,,")); // 10 too long
        add(",Ali,Valiev,,M,1990,,,,,,"); // 11 no record id
        file.extend_from_slice(b"r10,\xff\xfeAli,Valiev,,M,1990,,,,,,\n"); // 12 bad UTF-8
        let mut add = |text: &str| {
            file.extend_from_slice(text.as_bytes());
            file.push(b'\n');
        };
        add("r11,\"Ali"); // 13 quoted line break in a name
        add("Akbar\",Valiev,,M,1990,,,,,,"); // 14
        add("r12,Ali,Valiev,,M,1990,,,,,,,2000-01"); // 15 too many again
        add("r13,Ali,Valiev,,M,1990,,,,,,\"Unclosed"); // 16 quote never closed
        add("r14,Ali,Valiev,,M,1990-05,,KZ,,,,"); // 17 good, after the unclosed quote
        add("r15,Ali,Valiev,,M,1990,,,,Zarina,Valieva,"); // 18 good
        add(""); // 19 blank line
        add(",,,,,,,,,,,"); // 20 blank row
        add("r16,Ali,Valiev,,M,1990,,,,,,Bad\u{7}Bell"); // 21 control character
        add("r18,Ali,Valiev,,M,1990,,,,,,,"); // 22 good: a trailing comma is a blank field
        add("r19,Ali,Valiev,,M,1990,,,,,,, ,"); // 23 good: blank fields after the last column
        add("r17,Ali,Valiev,,M,,,Kazakhstan;Россия,N123,,,"); // 24 good, two nationalities
        check(
            &file,
            &[
                Want::Ok("r1"),
                Want::Err(3, "expected 12 fields as in the header, found 6"),
                Want::Err(4, "expected 12 fields as in the header, found 13"),
                Want::Err(5, "date_of_birth: \"1990-13-13\""),
                Want::Err(6, "date_of_birth: \"31.02.1990\""),
                Want::Err(7, "sex:"),
                Want::Err(8, "given_name: a person needs a given or family name or a document number"),
                Want::Err(9, "nationality: unknown country \"Atlantis\""),
                Want::Err(10, "given_name: longer than 512 bytes"),
                Want::Err(11, "record_id: must not be empty"),
                Want::Err(12, "given_name: invalid UTF-8 at byte 0"),
                Want::Err(13, "given_name: contains control characters"),
                Want::Err(15, "expected 12 fields"),
                Want::Err(16, "a quoted field is never closed"),
                Want::Ok("r14"),
                Want::Ok("r15"),
                Want::Err(21, "locality: contains control characters"),
                Want::Ok("r18"),
                Want::Ok("r19"),
                Want::Ok("r17"),
            ],
        );
        let (_, got) = read(&file);
        let errors: Vec<&RowError> = got.iter().filter_map(|r| r.as_ref().err()).collect();
        let ids: Vec<Option<&str>> = errors.iter().map(|e| e.record_id.as_deref()).collect();
        assert_eq!(ids[0], Some("r2"));
        assert_eq!(ids[8], None, "an empty record id is not reported as one");
        assert_eq!(ids[9], Some("r10"), "bad UTF-8 elsewhere does not hide the record id");
        assert_eq!(ids[12], Some("r13"), "the unclosed row still names its record");
        let last = got.last().unwrap().as_ref().unwrap();
        assert_eq!(last.nationalities, vec!["KZ", "RU"]);
        assert_eq!(last.documents[0].issuing_country, "KZ");
        assert_eq!(last.documents[0].kind, DOCUMENT_KIND);
    }

    #[test]
    fn a_list_that_turns_to_windows_1251_after_its_first_64_kib_is_read_whole_with_a_warning_there() {
        // Passport-Latin names first, then the Cyrillic ones, saved by a spreadsheet in 1251.
        let mut text = String::from("record_id;given_name;family_name;date_of_birth\r\n");
        let mut latin = 0;
        while text.len() < 80 * 1024 {
            text.push_str(&format!("L{latin};Zarina;Karimova;1990-03-07\r\n"));
            latin += 1;
        }
        text.push_str("C1;Дилноза;Рахимова;12.03.1985\r\nC2;Ўктам;Юсупов;1985\r\n");
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&text);
        assert!(!unmappable);
        let mut reader = ImportReader::new(&bytes[..]).unwrap();
        assert_eq!(reader.encoding(), SourceEncoding::Utf8, "nothing decided yet");
        assert_eq!(reader.take_new_warnings().len(), 1, "only the delimiter: {:?}", reader.warnings());
        let mut people = Vec::new();
        let mut warned_at = None;
        while let Some(row) = reader.next() {
            people.push(row.unwrap());
            if !reader.take_new_warnings().is_empty() {
                warned_at.get_or_insert(people.len());
            }
        }
        assert_eq!(people.len(), latin + 2, "no row refused");
        let last = &people[latin + 1];
        assert_eq!((last.given_name.as_str(), last.family_name.as_str()), ("Ўктам", "Юсупов"));
        assert_eq!(people[latin].given_name, "Дилноза");
        assert_eq!(reader.encoding(), SourceEncoding::Windows1251);
        let warning = reader.warnings().last().unwrap();
        let first = text.find('Д').unwrap();
        assert!(warning.contains(&format!("first {first} bytes are plain ASCII")), "{warning}");
        assert!(warning.contains("Windows-1251"), "{warning}");
        // Shown once, while reading (not before the first row), and not again.
        assert!(warned_at.is_some_and(|row| row > 1), "{warned_at:?}");
        assert_eq!(reader.warnings().len(), 2);
        assert!(reader.take_new_warnings().is_empty());
    }

    #[test]
    fn spreadsheet_exports_in_windows_1251_and_utf16_are_read_with_a_warning() {
        // Excel in a Russian locale: "CSV" with `;` in Windows-1251.
        let text = "record_id;given_name;family_name;sex;date_of_birth;nationality\r\n\
                    r1;Зарина;Каримова;ж;07.03.1990;Узбекистан\r\n\
                    r2;Ўктам;Юсупов;м;12 марта 1985;Россия\r\n";
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(text);
        assert!(!unmappable);
        let reader = ImportReader::new(&bytes[..]).unwrap();
        assert_eq!(reader.encoding(), SourceEncoding::Windows1251);
        assert!(reader.warnings()[0].contains("Windows-1251"), "{:?}", reader.warnings());
        assert!(reader.warnings()[1].contains("`;`"), "{:?}", reader.warnings());
        let people: Vec<Person> = reader.map(Result::unwrap).collect();
        assert_eq!((people[0].given_name.as_str(), people[0].family_name.as_str()), ("Зарина", "Каримова"));
        assert_eq!(people[0].nationalities, vec!["UZ"]);
        assert_eq!(people[1].given_name, "Ўктам");
        assert_eq!(people[1].date_of_birth.unwrap().to_string(), "1985-03-12");

        // Excel's "Unicode text": UTF-16 with a byte order mark, tab-separated.
        let text = "record_id\tgiven_name\tfamily_name\r\nr1\tҚайрат\tЖұмабаев\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut reader = ImportReader::new(&bytes[..]).unwrap();
        assert_eq!(reader.encoding(), SourceEncoding::Utf16Le);
        assert_eq!(reader.warnings().len(), 2, "{:?}", reader.warnings());
        let person = reader.next().unwrap().unwrap();
        assert_eq!((person.given_name.as_str(), person.family_name.as_str()), ("Қайрат", "Жұмабаев"));
        assert!(reader.next().is_none());
        assert_eq!(reader.bytes_read(), bytes.len() as u64);
    }

    #[test]
    fn a_file_in_an_encoding_not_recognised_is_read_as_utf8_with_a_warning() {
        let text = "record_id,given_name,family_name\nr1,Зарина,Каримова\nr2,Азиз,Юсупов\nr3,Дилноза,Рахимова\nr4,Ali,Valiev\n";
        let (bytes, _, _) = encoding_rs::KOI8_R.encode(text);
        let reader = ImportReader::new(&bytes[..]).unwrap();
        assert_eq!(reader.encoding(), SourceEncoding::Utf8);
        assert!(reader.warnings()[0].contains("save the file as UTF-8"), "{:?}", reader.warnings());
        let rows: Vec<_> = reader.collect();
        assert_eq!(rows.len(), 4);
        assert!(rows[..3].iter().all(|r| r.as_ref().is_err_and(|e| e.reason.contains("invalid UTF-8"))));
        assert_eq!(rows[3].as_ref().unwrap().record_id, "r4");
    }

    #[test]
    fn a_full_row_becomes_a_person() {
        let file = "\u{feff}locality,Record_ID,family_name,given_name,aliases,sex,date_of_birth,nationality,document_number,mother_given_name,mother_family_name,mother_patronymic,mother_date_of_birth,father_given_name,father_family_name,notes\r\n\
                    Khujand, k-7 ,Yusupova,Xurshida,\"Khurshida Yusupova; Хуршида Юсупова;\",ж,07.03.2012,Таджикистан,P 123,Malika,Yusupova,Akbarovna,1991,Rustam,Yusupov,\"a note\r\nover two lines, with \"\"quotes\"\"\"\r\n";
        let reader = ImportReader::new(file.as_bytes()).unwrap();
        assert_eq!(reader.headers()[1], "Record_ID");
        assert_eq!(reader.headers()[0], "locality", "the BOM is not part of the first name");
        assert_eq!(reader.warnings().len(), 1);
        assert!(reader.warnings()[0].contains("`notes`"), "{:?}", reader.warnings());
        let people: Vec<_> = reader.collect();
        assert_eq!(people.len(), 1);
        let p = people[0].as_ref().unwrap();
        assert_eq!(p.record_id, "k-7");
        assert_eq!(p.given_name, "Xurshida");
        assert_eq!(p.aliases, vec!["Khurshida Yusupova", "Хуршида Юсупова"]);
        assert_eq!(p.sex, Sex::Female);
        assert_eq!(p.date_of_birth.unwrap().to_string(), "2012-03-07");
        assert_eq!(p.nationalities, vec!["TJ"]);
        assert_eq!(
            p.documents,
            vec![IdentityDocument { kind: DOCUMENT_KIND.into(), number: "P 123".into(), issuing_country: "TJ".into() }]
        );
        assert_eq!(p.mother.patronymic, "Akbarovna");
        assert_eq!(p.mother.date_of_birth.unwrap().to_string(), "1991");
        assert_eq!(p.father.family_name, "Yusupov");
        assert_eq!(p.locality, "Khujand");
        assert!(p.is_minor_on((2026, 1, 1)));
    }

    #[test]
    fn a_people_reads_as_its_country_and_stateless_as_no_nationality() {
        let file = "record_id,given_name,family_name,nationality\n\
                    a,Aziza,Karimova,Uzbek\n\
                    b,Азиза,Каримова,узбечка;Kazakh\n\
                    c,Ali,Valiev,Stateless\n\
                    d,Ali,Valiev,лицо без гражданства;XXA\n\
                    e,Ali,Valiev,-\n\
                    f,Ali,Valiev,Atlantis\n\
                    g,Ali,Valiev,UZ/RU\n\
                    h,Ali,Valiev,\"Uzbekistan, Russia\"\n\
                    i,Ali,Valiev,\"Korea, Republic of\"\n\
                    j,Ali,Valiev,USSR\n\
                    k,Ali,Valiev,СССР/KZ\n\
                    l,Ali,Valiev,UZ/Atlantis\n\
                    m,Ali,Valiev,UZ/UZB\n";
        let rows: Vec<_> = ImportReader::new(file.as_bytes()).unwrap().collect();
        let nationalities = |i: usize| rows[i].as_ref().map(|p| p.nationalities.clone()).map_err(|e| e.to_string());
        assert_eq!(nationalities(0), Ok(vec!["UZ".to_string()]));
        assert_eq!(nationalities(1), Ok(vec!["UZ".to_string(), "KZ".to_string()]));
        for i in 2..=4 {
            assert_eq!(nationalities(i), Ok(vec![]), "row {i}");
        }
        assert!(nationalities(5).is_err_and(|e| e.contains("unknown country")));
        // Several in one field with `/` or `,`, when the whole names no country.
        let codes = |list: &[&str]| Ok(list.iter().map(|c| c.to_string()).collect::<Vec<_>>());
        assert_eq!(nationalities(6), codes(&["UZ", "RU"]));
        assert_eq!(nationalities(7), codes(&["UZ", "RU"]));
        assert_eq!(nationalities(8), codes(&["KR"]));
        // The Soviet Union is no state of today.
        assert_eq!(nationalities(9), codes(&[]));
        assert_eq!(nationalities(10), codes(&["KZ"]));
        assert!(
            nationalities(11).is_err_and(|e| e.contains("unknown country \"UZ/Atlantis\"")),
            "{:?}",
            nationalities(11)
        );
        assert_eq!(nationalities(12), codes(&["UZ"]));
    }

    #[test]
    fn line_numbers_count_physical_lines_in_every_line_ending() {
        for eol in ["\n", "\r\n", "\r"] {
            let file = [
                "record_id,given_name,date_of_birth",
                "a,Ali,1990",
                "b,\"Ali",
                "Akbar\",1990",
                "c,Ali,199",
                "",
                "d,Ali,1990-02-29",
                "e,\"Ali \"\"the elder\"\"\",1990",
            ]
            .join(eol);
            check(
                file.as_bytes(),
                &[
                    Want::Ok("a"),
                    Want::Err(3, "given_name: contains control characters"),
                    Want::Err(5, "date_of_birth: \"199\""),
                    Want::Err(7, "date_of_birth: \"1990-02-29\""),
                    Want::Ok("e"),
                ],
            );
        }
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_just_a_character() {
        let file = "record_id,given_name,locality\na,Ali \"Abu\" Akbar,5'11\" street\nb,Bob,x\n";
        let (_, got) = read(file.as_bytes());
        let got: Vec<Person> = got.into_iter().map(Result::unwrap).collect();
        assert_eq!(got[0].given_name, "Ali \"Abu\" Akbar");
        assert_eq!(got[0].locality, "5'11\" street");
        assert_eq!(got[1].record_id, "b");
    }

    #[test]
    fn a_line_break_inside_quotes_is_fine_in_an_ignored_column() {
        let file = "record_id,given_name,notes\na,Ali,\"one\ntwo\nthree\"\nb,Bob,\n";
        let (warnings, got) = read(file.as_bytes());
        assert_eq!(warnings.len(), 1);
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(Result::is_ok), "{got:?}");
    }

    #[test]
    fn an_overlong_line_costs_one_row() {
        let mut file = b"record_id,given_name\na,Ali\nb,".to_vec();
        file.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 10));
        file.extend_from_slice(b"\nc,Carl\n");
        check(&file, &[Want::Ok("a"), Want::Err(3, "line longer than"), Want::Ok("c")]);
        // An unclosed quote running into an overlong line gives both back separately.
        let mut file = b"record_id,given_name\na,\"Ali\nb,".to_vec();
        file.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 10));
        file.extend_from_slice(b"\nc,Carl");
        check(
            &file,
            &[Want::Err(2, "a quoted field is never closed"), Want::Err(3, "line longer than"), Want::Ok("c")],
        );
    }

    #[test]
    fn an_unclosed_quote_is_given_up_after_max_record_lines() {
        let mut file = String::from("record_id,given_name\na,\"Ali\n");
        for i in 0..(MAX_RECORD_LINES + 5) {
            file.push_str(&format!("r{i},Name{i}\n"));
        }
        let (_, got) = read(file.as_bytes());
        assert_eq!(got.len(), MAX_RECORD_LINES + 6);
        assert_eq!(got[0].as_ref().unwrap_err().line, 2);
        assert!(got[1..].iter().all(Result::is_ok));
    }

    #[test]
    fn other_lists_header_names_are_read_as_the_columns_and_said_so() {
        let file = "Record ID,First Name,Surname,DOB,Gender,Citizenship,Passport,Mother DOB\n\
                    r1,Aziza,Karimova,07.03.1991,F,Uzbek,AB1234567,1965\n";
        let reader = ImportReader::new(file.as_bytes()).unwrap();
        assert_eq!(reader.warnings().len(), 8, "{:?}", reader.warnings());
        assert!(reader.warnings()[3].contains("`DOB` is read as date_of_birth"), "{:?}", reader.warnings());
        let person = reader.into_iter().next().unwrap().unwrap();
        assert_eq!((person.given_name.as_str(), person.family_name.as_str()), ("Aziza", "Karimova"));
        assert_eq!(person.date_of_birth.map(|d| d.to_string()).as_deref(), Some("1991-03-07"));
        assert_eq!(person.sex, Sex::Female);
        assert_eq!(person.nationalities, vec!["UZ"]);
        assert_eq!(person.documents[0].number, "AB1234567");
        assert_eq!(person.mother.date_of_birth.map(|d| d.to_string()).as_deref(), Some("1965"));
        // A synonym and its column both present: one column twice.
        let error = ImportReader::new(&b"record_id,date_of_birth,dob,given_name\n"[..]).err().unwrap().to_string();
        assert!(error.contains("`date_of_birth` appears"), "{error}");
    }

    #[test]
    fn header_problems_stop_the_import() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "the file is empty"),
            (b"\xEF\xBB\xBF", "the file is empty"),
            (b"\n\n", "the file is empty"),
            (b"given_name,family_name\nAli,Valiev\n", "header (line 1) has no `record_id`"),
            (b"record_id,sex\nr1,M\n", "header (line 1) has no name column"),
            (b"record_id,given_name,GIVEN_NAME\n", "header (line 1): column `given_name` appears"),
            (b"record_id,given_\xffname\n", "header (line 1): column 2 is not valid UTF-8"),
            (b"record_id,\"given_name\n", "header (line 1): a quoted field is never closed"),
        ];
        for &(file, want) in cases {
            let error = ImportReader::new(file).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(error.starts_with(want), "{file:?}: {error:?}");
        }
        // A header with only family_name or only aliases is enough.
        assert!(ImportReader::new(&b"record_id,aliases\n"[..]).is_ok());
    }

    #[test]
    fn person_from_fields_names_the_field_at_fault() {
        let f = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        type Case<'a> = (&'a [(&'a str, &'a str)], Result<&'a str, &'a str>);
        let cases: &[Case] = &[
            (&[("record_id", "r"), ("given_name", "Ali")], Ok("r")),
            (&[("given_name", "Ali"), ("record_id", "r"), ("whatever", "x")], Ok("r")),
            (&[("given_name", "Ali")], Err("record_id: must not be empty")),
            (&[("record_id", "r"), ("family_name", "  ")], Err("given_name:")),
            (&[("record_id", "r"), ("aliases", "Ali Valiev")], Ok("r")),
            (&[("record_id", "r"), ("given_name", "A"), ("given_name", "B")], Err("given_name: given more")),
            (&[("record_id", "r"), ("given_name", "A"), ("date_of_birth", "1990-02-30")], Err("date_of_birth:")),
            (
                &[("record_id", "r"), ("given_name", "A"), ("mother_date_of_birth", "x")],
                Err("mother_date_of_birth: \"x\""),
            ),
            (&[("record_id", "r"), ("given_name", "A"), ("date_of_birth", "06.05.92")], Ok("r")),
            (&[("record_id", "r"), ("given_name", "A"), ("mother_date_of_birth", "12.03.81")], Ok("r")),
            (
                &[("record_id", "r"), ("given_name", "A"), ("date_of_birth", "31.02.92")],
                Err("date_of_birth: \"31.02.92\" read as 31.02.1992: day 31 does not exist"),
            ),
            (&[("record_id", "r"), ("given_name", "A"), ("sex", "maybe")], Err("sex:")),
            (
                &[("record_id", "r"), ("given_name", "A"), ("nationality", "KZ;;Mars")],
                Err("nationality: unknown country \"Mars\""),
            ),
            (
                &[("record_id", "r"), ("given_name", "A"), ("mother_given_name", "a\tb")],
                Err("mother_given_name: contains control"),
            ),
            (&[("record_id", &"r".repeat(129)), ("given_name", "A")], Err("record_id: longer than 128")),
        ];
        for (pairs, want) in cases {
            let got = person_from_fields(&f(pairs)).map(|p| p.record_id);
            match want {
                Ok(id) => assert_eq!(got.as_deref(), Ok(*id), "{pairs:?}"),
                Err(prefix) => {
                    let e = got.expect_err(&format!("{pairs:?}"));
                    assert!(e.starts_with(prefix), "{pairs:?}: {e}");
                }
            }
        }
        // Birth dates with two-digit years, as CIS forms write them, are read in the past.
        let person = person_from_fields(&f(&[
            ("record_id", "r"),
            ("given_name", "A"),
            ("date_of_birth", "06.05.92"),
            ("mother_date_of_birth", "12.03.81"),
        ]))
        .unwrap();
        assert_eq!(person.date_of_birth.map(|d| d.to_string()).as_deref(), Some("1992-05-06"));
        assert_eq!(person.mother.date_of_birth.map(|d| d.to_string()).as_deref(), Some("1981-03-12"));
    }

    #[test]
    fn person_to_fields_round_trips() {
        let original = person_from_fields(
            &[
                ("record_id", "r1"),
                ("given_name", "Aziza"),
                ("family_name", "Karimova"),
                ("patronymic", "Rustamovna"),
                ("sex", "F"),
                ("date_of_birth", "2015-06"),
                ("place_of_birth", "Raqqa"),
                ("nationality", "uzb; Kazakhstan"),
                ("document_number", "FA0012345"),
                ("mother_given_name", "Dilnoza"),
                ("mother_family_name", "Karimova"),
                ("locality", "Chilonzor"),
                ("aliases", "Азиза Каримова;Aziza Karimowa"),
                ("mother_patronymic", "Akbarovna"),
                ("mother_date_of_birth", "12.01.1992"),
                ("father_given_name", "Rustam"),
                ("father_family_name", "Karimov"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
        )
        .unwrap();
        let row = person_to_fields(&original);
        assert_eq!(row.len(), csv_header().len());
        assert_eq!(row[7], "UZ;KZ");
        let pairs: Vec<(String, String)> = csv_header().into_iter().map(String::from).zip(row.clone()).collect();
        assert_eq!(person_from_fields(&pairs).unwrap(), original);

        // And through a real CSV file.
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(csv_header()).unwrap();
        writer.write_record(&row).unwrap();
        let bytes = writer.into_inner().unwrap();
        let (warnings, got) = read(&bytes);
        assert!(warnings.is_empty());
        assert_eq!(got, vec![Ok(original)]);
    }

    #[test]
    fn a_row_of_fewer_columns_updates_what_it_carries_and_keeps_the_rest() {
        let held = person_from_fields(&[
            ("record_id".into(), "KZ-1".into()),
            ("given_name".into(), "Айгерим".into()),
            ("family_name".into(), "Сапарова".into()),
            ("date_of_birth".into(), "1991-02-03".into()),
            ("nationality".into(), "KZ".into()),
            ("document_number".into(), "N123".into()),
            ("locality".into(), "Almaty".into()),
        ])
        .unwrap();
        let mut held = held;
        held.father.patronymic = "Маратович".into();
        held.documents[0].kind = "passport".into();
        let row = person_from_fields(&[
            ("record_id".into(), "KZ-1".into()),
            ("given_name".into(), "Aigerim".into()),
            ("locality".into(), "".into()),
            ("document_number".into(), "N123".into()),
        ])
        .unwrap();
        let merged = merge_into_held(&held, row, &["record_id", "given_name", "locality", "document_number"]);
        assert_eq!(merged.given_name, "Aigerim");
        assert_eq!(merged.locality, "");
        assert_eq!(merged.family_name, "Сапарова");
        assert_eq!(merged.date_of_birth, held.date_of_birth);
        assert_eq!(merged.nationalities, held.nationalities);
        assert_eq!(merged.documents, held.documents, "the same number keeps the document's kind and country");
        assert_eq!(merged.father.patronymic, "Маратович", "the format has no column for it");
        // A new number without a nationality column is issued by the nationality held.
        let renewed =
            person_from_fields(&[("record_id".into(), "KZ-1".into()), ("document_number".into(), "N456".into())])
                .unwrap();
        let merged = merge_into_held(&held, renewed, &["record_id", "document_number"]);
        assert_eq!((merged.documents[0].number.as_str(), merged.documents[0].issuing_country.as_str()), ("N456", "KZ"));
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_named_in_the_refusal() {
        let text = "record_id,given_name\nKZ-1,Aziza\n";
        for bytes in [
            text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect::<Vec<u8>>(),
            text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect::<Vec<u8>>(),
        ] {
            let error = ImportReader::new(bytes.as_slice()).err().expect("refused").to_string();
            assert!(error.contains("UTF-16 without a byte order mark"), "{error}");
        }
    }

    #[test]
    fn an_endless_file_of_nul_bytes_is_refused_from_its_first_bytes() {
        let error = ImportReader::new(std::io::repeat(0)).err().expect("refused").to_string();
        assert!(error.contains("NUL bytes"), "{error}");
        // One stray NUL is the row's problem, not the file's.
        let file = b"record_id,given_name\nKZ-1,Az\x00iza\nKZ-2,Malika\n";
        let rows: Vec<_> = ImportReader::new(&file[..]).expect("header").collect();
        assert!(rows[0].is_err() && rows[1].is_ok(), "{rows:?}");
    }
}

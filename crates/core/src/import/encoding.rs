//! The character encoding of an import file, and a reader that passes it on as UTF-8.
//!
//! The format is UTF-8, but lists reach caseworkers from spreadsheets: Excel in a Russian or
//! Central Asian locale saves "CSV" in Windows-1251 and "Unicode text" in UTF-16 with a byte
//! order mark. Such files are read, with a warning, instead of refusing every row that has a
//! Cyrillic letter. The first [`SAMPLE_BYTES`] of the file decide:
//!
//! - a UTF-16 byte order mark (`FF FE`, `FE FF`): UTF-16, little- or big-endian;
//! - valid UTF-8 (or a UTF-8 byte order mark): UTF-8, passed on unchanged;
//! - not UTF-8, with at least [`MIN_FOREIGN_BYTES`] bytes that are not, nearly all of them in
//!   Windows-1251's Cyrillic letters, and words whose case reads as names do (*Каримова*,
//!   *КАРИМОВА*, not *кАРИМОВА*, which is what KOI8-R text looks like read as Windows-1251):
//!   Windows-1251;
//! - anything else: UTF-8 as it stands, so a row with a stray byte is refused alone and the
//!   others are read; a warning says when the file looks like another encoding.
//!
//! ASCII reads the same in all three, so a file whose first [`SAMPLE_BYTES`] are ASCII (a list
//! that starts with passport-Latin names and turns to Cyrillic further down) is decided later,
//! the same way, on the [`SAMPLE_BYTES`] from its first byte that is not ASCII; the reader says
//! so ([`Decoded::late`]).

use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, WINDOWS_1251};
use std::io::{self, Read};

/// Bytes read ahead to decide the encoding.
pub(crate) const SAMPLE_BYTES: usize = 64 * 1024;

/// Fewest bytes outside UTF-8 for a file to be read as Windows-1251: a row or two with a stray
/// byte is a damaged UTF-8 file, not another encoding.
pub(crate) const MIN_FOREIGN_BYTES: usize = 8;

/// The encoding an import file is read in; how it is decided is described on this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1251,
}

impl SourceEncoding {
    fn encoding(self) -> Option<&'static Encoding> {
        match self {
            SourceEncoding::Utf8 => None,
            SourceEncoding::Utf16Le => Some(UTF_16LE),
            SourceEncoding::Utf16Be => Some(UTF_16BE),
            SourceEncoding::Windows1251 => Some(WINDOWS_1251),
        }
    }

    /// A decoder for a file read from its start (a byte order mark is dropped).
    fn decoder(self) -> Option<Decoder> {
        self.encoding().map(Encoding::new_decoder_with_bom_removal)
    }

    /// What a caseworker is told when the file is not UTF-8 but is read.
    pub(crate) fn warning(self) -> Option<&'static str> {
        match self {
            SourceEncoding::Utf8 => None,
            SourceEncoding::Utf16Le => Some("the file is UTF-16 (little-endian), not UTF-8, and is read so"),
            SourceEncoding::Utf16Be => Some("the file is UTF-16 (big-endian), not UTF-8, and is read so"),
            SourceEncoding::Windows1251 => Some(
                "the file is not UTF-8 and is read as Windows-1251 (Cyrillic); that encoding has no Kazakh, \
                 Kyrgyz, Tajik or Uzbek letters (қ ғ ҳ ң ө ү ұ ә ҷ ӯ), so check the names or save the file as UTF-8",
            ),
        }
    }
}

/// Windows-1251 bytes that are Cyrillic letters: А–я, Ё ё, Ў ў, І і, Є є, Ї ї.
fn is_1251_letter(byte: u8) -> bool {
    byte >= 0xC0 || matches!(byte, 0xA8 | 0xB8 | 0xA1 | 0xA2 | 0xB2 | 0xB3 | 0xAA | 0xBA | 0xAF | 0xBF)
}

/// Bytes above ASCII in `sample` that are part of valid UTF-8 characters, and bytes that are
/// not valid UTF-8. A character cut by the end of the sample counts as neither.
fn utf8_tally(mut bytes: &[u8]) -> (usize, usize) {
    let (mut valid, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(text) => return (valid + text.bytes().filter(|b| !b.is_ascii()).count(), invalid),
            Err(error) => {
                let (good, rest) = bytes.split_at(error.valid_up_to());
                valid += good.iter().filter(|b| !b.is_ascii()).count();
                match error.error_len() {
                    None => return (valid, invalid),
                    Some(n) => {
                        invalid += n;
                        bytes = &rest[n..];
                    }
                }
            }
        }
    }
}

/// Whether Cyrillic words, read as Windows-1251, are cased as names and words are: all lower,
/// all upper, or one capital then lower case — for at least 4 in 5 of the words.
fn cased_as_words(text: &str) -> bool {
    let (mut words, mut plausible) = (0usize, 0usize);
    for word in text.split(|c: char| !(('\u{400}'..='\u{4FF}').contains(&c))) {
        let letters: Vec<char> = word.chars().collect();
        if letters.len() < 2 {
            continue;
        }
        words += 1;
        let rest_lower = letters[1..].iter().all(|c| c.is_lowercase());
        let all_upper = letters.iter().all(|c| c.is_uppercase());
        if rest_lower || all_upper {
            plausible += 1;
        }
    }
    words > 0 && plausible * 5 >= words * 4
}

/// Decides the encoding from the first bytes of a file (see the module documentation). The
/// second value says whether a file read as UTF-8 has at least [`MIN_FOREIGN_BYTES`] that are
/// not.
pub(crate) fn detect(sample: &[u8]) -> (SourceEncoding, bool) {
    if sample.starts_with(&[0xFF, 0xFE]) {
        return (SourceEncoding::Utf16Le, false);
    }
    if sample.starts_with(&[0xFE, 0xFF]) {
        return (SourceEncoding::Utf16Be, false);
    }
    detect_unmarked(sample)
}

/// [`detect`] without byte order marks: for bytes from the middle of a file, where UTF-16 cannot
/// start (its first bytes would not have been ASCII).
fn detect_unmarked(sample: &[u8]) -> (SourceEncoding, bool) {
    let (valid, invalid) = utf8_tally(sample);
    if invalid < MIN_FOREIGN_BYTES {
        return (SourceEncoding::Utf8, false);
    }
    if invalid < 4 * valid {
        return (SourceEncoding::Utf8, true);
    }
    let high: Vec<u8> = sample.iter().copied().filter(|b| !b.is_ascii()).collect();
    let letters = high.iter().filter(|&&b| is_1251_letter(b)).count();
    if letters * 10 >= high.len() * 9 {
        let (text, _) = WINDOWS_1251.decode_without_bom_handling(sample);
        if cased_as_words(&text) {
            return (SourceEncoding::Windows1251, false);
        }
    }
    (SourceEncoding::Utf8, true)
}

/// A reader that passes a file on as UTF-8: the bytes read ahead to decide the encoding
/// first, then the rest, transcoded unless the file is UTF-8.
pub(crate) struct Decoded<R: Read> {
    inner: R,
    /// Bytes read ahead, passed on from `sample_at`.
    sample: Vec<u8>,
    sample_at: usize,
    decoder: Option<Decoder>,
    /// Transcoded bytes not yet passed on, from `out_at`.
    out: Vec<u8>,
    out_at: usize,
    input_done: bool,
    /// Bytes of the file passed on so far (to the decoder or the caller).
    consumed: u64,
    encoding: SourceEncoding,
    /// Every byte passed on so far was ASCII and the sample ended before the file did: the
    /// encoding is decided at the first byte that is not ASCII.
    undecided: bool,
    late: Option<LateDecision>,
}

/// The encoding decided after the sample, at the file's first byte that is not ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LateDecision {
    pub encoding: SourceEncoding,
    /// As [`detect`]'s second value: read as UTF-8, but many bytes are not.
    pub looks_foreign: bool,
    /// The offset of that byte in the file.
    pub at: u64,
}

/// Reads the start of `reader`, decides its encoding and returns a UTF-8 reader over all of it.
/// The reader decoded, its encoding, whether its first bytes look foreign (see `detect`), and
/// whether NUL bytes are an eighth of them or more outside UTF-16 (UTF-16 without its byte
/// order mark, or binary data).
pub(crate) fn open<R: Read>(mut reader: R) -> io::Result<(Decoded<R>, SourceEncoding, bool, bool)> {
    let mut sample = vec![0u8; SAMPLE_BYTES];
    let mut filled = 0;
    while filled < sample.len() {
        match reader.read(&mut sample[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let undecided = filled == sample.len() && sample.is_ascii();
    sample.truncate(filled);
    let (encoding, looks_foreign) = detect(&sample);
    // One stray NUL is a bad row; UTF-16 of Latin or Cyrillic text is a NUL in every two bytes
    // or so, and `/dev/zero` nothing else.
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    let nul =
        !matches!(encoding, SourceEncoding::Utf16Le | SourceEncoding::Utf16Be) && nuls > 0 && nuls * 8 >= sample.len();
    let decoded = Decoded {
        inner: reader,
        sample,
        sample_at: 0,
        decoder: encoding.decoder(),
        out: Vec::new(),
        out_at: 0,
        input_done: false,
        consumed: 0,
        encoding,
        undecided,
        late: None,
    };
    Ok((decoded, encoding, looks_foreign, nul))
}

impl<R: Read> Decoded<R> {
    /// Bytes of the file consumed so far (read ahead included), for progress reporting.
    pub(crate) fn consumed(&self) -> u64 {
        self.consumed
    }

    /// The encoding the file is read in (from its first byte not ASCII on, when decided late).
    pub(crate) fn encoding(&self) -> SourceEncoding {
        self.encoding
    }

    /// The decision made after the sample, once the file's first byte that is not ASCII has
    /// been read; `None` before, and for a file decided on its sample.
    pub(crate) fn late(&self) -> Option<LateDecision> {
        self.late
    }

    /// Decides the encoding on `head` (input just passed on, starting at the file's first byte
    /// that is not ASCII) and what follows it, up to [`SAMPLE_BYTES`] in all; that window is then
    /// passed on again, through the decoder if there is one.
    fn decide_late(&mut self, head: &[u8]) -> io::Result<()> {
        let mut window = head.to_vec();
        window.resize(SAMPLE_BYTES.max(head.len()), 0);
        let mut filled = head.len();
        while filled < window.len() {
            match self.inner.read(&mut window[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        window.truncate(filled);
        // `head` was counted as passed on; it is passed on again from the window.
        self.consumed -= head.len() as u64;
        let (encoding, looks_foreign) = detect_unmarked(&window);
        self.encoding = encoding;
        self.decoder = encoding.encoding().map(Encoding::new_decoder_without_bom_handling);
        self.late = Some(LateDecision { encoding, looks_foreign, at: self.consumed });
        self.undecided = false;
        self.sample = window;
        self.sample_at = 0;
        Ok(())
    }

    /// The next input bytes: the rest of the sample, then the file. Empty at its end.
    fn next_input(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if self.sample_at < self.sample.len() {
            let n = buffer.len().min(self.sample.len() - self.sample_at);
            buffer[..n].copy_from_slice(&self.sample[self.sample_at..self.sample_at + n]);
            self.sample_at += n;
            if self.sample_at == self.sample.len() {
                self.sample = Vec::new();
                self.sample_at = 0;
            }
            self.consumed += n as u64;
            return Ok(n);
        }
        loop {
            match self.inner.read(buffer) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
                Ok(n) => {
                    self.consumed += n as u64;
                    return Ok(n);
                }
            }
        }
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.undecided {
            let n = self.next_input(buf)?;
            let Some(first) = buf[..n].iter().position(|b| !b.is_ascii()) else { return Ok(n) };
            let head = buf[first..n].to_vec();
            self.decide_late(&head)?;
            if first > 0 {
                return Ok(first);
            }
            return self.read(buf);
        }
        if self.decoder.is_none() {
            return self.next_input(buf);
        }
        loop {
            if self.out_at < self.out.len() {
                let n = buf.len().min(self.out.len() - self.out_at);
                buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
                self.out_at += n;
                return Ok(n);
            }
            if self.input_done {
                return Ok(0);
            }
            let mut input = [0u8; 16 * 1024];
            let n = self.next_input(&mut input)?;
            let last = n == 0;
            let Some(decoder) = self.decoder.as_mut() else { return Ok(0) };
            // Enough room for any input of this length (and what the decoder holds back from
            // the previous chunk), so one call consumes all of it.
            let room = decoder.max_utf8_buffer_length(n).unwrap_or(4 * n + 16);
            self.out.clear();
            self.out.resize(room, 0);
            self.out_at = 0;
            let (_, read, written, _) = decoder.decode_to_utf8(&input[..n], &mut self.out, last);
            debug_assert_eq!(read, n, "the buffer is sized for the whole chunk");
            self.out.truncate(written);
            self.input_done = last;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> (String, SourceEncoding, bool) {
        let (mut reader, encoding, foreign, _) = open(bytes).unwrap();
        let mut out = String::new();
        reader.read_to_string(&mut out).unwrap();
        assert_eq!(reader.consumed(), bytes.len() as u64);
        (out, encoding, foreign)
    }

    const TEXT: &str = "record_id,given_name,family_name\nr1,Зарина,Каримова\nr2,АЗИЗ,ЮСУПОВ\nr3,Ўктам,Ёқубов\n";

    #[test]
    fn utf8_passes_unchanged() {
        assert_eq!(read_all(TEXT.as_bytes()), (TEXT.to_string(), SourceEncoding::Utf8, false));
        assert_eq!(read_all(b""), (String::new(), SourceEncoding::Utf8, false));
    }

    #[test]
    fn windows_1251_is_recognised_and_transcoded() {
        let text = "record_id,given_name,family_name\nr1,Зарина,Каримова\nr2,АЗИЗ,ЮСУПОВ\nr3,Ўктам,Ёрқулов\n";
        let (bytes, _, unmappable) = WINDOWS_1251.encode(text);
        assert!(unmappable, "қ has no Windows-1251 byte");
        let (out, encoding, _) = read_all(&bytes);
        assert_eq!(encoding, SourceEncoding::Windows1251);
        assert!(out.starts_with("record_id,given_name,family_name\nr1,Зарина,Каримова\nr2,АЗИЗ,ЮСУПОВ\nr3,Ўктам,Ёр"));
    }

    #[test]
    fn a_long_windows_1251_file_is_transcoded_past_the_sample() {
        let mut text = String::from("record_id,given_name,family_name\n");
        let mut i = 0;
        while text.len() < 3 * SAMPLE_BYTES {
            text.push_str(&format!("r{i},Дилноза,Рахимова\n"));
            i += 1;
        }
        let (bytes, _, _) = WINDOWS_1251.encode(&text);
        let (out, encoding, _) = read_all(&bytes);
        assert_eq!(encoding, SourceEncoding::Windows1251);
        assert_eq!(out, text);
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_transcoded() {
        let text = "record_id\tgiven_name\r\nr1\tЗарина 𝔸\r\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(read_all(&le), (text.to_string(), SourceEncoding::Utf16Le, false));
        assert_eq!(read_all(&be), (text.to_string(), SourceEncoding::Utf16Be, false));
    }

    #[test]
    fn a_utf8_file_with_a_few_stray_bytes_stays_utf8() {
        let mut bytes = TEXT.as_bytes().to_vec();
        bytes.extend_from_slice(b"r4,\xff\xfe\xe0\xe1,x\n");
        let (encoding, foreign) = detect(&bytes);
        assert_eq!((encoding, foreign), (SourceEncoding::Utf8, false));
        // Many stray bytes among many valid UTF-8 letters: still a UTF-8 file, damaged.
        let mut bytes = TEXT.repeat(20).into_bytes();
        bytes.extend_from_slice(&[0xE0; 20]);
        assert_eq!(detect(&bytes), (SourceEncoding::Utf8, true));
    }

    #[test]
    fn koi8_and_dos_cyrillic_are_not_taken_for_windows_1251() {
        let text = "record_id,given_name,family_name\nr1,Зарина,Каримова\nr2,Азиз,Юсупов\nr3,Дилноза,Рахимова\n";
        for encoding in [encoding_rs::KOI8_R, encoding_rs::IBM866] {
            let (bytes, _, _) = encoding.encode(text);
            // Some DOS letters happen to make valid UTF-8 sequences; either way it is no 1251.
            assert_eq!(detect(&bytes).0, SourceEncoding::Utf8, "{}", encoding.name());
        }
        let (koi8, _, _) = encoding_rs::KOI8_R.encode(text);
        assert_eq!(detect(&koi8), (SourceEncoding::Utf8, true));
    }

    #[test]
    fn a_cut_character_at_the_end_of_the_sample_is_not_foreign() {
        let text = "Зарина".repeat(SAMPLE_BYTES / 12 + 1);
        let sample = &text.as_bytes()[..SAMPLE_BYTES - 1];
        assert_eq!(utf8_tally(&sample[..sample.len() - 1]).1, 0);
        assert_eq!(detect(sample), (SourceEncoding::Utf8, false));
    }

    /// Gives the bytes at most `chunk` at a time, as a pipe or a slow disk may.
    struct Trickle<'a> {
        bytes: &'a [u8],
        chunk: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.chunk).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// Rows of passport-Latin names until `ascii_bytes` at least, then `tail` rows; the offset
    /// of the tail.
    fn latin_then(ascii_bytes: usize, tail: &str) -> (String, usize) {
        let mut text = String::from("record_id,given_name,family_name\n");
        let mut i = 0;
        while text.len() < ascii_bytes {
            text.push_str(&format!("r{i},Zarina,Karimova\n"));
            i += 1;
        }
        let at = text.len();
        text.push_str(tail);
        (text, at)
    }

    fn read_through<R: Read>(reader: R, len: usize) -> (String, Decoded<R>) {
        let (mut decoded, encoding, foreign, _) = open(reader).unwrap();
        assert_eq!((encoding, foreign), (SourceEncoding::Utf8, false), "the ASCII sample reads as UTF-8");
        // Reads of a fixed size, so that a test can place a byte at the start of one.
        let mut out = Vec::new();
        let mut buf = [0u8; 512];
        loop {
            let n = decoded.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(decoded.consumed(), len as u64);
        (String::from_utf8(out).unwrap(), decoded)
    }

    #[test]
    fn windows_1251_after_an_ascii_sample_is_recognised_at_its_first_letter() {
        let tail: String = (0..200).map(|i| format!("c{i},Дилноза,Рахимова\n")).collect();
        let (text, at) = latin_then(2 * SAMPLE_BYTES, &tail);
        let (bytes, _, _) = WINDOWS_1251.encode(&text);
        let first_letter = at + tail.find('Д').unwrap();
        let expected =
            LateDecision { encoding: SourceEncoding::Windows1251, looks_foreign: false, at: first_letter as u64 };
        for chunk in [usize::MAX, 16 * 1024, 777, 1] {
            let (out, decoded) = read_through(Trickle { bytes: &bytes, chunk }, bytes.len());
            assert_eq!(out, text, "chunk {chunk}");
            assert_eq!(decoded.late(), Some(expected), "chunk {chunk}");
            assert_eq!(decoded.encoding(), SourceEncoding::Windows1251);
        }
    }

    #[test]
    fn a_first_letter_at_the_start_of_a_read_is_decided_too() {
        let (text, at) = latin_then(SAMPLE_BYTES + 1000, "");
        let mut bytes = text.into_bytes();
        // Pad with ASCII so that the Cyrillic begins exactly where a read of `chunk` begins.
        let chunk = 512;
        while (bytes.len() + 3) % chunk != 0 {
            bytes.insert(at - 1, b' ');
        }
        let start = bytes.len();
        let (cyrillic, _, _) = WINDOWS_1251.encode("c1,Дилноза,Рахимова\nc2,Азиз,Юсупов\n");
        bytes.extend_from_slice(&cyrillic);
        assert_eq!((start + 3) % 512, 0, "the first letter starts a read of the caller's 512 bytes");
        let (out, decoded) = read_through(Trickle { bytes: &bytes, chunk }, bytes.len());
        assert!(out.ends_with("c1,Дилноза,Рахимова\nc2,Азиз,Юсупов\n"), "{}", &out[out.len() - 60..]);
        assert_eq!(decoded.late().map(|l| (l.encoding, l.at)), Some((SourceEncoding::Windows1251, start as u64 + 3)));
    }

    #[test]
    fn utf8_or_damage_after_an_ascii_sample_is_read_as_utf8() {
        let tail = "c1,Дилноза,Рахимова\nc2,Ўктам,Ёқубов\n";
        let (text, at) = latin_then(SAMPLE_BYTES + 5, tail);
        let (out, decoded) = read_through(text.as_bytes(), text.len());
        assert_eq!(out, text);
        let late = decoded.late().unwrap();
        assert_eq!((late.encoding, late.looks_foreign, late.at), (SourceEncoding::Utf8, false, at as u64 + 3));
        // Bytes that are neither UTF-8 nor Windows-1251 letters: UTF-8 as it stands, said to
        // look foreign, and passed on for the rows to be refused one by one.
        let mut bytes = latin_then(SAMPLE_BYTES + 5, "").0.into_bytes();
        bytes.extend_from_slice(&[b'c', b'1', b',', 0x81, 0x83, 0x90, 0x98, 0x81, 0x83, 0x90, 0x98, 0x81, b'\n']);
        let (decoded, _, _, _) = open(&bytes[..]).unwrap();
        let mut decoded = decoded;
        let mut out = Vec::new();
        decoded.read_to_end(&mut out).unwrap();
        assert_eq!(out, bytes);
        assert_eq!(decoded.late().map(|l| (l.encoding, l.looks_foreign)), Some((SourceEncoding::Utf8, true)));
    }

    #[test]
    fn an_ascii_file_is_never_decided_late() {
        let (text, _) = latin_then(3 * SAMPLE_BYTES, "");
        let (out, decoded) = read_through(Trickle { bytes: text.as_bytes(), chunk: 4096 }, text.len());
        assert_eq!(out, text);
        assert_eq!(decoded.late(), None);
        assert_eq!(decoded.encoding(), SourceEncoding::Utf8);
    }
}

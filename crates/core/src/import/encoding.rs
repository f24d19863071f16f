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
//! A file whose first [`SAMPLE_BYTES`] are ASCII and whose later rows are in Windows-1251 is
//! read as UTF-8 and those rows are refused, each with its reason.

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
    fn decoder(self) -> Option<Decoder> {
        let encoding: &'static Encoding = match self {
            SourceEncoding::Utf8 => return None,
            SourceEncoding::Utf16Le => UTF_16LE,
            SourceEncoding::Utf16Be => UTF_16BE,
            SourceEncoding::Windows1251 => WINDOWS_1251,
        };
        Some(encoding.new_decoder_with_bom_removal())
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
    /// Bytes of the file consumed so far.
    consumed: u64,
}

/// Reads the start of `reader`, decides its encoding and returns a UTF-8 reader over all of it.
pub(crate) fn open<R: Read>(mut reader: R) -> io::Result<(Decoded<R>, SourceEncoding, bool)> {
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
    sample.truncate(filled);
    let (encoding, looks_foreign) = detect(&sample);
    let decoded = Decoded {
        inner: reader,
        sample,
        sample_at: 0,
        decoder: encoding.decoder(),
        out: Vec::new(),
        out_at: 0,
        input_done: false,
        consumed: 0,
    };
    Ok((decoded, encoding, looks_foreign))
}

impl<R: Read> Decoded<R> {
    /// Bytes of the file consumed so far (read ahead included), for progress reporting.
    pub(crate) fn consumed(&self) -> u64 {
        self.consumed
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
        let (mut reader, encoding, foreign) = open(bytes).unwrap();
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
}

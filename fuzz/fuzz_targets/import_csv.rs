//! The person-import CSV reader on arbitrary bytes: rows are read or refused, never a panic.
#![no_main]

use homeward_core::import::ImportReader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(reader) = ImportReader::new(data) {
        for row in reader.take(10_000) {
            let _ = row;
        }
    }
});

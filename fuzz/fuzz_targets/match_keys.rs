//! Match keys of any record the CSV reader accepts: no panic, every key non-empty.
#![no_main]

use homeward_core::import::ImportReader;
use homeward_core::matching::match_keys;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(reader) = ImportReader::new(data) {
        for person in reader.take(1_000).flatten() {
            for key in match_keys(&person, (2026, 11, 28)) {
                assert!(!key.value.is_empty());
            }
        }
    }
});

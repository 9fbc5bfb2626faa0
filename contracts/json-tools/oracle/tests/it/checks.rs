//! The public checks on outputs: `check_sorted` and `error_offset`.

use witness_oracle::{check_sorted, error_offset};

#[test]
fn check_sorted_accepts_sorted_outputs() {
    let sorted = [
        "1",
        "[]",
        "{}",
        r#"{"a":1,"b":2}"#,
        // Ties keep any order: stability is the formatter's business.
        r#"{"a":1,"\u0061":2,"a":3}"#,
        // Code-point order: U+FF61 before U+1F600, whatever UTF-16 says.
        "{\"\u{ff61}\":1,\"\\uD83D\\uDE00\":2}",
        "{\"\\uff61\":1,\"\u{1f600}\":2}",
        // A prefix sorts first; the empty key sorts first of all.
        r#"{"":0,"a":1,"a\u0000":2,"aa":3}"#,
        // Each object is checked on its own.
        "[{\"b\":1},{\"a\":{\"y\":[\"z\",\"a\"],\"z\":{\"c\":0,\"d\":1}}}]",
        "{\n  \"a\": \"z\",\n  \"b\": \"a\"\n}",
        // Escaped quotes inside keys do not end them.
        r#"{"\"":1,"\\":2}"#,
    ];
    for output in sorted {
        assert_eq!(check_sorted(output), Ok(()), "{output}");
    }
}

#[test]
fn check_sorted_names_the_first_out_of_order_key() {
    let unsorted = [
        (r#"{"b":1,"a":2}"#, 7),
        ("{\n  \"b\": 1,\n  \"a\": 2\n}", 14),
        (r#"[{"a":{"d":1,"c":2}}]"#, 13),
        (r#"{"b":{"z":1},"a":2}"#, 13),
        // UTF-16 order would accept this one.
        ("{\"\\uD83D\\uDE00\":1,\"\u{ff61}\":2}", 18),
        (r#"{"\u0062":1,"a":2}"#, 12),
    ];
    for (output, offset) in unsorted {
        let message = check_sorted(output).expect_err(output);
        assert!(
            message.starts_with(&format!("the key at byte {offset} ")),
            "{output}: {message}"
        );
    }
}

#[test]
fn error_offset_reads_at_byte_n() {
    let cases = [
        ("at byte 3: expected a value", Some(3)),
        ("at byte 0: a byte order mark", Some(0)),
        ("at byte 12345:", Some(12345)),
        ("at byte : nothing", None),
        ("at byte 3 expected", None),
        ("invalid options: indent 17", None),
        ("error at byte 3: x", None),
        ("at byte 99999999999999999999999999: overflow", None),
    ];
    for (message, expected) in cases {
        assert_eq!(error_offset(message), expected, "{message}");
    }
}

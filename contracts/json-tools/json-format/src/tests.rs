//! Unit tests: every clause of the contract, as tables of cases.
//!
//! Each table row is data; the `check_*` helpers run it through every entry
//! point that the clause concerns, so an error offset is checked for
//! `minify` and for `format` with and without sort-keys.

use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

use crate::{Error, FormatOptions, format, minify};

/// `format` options with `indent` spaces and no sorting.
fn indent(indent: u32) -> Option<FormatOptions> {
    Some(FormatOptions {
        indent,
        sort_keys: false,
    })
}

/// `format` options with `indent` spaces and sort-keys.
fn sorted(indent: u32) -> Option<FormatOptions> {
    Some(FormatOptions {
        indent,
        sort_keys: true,
    })
}

/// The syntax error offset of `result`, or a panic naming `input`.
fn offset_of(input: &str, result: Result<String, Error>) -> usize {
    match result {
        Err(Error::Syntax { offset, .. }) => offset,
        other => panic!("{input:?}: expected a syntax error, got {other:?}"),
    }
}

/// Checks that `input` fails at `expected` in every entry point.
fn check_error(input: &str, expected: usize) {
    let results = [
        ("minify", minify(input)),
        ("format", format(input, None)),
        ("format indent 0", format(input, indent(0))),
        ("format sorted", format(input, sorted(4))),
    ];
    for (entry_point, result) in results {
        let offset = offset_of(input, result);
        assert_eq!(offset, expected, "{entry_point} of {input:?}");
    }
}

/// Checks a table of `(input, offset)` error cases.
fn check_errors(cases: &[(&str, usize)]) {
    for &(input, expected) in cases {
        check_error(input, expected);
    }
}

/// Checks that `format(input, options)` is `expected`, and that the other
/// entry points accept `input` too.
fn check_format(input: &str, options: Option<FormatOptions>, expected: &str) {
    match format(input, options) {
        Ok(output) => assert_eq!(output, expected, "format {input:?} with {options:?}"),
        Err(error) => panic!("format {input:?} with {options:?} failed: {error}"),
    }
    assert!(minify(input).is_ok(), "minify {input:?}");
}

/// Checks that `minify(input)` is `expected`.
fn check_minify(input: &str, expected: &str) {
    match minify(input) {
        Ok(output) => assert_eq!(output, expected, "minify {input:?}"),
        Err(error) => panic!("minify {input:?} failed: {error}"),
    }
}

/// The contract's own table of example offsets.
#[test]
fn contract_examples() {
    check_errors(&[
        ("[1,]", 3),
        ("01", 1),
        ("1.", 2),
        (r#""\x""#, 2),
        (r#""" x"#, 3),
        ("", 0),
    ]);
}

#[test]
fn empty_and_whitespace_only_inputs_fail_at_their_length() {
    check_errors(&[
        ("", 0),
        (" ", 1),
        ("\t", 1),
        ("\n", 1),
        ("\r", 1),
        (" \t\n\r  ", 6),
    ]);
}

#[test]
fn each_kind_of_whitespace_is_accepted_everywhere() {
    for whitespace in [" ", "\t", "\n", "\r", " \t\r\n"] {
        let input = ["", "{", "\"a\"", ":", "[", "1", ",", "true", "]", "}", ""].join(whitespace);
        check_minify(&input, r#"{"a":[1,true]}"#);
        check_format(&input, indent(1), "{\n \"a\": [\n  1,\n  true\n ]\n}");
    }
}

#[test]
fn other_whitespace_is_an_error() {
    check_errors(&[
        ("\u{0B}1", 0),
        ("\u{0C}1", 0),
        ("1\u{0C}", 1),
        ("\u{A0}1", 0),
        ("[1,\u{2028}2]", 3),
        ("[\u{85}]", 1),
    ]);
}

#[test]
fn byte_order_mark() {
    check_errors(&[
        ("\u{FEFF}", 0),
        ("\u{FEFF}1", 0),
        ("\u{FEFF}{}", 0),
        // Not leading: the general rule gives the offset of its first byte.
        (" \u{FEFF}1", 1),
        ("[\u{FEFF}]", 1),
    ]);
    // Inside a string it is an ordinary character and is copied.
    check_minify("\"\u{FEFF}\"", "\"\u{FEFF}\"");
}

#[test]
fn number_forms_are_copied_verbatim() {
    for number in [
        "0",
        "-0",
        "1",
        "-1",
        "1.0",
        "-0.0",
        "1e400",
        "-1e-400",
        "1E+2",
        "1e+2",
        "1E-2",
        "1e2",
        "0e0",
        "-0E-0",
        "0.000001",
        "123456789012345678901234567890",
        "1.5e0010",
        "9007199254740993",
    ] {
        check_format(number, None, number);
        check_minify(number, number);
        check_minify(&format!(" [ {number} ] "), &format!("[{number}]"));
        check_format(
            &format!("[{number}]"),
            indent(2),
            &format!("[\n  {number}\n]"),
        );
    }
}

#[test]
fn invalid_numbers() {
    check_errors(&[
        ("-", 1),
        ("-a", 1),
        ("- 1", 1),
        ("--1", 1),
        ("+1", 0),
        (".5", 0),
        ("[.5]", 1),
        ("1.", 2),
        ("1.e5", 2),
        ("1.]", 2),
        ("[1.]", 3),
        ("1e", 2),
        ("1E", 2),
        ("1e+", 3),
        ("1e-", 3),
        ("1e+x", 3),
        ("1ee5", 2),
        ("1.5.3", 3),
        ("01", 1),
        ("00", 1),
        ("-01", 2),
        ("[01]", 2),
        ("0x10", 1),
        ("1_000", 1),
        ("NaN", 0),
        ("Infinity", 0),
        ("-Infinity", 1),
        ("[1, NaN]", 4),
    ]);
}

#[test]
fn literals() {
    for literal in ["true", "false", "null"] {
        check_format(literal, None, literal);
        check_format(&format!("\r\n{literal}\t"), sorted(3), literal);
    }
    check_errors(&[
        ("t", 1),
        ("tru", 3),
        ("trux", 3),
        ("True", 0),
        ("nul", 3),
        ("nulll", 4),
        ("fals", 4),
        ("falsey", 5),
        ("[truefalse]", 5),
        ("undefined", 0),
    ]);
}

#[test]
fn strings_are_copied_verbatim() {
    for string in [
        r#""""#,
        r#""plain""#,
        r#""\" \\ \/ \b \f \n \r \t""#,
        r#""\u0000 \u001f \u001F \uABCD \uabcd \u00e9 \u00E9""#,
        r#""\uD834\uDD1E \ud834\udd1e \uDBFF\uDFFF""#,
        "\"é 𝄞 \u{7F} \u{FFFF}\"",
        "\"/ ' `\"",
    ] {
        check_format(string, None, string);
        check_minify(string, string);
        check_format(
            &format!("{{ {string} : {string} }}"),
            sorted(2),
            &format!("{{\n  {string}: {string}\n}}"),
        );
    }
}

#[test]
fn control_characters_in_strings_must_be_escaped() {
    for control in 0u8..0x20 {
        let input = format!("[\"ab{}\"]", char::from(control));
        check_error(&input, 4);
        let escaped = format!("\"\\u{control:04x}\"");
        check_minify(&escaped, &escaped);
    }
}

#[test]
fn invalid_strings() {
    check_errors(&[
        ("\"", 1),
        ("\"abc", 4),
        ("\"\\", 2),
        ("\"\\u", 3),
        ("\"\\u12", 5),
        ("\"\\u123", 6),
        (r#""\u12G4""#, 5),
        (r#""\u 123""#, 3),
        (r#""\U0041""#, 2),
        (r#""\a""#, 2),
        (r#""\'""#, 2),
        (r#""\x41""#, 2),
        ("'a'", 0),
        ("[\"a\" \"b\"]", 5),
    ]);
}

#[test]
fn unpaired_surrogates_fail_at_their_backslash() {
    check_errors(&[
        // A lone low surrogate.
        (r#""\uDC00""#, 1),
        (r#""\udfff""#, 1),
        (r#"["ab\uDC00"]"#, 4),
        // A high surrogate followed by anything but a low surrogate escape.
        (r#""\uD800""#, 1),
        (r#""\uD800x""#, 1),
        (r#""\uD800\n""#, 1),
        (r#""\uD800\u0041""#, 1),
        (r#""\uD800\uD800""#, 1),
        (r#""\uDBFF\uDBFF\uDC00""#, 1),
        (r#""\uD800\uE000""#, 1),
        (r#""\uD800\uDC0G""#, 1),
        (r#""\uD800\uDG00""#, 1),
        (r#""\uD800\x""#, 1),
        (r#""\uD800 \uDC00""#, 1),
        (r#""ab\uDBFF\uD800""#, 3),
        // A valid pair followed by a lone low surrogate.
        (r#""\uD834\uDD1E\uDD1E""#, 13),
        // The key of an object.
        (r#"{"\uD800":1}"#, 2),
    ]);
}

#[test]
fn input_that_ends_after_a_high_surrogate_reports_its_backslash() {
    // contracts/json-tools/contract.md, "The input ends after a high surrogate escape": once
    // the high surrogate escape is complete, anything but a whole low
    // surrogate escape after it, the end of the input included, is reported
    // at the high surrogate's backslash.
    check_errors(&[
        (r#""\uD800"#, 1),
        (r#""\uD800\"#, 1),
        (r#""\uD800\u"#, 1),
        (r#""\uD800\uD"#, 1),
        (r#""\uD800\uDC"#, 1),
        (r#""\uD800\uDC0"#, 1),
        // The pair is complete: only the closing quote is missing.
        (r#""\uD800\uDC00"#, 13),
        // Until the high surrogate escape itself is complete, the input just
        // ends too early.
        (r#""\uD80"#, 6),
    ]);
}

#[test]
fn a_lone_low_surrogate_is_reported_at_its_backslash_even_when_incomplete() {
    check_errors(&[
        (r#""\uDC"#, 1),
        (r#""\uDCZZ""#, 1),
        (r#""a\udfff""#, 2),
        (r#""\uD"#, 4),
        (r#""\uD8ZZ""#, 5),
    ]);
}

#[test]
fn invalid_structure() {
    check_errors(&[
        ("[", 1),
        ("[1", 2),
        ("[1,", 3),
        ("[1 2]", 3),
        ("[,1]", 1),
        ("[1,,2]", 3),
        ("[1}", 2),
        ("[}", 1),
        ("]", 0),
        ("}", 0),
        ("{", 1),
        ("{]", 1),
        ("{,}", 1),
        (r#"{"a""#, 4),
        (r#"{"a":"#, 5),
        (r#"{"a":1"#, 6),
        (r#"{"a":1,"#, 7),
        (r#"{"a" 1}"#, 5),
        (r#"{"a"::1}"#, 5),
        (r#"{"a":}"#, 5),
        (r#"{"a":1,}"#, 7),
        (r#"{"a":1]"#, 6),
        (r#"{"a":1 "b":2}"#, 7),
        ("{a:1}", 1),
        ("{'a':1}", 1),
        ("{1:1}", 1),
        (r#"{"a":1,2}"#, 7),
        ("[][]", 2),
        ("{} {}", 3),
        ("1 2", 2),
        ("/* */ 1", 0),
        ("[1]//", 3),
        ("[1] x", 4),
        (r#"["a" , ]"#, 7),
    ]);
}

/// `n` nested arrays around `1`.
fn nested_arrays(n: usize) -> String {
    format!("{}1{}", "[".repeat(n), "]".repeat(n))
}

/// `n` nested objects, each the value of key `"k"`, around `1`.
fn nested_objects(n: usize) -> String {
    format!("{}1{}", r#"{"k":"#.repeat(n), "}".repeat(n))
}

#[test]
fn depth_256_is_accepted_and_the_bracket_opening_257_is_the_error() {
    check_minify(&nested_arrays(256), &nested_arrays(256));
    check_minify(&nested_objects(256), &nested_objects(256));
    check_error(&nested_arrays(257), 256);
    check_error(&nested_objects(257), 256 * 5);
    // The error is found before the rest of the document is looked at.
    check_error(&format!("{}x", "[".repeat(257)), 256);
    check_error(&format!(" {}{{", "[".repeat(256)), 257);
    // Depth counts open containers, not brackets seen.
    let siblings = format!("[{}]", vec![nested_arrays(255); 3].join(","));
    check_minify(&siblings, &siblings);
}

#[test]
fn depth_256_needs_little_stack() {
    let worker = std::thread::Builder::new()
        .stack_size(32 * 1024)
        .spawn(|| {
            for input in [nested_arrays(256), nested_objects(256)] {
                for options in [None, indent(16), sorted(16)] {
                    assert!(format(&input, options).is_ok());
                }
                assert!(minify(&input).is_ok());
            }
        })
        .expect("spawn a thread");
    assert!(worker.join().is_ok());
}

#[test]
fn deep_indentation_is_exact() {
    // 256 levels of 16 spaces: the innermost line has 4096 spaces.
    let output = format(&nested_arrays(256), indent(16)).expect("depth 256 is accepted");
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 2 * 256 + 1);
    for (line_idx, line) in lines.iter().enumerate() {
        let depth = line_idx.min(2 * 256 - line_idx);
        let content = if line_idx < 256 {
            "["
        } else if line_idx == 256 {
            "1"
        } else {
            "]"
        };
        assert_eq!(
            *line,
            format!("{}{content}", " ".repeat(depth * 16)),
            "line {line_idx}"
        );
    }
}

#[test]
fn layout() {
    let nested = r#"{"a":{"b":[1,{}]},"c":null}"#;
    check_format(
        nested,
        None,
        "{\n  \"a\": {\n    \"b\": [\n      1,\n      {}\n    ]\n  },\n  \"c\": null\n}",
    );
    check_format(
        nested,
        indent(0),
        "{\n\"a\": {\n\"b\": [\n1,\n{}\n]\n},\n\"c\": null\n}",
    );
    let sixteen = " ".repeat(16);
    check_format(
        r#"{"a":[1]}"#,
        indent(16),
        &format!("{{\n{sixteen}\"a\": [\n{sixteen}{sixteen}1\n{sixteen}]\n}}"),
    );
    check_format("[1,2]", indent(2), "[\n  1,\n  2\n]");
    check_format("[[]]", indent(2), "[\n  []\n]");
    check_format("  [ \"x\" ]\n", indent(4), "[\n    \"x\"\n]");
}

#[test]
fn empty_containers_print_without_their_whitespace() {
    for (input, expected) in [
        ("[]", "[]"),
        ("[ \t\r\n ]", "[]"),
        ("{}", "{}"),
        ("{\n}", "{}"),
        ("[ { } , [ ] ]", "[\n  {},\n  []\n]"),
    ] {
        check_format(input, None, expected);
        check_format(input, sorted(2), expected);
    }
    check_minify("[ { } , [ ] ]", "[{},[]]");
}

#[test]
fn no_options_means_indent_2_without_sorting() {
    let input = r#"{"b":[1],"a":2}"#;
    assert_eq!(format(input, None), format(input, indent(2)));
    check_format(input, None, "{\n  \"b\": [\n    1\n  ],\n  \"a\": 2\n}");
}

#[test]
fn indent_options() {
    assert!(format("[1]", indent(0)).is_ok());
    assert!(format("[1]", indent(16)).is_ok());
    for bad_indent in [17, 100, u32::MAX] {
        for sort_keys in [false, true] {
            let options = Some(FormatOptions {
                indent: bad_indent,
                sort_keys,
            });
            // Options are checked before the input, even an invalid one.
            for input in ["[1]", "", "[1,]"] {
                match format(input, options) {
                    Err(Error::InvalidOptions(_)) => {}
                    other => panic!("indent {bad_indent}: {other:?}"),
                }
            }
        }
    }
}

#[test]
fn error_messages() {
    let error = format("[1]", indent(17)).expect_err("indent 17 is invalid");
    assert!(
        error.to_string().starts_with("invalid options: "),
        "{error}"
    );
    let error = minify("[1,]").expect_err("a trailing comma is invalid");
    assert!(error.to_string().starts_with("at byte 3: "), "{error}");
    let error = Error::Syntax {
        offset: 12,
        message: String::from("bad"),
    };
    assert_eq!(error.to_string(), "at byte 12: bad");
    assert_eq!(
        Error::InvalidOptions(String::from("x")).to_string(),
        "invalid options: x"
    );
}

#[test]
fn minify_layout() {
    check_minify(
        " { \"a\" : [ 1 , 2 ] , \"b\" : { } , \"c\" : \" x \\t \" } ",
        r#"{"a":[1,2],"b":{},"c":" x \t "}"#,
    );
    check_minify("\t\"s\"\n", "\"s\"");
    // minify never sorts.
    check_minify(r#"{"b":1,"a":2}"#, r#"{"b":1,"a":2}"#);
}

#[test]
fn duplicate_keys_are_kept_in_order() {
    check_format(
        r#"{"a":1,"a":2,"a":1}"#,
        None,
        "{\n  \"a\": 1,\n  \"a\": 2,\n  \"a\": 1\n}",
    );
    check_format(
        r#"{"b":1,"a":1,"b":2,"a":2}"#,
        sorted(0),
        "{\n\"a\": 1,\n\"a\": 2,\n\"b\": 1,\n\"b\": 2\n}",
    );
}

#[test]
fn sort_keys_orders_every_object() {
    check_format(
        r#"{"b":1,"a":2}"#,
        sorted(2),
        "{\n  \"a\": 2,\n  \"b\": 1\n}",
    );
    check_format(
        r#"{"z":{"y":1,"x":[{"d":1,"c":{}}]},"a":[3,1,2]}"#,
        sorted(1),
        "{\n \"a\": [\n  3,\n  1,\n  2\n ],\n \"z\": {\n  \"x\": [\n   {\n    \"c\": {},\n    \"d\": 1\n   }\n  ],\n  \"y\": 1\n }\n}",
    );
    // Key order is byte order, not length order or case-insensitive.
    check_format(
        r#"{"ab":1,"a":2,"B":3,"b":4,"":5}"#,
        sorted(0),
        "{\n\"\": 5,\n\"B\": 3,\n\"a\": 2,\n\"ab\": 1,\n\"b\": 4\n}",
    );
}

#[test]
fn sort_keys_compares_decoded_keys() {
    // An escaped and an unescaped spelling are equal, so input order decides.
    check_format(
        r#"{"b":1,"\u0061":2,"a":3}"#,
        sorted(2),
        "{\n  \"\\u0061\": 2,\n  \"a\": 3,\n  \"b\": 1\n}",
    );
    check_format(
        r#"{"a":3,"\u0061":2}"#,
        sorted(2),
        "{\n  \"a\": 3,\n  \"\\u0061\": 2\n}",
    );
    check_format(
        r#"{"J":1,"\u004a":2,"\u004A":3,"I":4}"#,
        sorted(0),
        "{\n\"I\": 4,\n\"J\": 1,\n\"\\u004a\": 2,\n\"\\u004A\": 3\n}",
    );
    // Simple escapes decode to the characters they stand for:
    // LF (0A) < space (20) < '"' (22) < '/' (2F) < '\' (5C).
    check_format(
        r#"{"\\":1,"\n":2,"\/":3," ":4,"\"":5}"#,
        sorted(0),
        "{\n\"\\n\": 2,\n\" \": 4,\n\"\\\"\": 5,\n\"\\/\": 3,\n\"\\\\\": 1\n}",
    );
    // Code point order, not UTF-16 order: U+E000 < U+FFFF < U+1F600, although
    // the surrogate D83D is below E000.  The raw and escaped U+1F600 are equal.
    check_format(
        "{\"😀\":1,\"\\uD83D\\uDE00\":2,\"\\uFFFF\":3,\"\u{E000}\":4}",
        sorted(0),
        "{\n\"\u{E000}\": 4,\n\"\\uFFFF\": 3,\n\"😀\": 1,\n\"\\uD83D\\uDE00\": 2\n}",
    );
    // Escaped non-ASCII against raw: é (U+00E9) sorts after z.
    check_format(
        r#"{"\u00e9":1,"z":2,"é":3}"#,
        sorted(0),
        "{\n\"z\": 2,\n\"\\u00e9\": 1,\n\"é\": 3\n}",
    );
}

/// A document with every kind of token, whitespace and nesting, for the
/// invariants.
const MIXED: &str = "\r\n{ \"z\" : [ 1.0 , -0 , 1e400 , { \"\\u0062\" : true , \"a\" : null , \"b\" : [ ] } ] ,\t\"\\uD834\\uDD1E\": \"x\\\"y\" , \"a\" : { \"k\" : { } , \"j\" : \"é\" } , \"a\" : false }\n";

#[test]
fn invariants_hold_for_a_mixed_document() {
    let minified = minify(MIXED).expect("valid");
    for options in [None, indent(0), indent(3), indent(16), sorted(0), sorted(2)] {
        let formatted = format(MIXED, options).expect("valid");
        assert_eq!(
            format(&formatted, options).as_ref(),
            Ok(&formatted),
            "{options:?}"
        );
        if options.is_some_and(|options| options.sort_keys) {
            // Sorting permutes members, so compare against the sorted minify.
            let sorted_minified = format(&minified, sorted(0)).expect("valid");
            assert_eq!(format(&formatted, sorted(0)), Ok(sorted_minified));
        } else {
            assert_eq!(minify(&formatted).as_ref(), Ok(&minified), "{options:?}");
        }
    }
    assert_eq!(
        minified,
        r#"{"z":[1.0,-0,1e400,{"\u0062":true,"a":null,"b":[]}],"\uD834\uDD1E":"x\"y","a":{"k":{},"j":"é"},"a":false}"#
    );
    assert_eq!(
        format(MIXED, sorted(1)).expect("valid"),
        "{\n \"a\": {\n  \"j\": \"é\",\n  \"k\": {}\n },\n \"a\": false,\n \"z\": [\n  1.0,\n  -0,\n  1e400,\n  {\n   \"a\": null,\n   \"\\u0062\": true,\n   \"b\": []\n  }\n ],\n \"\\uD834\\uDD1E\": \"x\\\"y\"\n}"
    );
}

#[test]
fn large_documents() {
    // About 1 MB of members in reverse order, so that sorting moves them.
    let members: Vec<String> = (0..20_000)
        .rev()
        .map(|member_idx| format!("\"k{member_idx:06}\": [{member_idx}, \"v\\n{member_idx}\", {{\"y\": null, \"x\": 1.5e3}}]"))
        .collect();
    let input = format!("{{{}}}", members.join(", "));
    assert!(input.len() > 1_000_000);
    let minified = minify(&input).expect("valid");
    assert_eq!(minified.len(), input.len() - input.matches(' ').count());
    let formatted = format(&input, None).expect("valid");
    assert_eq!(minify(&formatted).as_ref(), Ok(&minified));
    let sorted_output = format(&input, sorted(2)).expect("valid");
    let keys: Vec<&str> = sorted_output
        .lines()
        .filter(|line| line.starts_with("  \"k"))
        .collect();
    assert_eq!(keys.len(), 20_000);
    assert!(keys.is_sorted());
    assert!(sorted_output.contains("{\n      \"x\": 1.5e3,\n      \"y\": null\n    }"));
}

#[test]
fn plain_run_end_finds_the_first_stop_byte() {
    use crate::printer::plain_run_end;
    // Bytes next to the stop bytes, and bytes that differ from them only in
    // the top bit, which a sloppy bit trick would confuse with them.
    let plain = [
        b' ', b'!', b'#', b'[', b']', b'a', 0x7F, 0x80, 0xA0, 0xA2, 0xDC, 0x9F, 0xFF,
    ];
    let stops = [0x00, 0x01, 0x1F, b'"', b'\\'];
    for len in 0..40 {
        for &filler in &plain {
            let mut bytes = vec![filler; len];
            assert_eq!(plain_run_end(&bytes, 0), len, "no stop in {bytes:?}");
            for stop_at in 0..len {
                for &stop in &stops {
                    bytes[stop_at] = stop;
                    // A second stop after the first must not matter.
                    if stop_at + 1 < len {
                        bytes[len - 1] = b'"';
                    }
                    for start in 0..=stop_at {
                        assert_eq!(
                            plain_run_end(&bytes, start),
                            stop_at,
                            "{bytes:?} from {start}"
                        );
                    }
                    bytes.fill(filler);
                }
            }
        }
    }
    // Pseudo-random bytes against a byte-at-a-time scan.
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    for _ in 0..2000 {
        let bytes: Vec<u8> = (0..37)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                // Mostly plain bytes, sometimes a stop.
                let byte = (state >> 24) as u8;
                if byte < 0x20 && !state.is_multiple_of(4) {
                    byte | 0x40
                } else {
                    byte
                }
            })
            .collect();
        for start in 0..bytes.len() {
            let expected = (start..bytes.len())
                .find(|&idx| bytes[idx] < 0x20 || bytes[idx] == b'"' || bytes[idx] == b'\\')
                .unwrap_or(bytes.len());
            assert_eq!(
                plain_run_end(&bytes, start),
                expected,
                "{bytes:?} from {start}"
            );
        }
    }
}

/// Valid documents that the mutation test starts from.
const SEEDS: &[&str] = &[
    MIXED,
    r#"{"a":[1,-2.5e+3,true,false,null,"x\u00e9\uD83D\uDE00"],"b":{}}"#,
    "[\"a long string that is longer than sixteen bytes\", 12345678901234567890]",
    "  -0.0e-0  ",
];

#[test]
fn mutated_documents_never_panic_and_agree_with_themselves() {
    let replacements: Vec<&str> = vec![
        "", " ", "\t", "\n", "x", "0", "-", ".", "e", "\"", "\\", "\\u", "\\uD800", "\\uDC00", "{",
        "}", "[", "]", ",", ":", "\u{1}", "é", "\u{FEFF}", "tru", "01",
    ];
    for seed in SEEDS {
        let minified_seed = minify(seed).expect("seeds are valid");
        for at in (0..=seed.len()).filter(|&at| seed.is_char_boundary(at)) {
            for replacement in &replacements {
                for removed in [0, 1] {
                    let end = (at + removed).min(seed.len());
                    if !seed.is_char_boundary(end) {
                        continue;
                    }
                    let input = format!("{}{replacement}{}", &seed[..at], &seed[end..]);
                    let minified = minify(&input);
                    for options in [None, indent(0), sorted(3)] {
                        let formatted = format(&input, options);
                        match (&minified, &formatted) {
                            (Ok(minified), Ok(formatted)) => {
                                assert_eq!(format(formatted, options).as_ref(), Ok(formatted));
                                if !options.is_some_and(|options| options.sort_keys) {
                                    assert_eq!(minify(formatted).as_ref(), Ok(minified));
                                }
                            }
                            (
                                Err(Error::Syntax { offset, .. }),
                                Err(Error::Syntax {
                                    offset: format_offset,
                                    ..
                                }),
                            ) => {
                                assert_eq!(offset, format_offset, "{input:?}");
                                assert!(*offset <= input.len(), "{input:?}");
                            }
                            _ => panic!("{input:?}: minify {minified:?}, format {formatted:?}"),
                        }
                    }
                }
            }
        }
        assert_eq!(minify(&minified_seed).as_ref(), Ok(&minified_seed));
    }
}

/// Every example offset of contracts/json-tools/contract.md, "How the rule applies" and the
/// second table of "Examples".
#[test]
fn contract_clarification_examples() {
    check_errors(&[
        ("é", 0),
        ("[\"é\",é]", 6),
        ("[1 2]", 3),
        (r#"{"a" 1}"#, 5),
        ("[}", 1),
        ("\"\t\"", 1),
        ("\"a\n\"", 2),
        (r#""\x""#, 2),
        (r#""\U0041""#, 2),
        (r#""\'""#, 2),
        (r#""\u12G4""#, 5),
        (r#""\uGGGG""#, 3),
        (r#""\u12""#, 5),
        ("01", 1),
        ("-01", 2),
        ("00", 1),
        ("[01]", 2),
        ("-", 1),
        ("1.", 2),
        ("1e", 2),
        ("1e+", 3),
        ("-a", 1),
        ("1.e5", 2),
        ("[1.]", 3),
        ("-Infinity", 1),
        (".5", 0),
        ("+1", 0),
        ("tru", 3),
        ("trUe", 2),
        ("nan", 1),
        ("NaN", 0),
        ("\"\" x", 3),
        ("1 2", 2),
        ("{}}", 2),
        ("truex", 4),
        ("1x", 1),
        ("0x1F", 1),
        ("[1,]", 3),
        (r#"{"a":1,}"#, 7),
        ("", 0),
        ("   ", 3),
        ("[1,", 3),
        (r#"{"a":"#, 5),
        ("\"abc", 4),
        (r#""\u00"#, 5),
        (r#""\uDC00""#, 1),
        (r#""\uDCZZ""#, 1),
        (r#""\uDC"#, 1),
        (r#""a\udfff""#, 2),
        (r#""\uDC00\uD800""#, 1),
        (r#""\uD800""#, 1),
        (r#""\uD800x""#, 1),
        (r#""\uD800\n""#, 1),
        (r#""\uD800\u0041""#, 1),
        (r#""\uD800\uD800""#, 1),
        (r#""\uD800\uE000""#, 1),
        (r#""\uD800\uDCZZ""#, 1),
        (r#""\uD800"#, 1),
        (r#""\uD800\"#, 1),
        (r#""\uD800\uDC"#, 1),
        (r#""\uD80"#, 6),
        ("\u{FEFF}", 0),
        ("\u{FEFF}{}", 0),
        (" \u{FEFF}{}", 1),
        (" \u{FEFF}1", 1),
        ("\u{0C}1", 0),
        ("\u{0B}1", 0),
        ("\u{A0}1", 0),
        ("\u{2028}1", 0),
    ]);
    check_error(&"[".repeat(257), 256);
    check_error(&"[".repeat(256), 256);
    check_error(&format!("{}{}", "[".repeat(257), "]".repeat(257)), 256);
    check_error(&r#"{"a":"#.repeat(257), 1280);
    for exponent in ["0.05", "1e05", "1E-007"] {
        check_minify(exponent, exponent);
    }
}

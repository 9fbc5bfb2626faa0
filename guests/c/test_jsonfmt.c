/*
 * Unit tests of jsonfmt, run natively by `make test`.
 *
 * The cases are tables: every example and clarification of contracts/json-tools/contract.md,
 * clause by clause.  Each valid case is also checked for the properties that
 * tie format and minify together (they validate alike, and formatting or
 * minifying one's output gives the other's), and each invalid case is checked
 * in all three modes, because format, format with sort-keys and minify must
 * report the same offset.  Last, 20,000 inputs generated from JSON-ish pieces
 * check the same properties without an expected output.  The run ends with
 * "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonfmt.h"

/* A byte string that may hold NUL bytes. */
typedef struct bytes {
    const char *data;
    size_t len;
} bytes;

/* A literal as a bytes initializer, embedded NULs included. */
#define B(literal) {(literal), sizeof(literal) - 1}
/* A literal as a bytes value. */
#define BYTES(literal) ((bytes)B(literal))

static int n_passed;
static int n_failed;

/* Prints text[0, len) with C escapes for everything that is not printable
 * ASCII, cut short after 200 bytes. */
static void print_escaped(const char *text, size_t len) {
    putchar('"');
    for (size_t idx = 0; idx < len && idx < 200; idx++) {
        unsigned char byte = (unsigned char)text[idx];
        if (byte == '\n') {
            fputs("\\n", stdout);
        } else if (byte == '"' || byte == '\\') {
            printf("\\%c", byte);
        } else if (byte < 0x20 || byte >= 0x7F) {
            printf("\\x%02X", byte);
        } else {
            putchar(byte);
        }
    }
    if (len > 200) {
        printf("...(%zu bytes)", len);
    }
    putchar('"');
}

static void report(bool ok, const char *what, bytes input, jsonfmt_result res, const char *expected_text,
                   size_t expected_len) {
    if (ok) {
        n_passed++;
        return;
    }
    n_failed++;
    printf("FAIL %s\n  input:    ", what);
    print_escaped(input.data, input.len);
    printf("\n  status:   %d (offset %zu)\n  got:      ", (int)res.status, res.offset);
    if (res.text != NULL) {
        print_escaped(res.text, res.len);
    }
    printf("\n  expected: ");
    print_escaped(expected_text, expected_len);
    printf("\n");
}

/* Checks that res is ok with exactly expected. */
static void expect_ok(const char *what, bytes input, jsonfmt_result res, bytes expected) {
    bool ok = res.status == JSONFMT_OK && res.len == expected.len && memcmp(res.text, expected.data, res.len) == 0;
    report(ok, what, input, res, expected.data, expected.len);
    free(res.text);
}

/* Checks that res is "at byte N: " followed by some text. */
static void expect_syntax_error(const char *what, bytes input, jsonfmt_result res, size_t offset) {
    char prefix[64];
    int prefix_len = snprintf(prefix, sizeof prefix, "at byte %zu: ", offset);
    bool ok = res.status == JSONFMT_SYNTAX_ERROR && res.offset == offset && res.len > (size_t)prefix_len &&
              memcmp(res.text, prefix, (size_t)prefix_len) == 0;
    report(ok, what, input, res, prefix, (size_t)prefix_len);
    free(res.text);
}

static jsonfmt_result format_with(bytes input, uint32_t indent, bool sort_keys) {
    jsonfmt_options options = {.indent = indent, .sort_keys = sort_keys};
    return jsonfmt_format(input.data, input.len, &options);
}

/* An input and the offset of its error. */
typedef struct offset_case {
    bytes input;
    size_t offset;
} offset_case;

/* Checks the offset in all three modes. */
static void check_offset(bytes input, size_t offset) {
    expect_syntax_error("minify", input, jsonfmt_minify(input.data, input.len), offset);
    expect_syntax_error("format", input, jsonfmt_format(input.data, input.len, NULL), offset);
    expect_syntax_error("format indent 0 sort-keys", input, format_with(input, 0, true), offset);
}

/* contracts/json-tools/contract.md, "Errors": the examples of issue #2, the table that
 * follows from the clarifications, and every example of "How the rule
 * applies", in its order.  Depth cases are built in test_depth. */
static const offset_case offset_cases[] = {
    /* The examples of issue #2. */
    {B("[1,]"), 3},
    {B("01"), 1},
    {B("1."), 2},
    {B("\"\\x\""), 2},
    {B("\"\" x"), 3},
    {B(""), 0},
    /* The table that follows from the clarifications. */
    {B("-01"), 2},
    {B("-"), 1},
    {B("-a"), 1},
    {B("1.e5"), 2},
    {B("\"\\u12G4\""), 5},
    {B("\"\\uDC00\""), 1},
    {B("\"\\uDCZZ\""), 1},
    {B("\"\\uD800\""), 1},
    {B("\"\\uD800\\u0041\""), 1},
    {B("\"\\uD800"), 1},
    {B("\"\\uD80"), 6},
    {B("\xEF\xBB\xBF{}"), 0},
    {B(" \xEF\xBB\xBF{}"), 1},
    /* Offsets count bytes. */
    {B("\xC3\xA9"), 0},
    {B("[\"\xC3\xA9\",\xC3\xA9]"), 6},
    /* A character that cannot appear there. */
    {B("[1 2]"), 3},
    {B("{\"a\" 1}"), 5},
    {B("[}"), 1},
    {B("{]"), 1},
    {B("\"a\tb\""), 2},
    /* A control character inside a string. */
    {B("\"a\n\""), 2},
    {B("\"a\0\""), 2},
    {B("\"\x1F\""), 1},
    /* A bad escape. */
    {B("\"\\U0041\""), 2},
    {B("\"\\'\""), 2},
    {B("\"\\a\""), 2},
    {B("\"\\\n\""), 2},
    /* A \u escape with a non-hex digit. */
    {B("\"\\uGGGG\""), 3},
    {B("\"\\u12\""), 5},
    {B("\"\\u00g0\""), 5},
    /* Leading zeros. */
    {B("00"), 1},
    {B("[01]"), 2},
    {B("-00"), 2},
    /* A number missing digits. */
    {B("1e"), 2},
    {B("1e+"), 3},
    {B("1E-"), 3},
    {B("[1.]"), 3},
    {B("-Infinity"), 1},
    {B("[-]"), 2},
    {B("1.5e"), 4},
    {B("1E+x"), 3},
    {B("1.5e5.3"), 5},
    /* A number's first byte. */
    {B(".5"), 0},
    {B("+1"), 0},
    /* Literals. */
    {B("tru"), 3},
    {B("trUe"), 2},
    {B("nan"), 1},
    {B("NaN"), 0},
    {B("Infinity"), 0},
    {B("fals"), 4},
    {B("nul"), 3},
    {B("[True]"), 1},
    /* Trailing content. */
    {B("1 2"), 2},
    {B("{}}"), 2},
    {B("truex"), 4},
    {B("1x"), 1},
    {B("0x1F"), 1},
    {B("{\"a\":1}x"), 7},
    {B("[] []"), 3},
    /* Trailing commas. */
    {B("{\"a\":1,}"), 7},
    {B("[,1]"), 1},
    {B("{,}"), 1},
    /* Empty and whitespace-only input. */
    {B("   "), 3},
    {B("\t\r\n"), 3},
    /* Truncated documents. */
    {B("[1,"), 3},
    {B("{\"a\":"), 5},
    {B("\"abc"), 4},
    {B("\"\\u00"), 5},
    {B("["), 1},
    {B("{"), 1},
    {B("{\"a\""), 4},
    {B("\"\\"), 2},
    {B("\"\\u"), 3},
    {B("[1"), 2},
    {B("{\"a\":1"), 6},
    {B("-1.5e+"), 6},
    /* Objects. */
    {B("{1:2}"), 1},
    {B("{\"a\",}"), 4},
    {B("{\"a\":1 \"b\":2}"), 7},
    {B("{\"a\"::1}"), 5},
    {B("{'a':1}"), 1},
    /* A lone low surrogate escape. */
    {B("\"\\uDC\""), 1},
    {B("\"\\uDC"), 1},
    {B("\"\\udc"), 1},
    {B("\"a\\udfff\""), 2},
    {B("\"\\uDC00\\uD800\""), 1},
    {B("\"\\uDFFF\""), 1},
    /* A high surrogate escape not followed by a low one. */
    {B("\"\\uD800x\""), 1},
    {B("\"\\uD800\\n\""), 1},
    {B("\"\\uD800\\uD800\""), 1},
    {B("\"\\uD800\\uE000\""), 1},
    {B("\"\\uD800\\uDCZZ\""), 1},
    {B("\"\\uD800\\uDC0\""), 1},
    {B("\"\\uDBFF\\uDBFF\\uDC00\""), 1},
    {B("\"ab\\uDBFFc\""), 3},
    {B("{\"\\uD800\":1}"), 2},
    /* The input ends after a high surrogate escape. */
    {B("\"\\uD800\\"), 1},
    {B("\"\\uD800\\u"), 1},
    {B("\"\\uD800\\uDC"), 1},
    {B("\"\\uD800\\uDC0"), 1},
    {B("\"\\uD8"), 5},
    /* BOM. */
    {B("\xEF\xBB\xBF"), 0},
    {B("\xEF\xBB\xBF" "1"), 0},
    {B(" \xEF\xBB\xBF" "1"), 1},
    {B("[\xEF\xBB\xBF]"), 1},
    /* Whitespace outside the four allowed characters. */
    {B("\f1"), 0},
    {B("\v1"), 0},
    {B("\xC2\xA0" "1"), 0},
    {B("\xE2\x80\xA8" "1"), 0},
    {B("[1,\f2]"), 3},
    {B("\0"), 0},
    {B("1\0"), 1},
};

static void test_offsets(void) {
    for (size_t idx = 0; idx < sizeof offset_cases / sizeof *offset_cases; idx++) {
        check_offset(offset_cases[idx].input, offset_cases[idx].offset);
    }
}

/* An input and its minified form. */
typedef struct minify_case {
    bytes input;
    bytes expected;
} minify_case;

static const minify_case minify_cases[] = {
    /* The contract's example. */
    {B("{ \"b\" : [ 1 , { } ] , \"a\" : \"x y\" }"), B("{\"b\":[1,{}],\"a\":\"x y\"}")},
    /* Tokens are copied verbatim. */
    {B("[1.0, -0, 1E+2, 1e400, 0.05, 1e05, 1E-007, -0.0e-0]"), B("[1.0,-0,1E+2,1e400,0.05,1e05,1E-007,-0.0e-0]")},
    {B(" 1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890 "),
     B("1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890")},
    {B("[\"\\u00e9\", \"\\/\", \"\xC3\xA9\", \"\\uD83D\\uDE00\", \"\\ud83d\\ude00\", \"\\uDbFf\\uDfFf\"]"),
     B("[\"\\u00e9\",\"\\/\",\"\xC3\xA9\",\"\\uD83D\\uDE00\",\"\\ud83d\\ude00\",\"\\uDbFf\\uDfFf\"]")},
    {B("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\"]"), B("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\"]")},
    {B("[true , false , null]"), B("[true,false,null]")},
    /* Raw scalars that need no escape: DEL, U+2028, U+2029, U+FFFF, U+FEFF,
     * U+1F600. */
    {B("[\"\x7F\", \"\xE2\x80\xA8\xE2\x80\xA9\", \"\xEF\xBF\xBF\", \"\xEF\xBB\xBF\", \"\xF0\x9F\x98\x80\"]"),
     B("[\"\x7F\",\"\xE2\x80\xA8\xE2\x80\xA9\",\"\xEF\xBF\xBF\",\"\xEF\xBB\xBF\",\"\xF0\x9F\x98\x80\"]")},
    /* Whitespace inside strings is kept. */
    {B("[ \" a \\t b \" ]"), B("[\" a \\t b \"]")},
    /* Duplicate keys are kept, in input order; minify never sorts. */
    {B("{\"b\":1,\"a\":2,\"b\":3}"), B("{\"b\":1,\"a\":2,\"b\":3}")},
    /* Empty containers. */
    {B("[ ]"), B("[]")},
    {B("{ \t\r\n }"), B("{}")},
    {B("[[],{},[{}]]"), B("[[],{},[{}]]")},
    /* All four whitespace characters, anywhere outside tokens. */
    {B("\t\r\n [\t1\r,\n{ \"k\"\t:\r\"v\"\n}\t]\r\n "), B("[1,{\"k\":\"v\"}]")},
    /* Top-level scalars. */
    {B(" 1 "), B("1")},
    {B("\"\""), B("\"\"")},
    {B("null"), B("null")},
    {B("-0"), B("-0")},
};

static void test_minify(void) {
    for (size_t idx = 0; idx < sizeof minify_cases / sizeof *minify_cases; idx++) {
        const minify_case *c = &minify_cases[idx];
        expect_ok("minify", c->input, jsonfmt_minify(c->input.data, c->input.len), c->expected);
    }
}

/* An input, options and its formatted form. */
typedef struct format_case {
    bytes input;
    uint32_t indent;
    bool sort_keys;
    bytes expected;
} format_case;

static const format_case format_cases[] = {
    /* The contract's example, with indent 2 and 0. */
    {B("{\"a\":[1,{}],\"b\":{\"c\":null}}"), 2, false,
     B("{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": {\n    \"c\": null\n  }\n}")},
    {B("{\"a\":[1,{}],\"b\":{\"c\":null}}"), 0, false, B("{\n\"a\": [\n1,\n{}\n],\n\"b\": {\n\"c\": null\n}\n}")},
    /* Indent 4 and 16, the largest accepted. */
    {B("[1,[2]]"), 4, false, B("[\n    1,\n    [\n        2\n    ]\n]")},
    {B("[1]"), 16, false, B("[\n                1\n]")},
    /* Empty containers, whatever whitespace they had. */
    {B("[ ]"), 2, false, B("[]")},
    {B("{\n}"), 2, false, B("{}")},
    {B("{\"a\":{},\"b\":[ ]}"), 2, false, B("{\n  \"a\": {},\n  \"b\": []\n}")},
    /* Top-level scalars print as themselves, without whitespace. */
    {B(" \"x\" "), 2, false, B("\"x\"")},
    {B("\n1e400\n"), 2, false, B("1e400")},
    {B("true"), 2, false, B("true")},
    /* Tokens are copied verbatim; duplicate keys are kept in order. */
    {B("{\"\\u00e9\":\"\xC3\xA9\",\"\\u00e9\":-0.0}"), 2, false,
     B("{\n  \"\\u00e9\": \"\xC3\xA9\",\n  \"\\u00e9\": -0.0\n}")},
    /* A member's container opens on the key's line and closes at the
     * member's indentation. */
    {B("[{\"a\":[[]]}]"), 2, false, B("[\n  {\n    \"a\": [\n      []\n    ]\n  }\n]")},
    /* sort-keys: by decoded key, at every depth, objects in arrays too. */
    {B("{\"b\":1,\"a\":2}"), 2, true, B("{\n  \"a\": 2,\n  \"b\": 1\n}")},
    {B("[{\"b\":1,\"a\":{\"d\":[{\"f\":1,\"e\":2}],\"c\":2}}]"), 1, true,
     B("[\n {\n  \"a\": {\n   \"c\": 2,\n   \"d\": [\n    {\n     \"e\": 2,\n     \"f\": 1\n    }\n   ]\n  },\n"
       "  \"b\": 1\n }\n]")},
    {B("{\"b\":1,\"a\":2}"), 0, true, B("{\n\"a\": 2,\n\"b\": 1\n}")},
    /* Arrays keep their element order. */
    {B("[3,1,2]"), 0, true, B("[\n3,\n1,\n2\n]")},
    /* An escaped and an unescaped spelling compare equal, and the sort is
     * stable. */
    {B("{\"\\u0061\":1,\"a\":2,\"\\u0061\":3,\"\\u0041\":4}"), 0, true,
     B("{\n\"\\u0041\": 4,\n\"\\u0061\": 1,\n\"a\": 2,\n\"\\u0061\": 3\n}")},
    {B("{\"\\/\":1,\"/\":2,\".\":3}"), 0, true, B("{\n\".\": 3,\n\"\\/\": 1,\n\"/\": 2\n}")},
    /* "\u007a" sorts after "b", though its first byte is smaller. */
    {B("{\"\\u007a\":1,\"b\":2}"), 0, true, B("{\n\"b\": 2,\n\"\\u007a\": 1\n}")},
    /* Code-point order, not UTF-16 order: U+FF61 before U+1F600, raw or
     * escaped. */
    {B("{\"\xF0\x9F\x98\x80\":1,\"\xEF\xBD\xA1\":2}"), 0, true,
     B("{\n\"\xEF\xBD\xA1\": 2,\n\"\xF0\x9F\x98\x80\": 1\n}")},
    {B("{\"\\uD83D\\uDE00\":1,\"\\uFF61\":2}"), 0, true, B("{\n\"\\uFF61\": 2,\n\"\\uD83D\\uDE00\": 1\n}")},
    {B("{\"\\ud83d\\ude00\":1,\"\xEF\xBD\xA1\":2,\"\xF0\x9F\x98\x80\":3}"), 0, true,
     B("{\n\"\xEF\xBD\xA1\": 2,\n\"\\ud83d\\ude00\": 1,\n\"\xF0\x9F\x98\x80\": 3\n}")},
    {B("{\"\\uFFFF\":1,\"\\uD800\\uDC00\":2,\"\\uE000\":3}"), 0, true,
     B("{\n\"\\uE000\": 3,\n\"\\uFFFF\": 1,\n\"\\uD800\\uDC00\": 2\n}")},
    /* A proper prefix sorts first; "" before everything. */
    {B("{\"ab\":1,\"a\":2,\"\":3}"), 0, true, B("{\n\"\": 3,\n\"a\": 2,\n\"ab\": 1\n}")},
    {B("{\"\\u0000\":1,\"\":2}"), 0, true, B("{\n\"\": 2,\n\"\\u0000\": 1\n}")},
    /* Escapes decode: \t (U+0009) < \n (U+000A) < '"' < '[' < '\'. */
    {B("{\"\\\\\":1,\"[\":2,\"\\\"\":3,\"\\n\":4,\"\\t\":5}"), 0, true,
     B("{\n\"\\t\": 5,\n\"\\n\": 4,\n\"\\\"\": 3,\n\"[\": 2,\n\"\\\\\": 1\n}")},
    /* Duplicates keep their input order. */
    {B("{\"b\":1,\"a\":1,\"b\":2,\"a\":2}"), 0, true, B("{\n\"a\": 1,\n\"a\": 2,\n\"b\": 1,\n\"b\": 2\n}")},
    /* Whole members move, nested objects sorted first. */
    {B("{\"z\":{\"y\":1,\"x\":[{\"w\":1,\"v\":2}]},\"a\":0}"), 2, true,
     B("{\n  \"a\": 0,\n  \"z\": {\n    \"x\": [\n      {\n        \"v\": 2,\n        \"w\": 1\n      }\n    ],\n"
       "    \"y\": 1\n  }\n}")},
};

static void test_format(void) {
    for (size_t idx = 0; idx < sizeof format_cases / sizeof *format_cases; idx++) {
        const format_case *c = &format_cases[idx];
        expect_ok(c->sort_keys ? "format sort-keys" : "format", c->input,
                  format_with(c->input, c->indent, c->sort_keys), c->expected);
    }
}

/* Formatting and minifying one another's output: minify(format(x)) is
 * minify(x), and format(minify(x)) is format(x), for every valid input of the
 * tables above. */
static void check_round_trips(bytes input) {
    jsonfmt_result minified = jsonfmt_minify(input.data, input.len);
    jsonfmt_result formatted = format_with(input, 3, false);
    if (minified.status != JSONFMT_OK || formatted.status != JSONFMT_OK) {
        report(false, "round trip: not accepted by both", input, formatted, "", 0);
    } else {
        bytes minified_bytes = {minified.text, minified.len};
        bytes formatted_bytes = {formatted.text, formatted.len};
        expect_ok("minify(format(x))", input, jsonfmt_minify(formatted.text, formatted.len), minified_bytes);
        expect_ok("format(minify(x))", input, format_with(minified_bytes, 3, false), formatted_bytes);
    }
    free(minified.text);
    free(formatted.text);
}

static void test_round_trips(void) {
    for (size_t idx = 0; idx < sizeof minify_cases / sizeof *minify_cases; idx++) {
        check_round_trips(minify_cases[idx].input);
    }
    for (size_t idx = 0; idx < sizeof format_cases / sizeof *format_cases; idx++) {
        check_round_trips(format_cases[idx].input);
    }
}

/* Options are checked first: indent 17 is invalid for every input. */
static void test_options(void) {
    static const bytes inputs[] = {B("[1]"), B(""), B("[1,]"), B("\xEF\xBB\xBF")};
    static const uint32_t bad_indents[] = {17, 100, 4294967295u};
    for (size_t input_idx = 0; input_idx < sizeof inputs / sizeof *inputs; input_idx++) {
        for (size_t indent_idx = 0; indent_idx < sizeof bad_indents / sizeof *bad_indents; indent_idx++) {
            for (int sort_keys = 0; sort_keys < 2; sort_keys++) {
                bytes input = inputs[input_idx];
                jsonfmt_result res = format_with(input, bad_indents[indent_idx], sort_keys);
                static const char prefix[] = "invalid options: ";
                bool ok = res.status == JSONFMT_INVALID_OPTIONS && res.len > sizeof prefix - 1 &&
                          memcmp(res.text, prefix, sizeof prefix - 1) == 0;
                report(ok, "invalid options", input, res, prefix, sizeof prefix - 1);
                free(res.text);
            }
        }
    }
    /* No options means indent 2 and no sort-keys. */
    bytes input = BYTES("{\"b\":[1],\"a\":2}");
    expect_ok("format without options", input, jsonfmt_format(input.data, input.len, NULL),
              BYTES("{\n  \"b\": [\n    1\n  ],\n  \"a\": 2\n}"));
}

/* Repeats text count times, then appends tail. */
static bytes repeat(const char *text, size_t count, const char *tail) {
    size_t text_len = strlen(text);
    size_t tail_len = strlen(tail);
    char *data = malloc(text_len * count + tail_len + 1);
    if (data == NULL) {
        abort();
    }
    for (size_t idx = 0; idx < count; idx++) {
        memcpy(data + idx * text_len, text, text_len);
    }
    memcpy(data + text_len * count, tail, tail_len + 1);
    return (bytes){data, text_len * count + tail_len};
}

/* Nests count containers: count times open, then middle, then count times
 * close. */
static bytes nest(const char *open, size_t count, const char *middle, const char *close) {
    bytes opened = repeat(open, count, middle);
    bytes closed = repeat(close, count, "");
    char *data = malloc(opened.len + closed.len);
    if (data == NULL) {
        abort();
    }
    memcpy(data, opened.data, opened.len);
    memcpy(data + opened.len, closed.data, closed.len);
    free((char *)opened.data);
    free((char *)closed.data);
    return (bytes){data, opened.len + closed.len};
}

/* Depth 256 is accepted; the bracket that opens depth 257 is the error. */
static void test_depth(void) {
    bytes arrays_256 = nest("[", 256, "", "]");
    expect_ok("minify depth 256", arrays_256, jsonfmt_minify(arrays_256.data, arrays_256.len), arrays_256);
    check_round_trips(arrays_256);
    free((char *)arrays_256.data);

    bytes objects_256 = nest("{\"a\":", 256, "1", "}");
    expect_ok("minify depth 256 objects", objects_256, jsonfmt_minify(objects_256.data, objects_256.len),
              objects_256);
    check_round_trips(objects_256);
    jsonfmt_result sorted = format_with(objects_256, 16, true);
    expect_ok("format depth 256 objects sort-keys indent 16", objects_256, sorted,
              (bytes){sorted.status == JSONFMT_OK ? sorted.text : "", sorted.status == JSONFMT_OK ? sorted.len : 0});
    free((char *)objects_256.data);

    /* The deepest container of 127 array-object pairs and two more arrays is
     * the 256th; with indent 16 its line has 255 * 16 spaces before "[]". */
    bytes mixed = nest("[{\"k\":", 127, "[[]]", "}]");
    jsonfmt_result formatted = format_with(mixed, 16, false);
    const char *deepest = NULL;
    for (size_t idx = 0; formatted.status == JSONFMT_OK && idx + 1 < formatted.len && deepest == NULL; idx++) {
        if (formatted.text[idx] == '[' && formatted.text[idx + 1] == ']') {
            deepest = formatted.text + idx;
        }
    }
    bool ok = deepest != NULL && deepest - formatted.text > 255 * 16 && deepest[-255 * 16 - 1] == '\n';
    for (size_t idx = 1; ok && idx <= 255 * 16; idx++) {
        ok = deepest[-(ptrdiff_t)idx] == ' ';
    }
    report(ok, "format depth 256 indentation", mixed, formatted, "a newline and 255 * 16 spaces before []", 40);
    free(formatted.text);
    free((char *)mixed.data);

    bytes cases_input[5];
    size_t cases_offset[5];
    cases_input[0] = nest("[", 257, "", "]");
    cases_offset[0] = 256;
    cases_input[1] = repeat("[", 257, "");
    cases_offset[1] = 256;
    cases_input[2] = repeat("[", 256, "");
    cases_offset[2] = 256;
    cases_input[3] = nest("{\"a\":", 257, "1", "}");
    cases_offset[3] = 1280;
    cases_input[4] = repeat("[", 300, "");
    cases_offset[4] = 256;
    for (size_t idx = 0; idx < 5; idx++) {
        check_offset(cases_input[idx], cases_offset[idx]);
        free((char *)cases_input[idx].data);
    }
    /* An empty container at depth 257 is an error too. */
    bytes empty_257 = nest("[", 256, "{}", "]");
    check_offset(empty_257, 256);
    free((char *)empty_257.data);
}

/* Sorting many members: 1000 keys in reverse order with duplicates, whose
 * values record their input order, come out sorted and stable. */
static void test_many_members(void) {
    enum { n_members = 1000 };
    char *input = malloc(n_members * 32 + 2);
    char *expected = malloc(n_members * 32 + 2);
    if (input == NULL || expected == NULL) {
        abort();
    }
    size_t input_len = 0;
    input[input_len++] = '{';
    for (int idx = 0; idx < n_members; idx++) {
        /* Keys k499 down to k000, twice; the second time escaped. */
        int key = (n_members / 2 - 1) - idx % (n_members / 2);
        const char *format = idx < n_members / 2 ? "%s\"k%03d\":%d" : "%s\"\\u006b%03d\":%d";
        input_len += (size_t)sprintf(input + input_len, format, idx > 0 ? "," : "", key, idx);
    }
    input[input_len++] = '}';
    size_t expected_len = 0;
    expected[expected_len++] = '{';
    for (int key = 0; key < n_members / 2; key++) {
        int first = n_members / 2 - 1 - key;
        expected_len += (size_t)sprintf(expected + expected_len, "%s\n\"k%03d\": %d,\n\"\\u006b%03d\": %d",
                                        key > 0 ? "," : "", key, first, key, first + n_members / 2);
    }
    expected_len += (size_t)sprintf(expected + expected_len, "\n}");
    bytes input_bytes = {input, input_len};
    expect_ok("sort 1000 members", input_bytes, format_with(input_bytes, 0, true), (bytes){expected, expected_len});
    free(input);
    free(expected);
}

/* Pieces that generated inputs are made of: structure, whitespace, keys with
 * and without escapes, surrogate halves, numbers, literals, a BOM and stray
 * bytes, so that most inputs are invalid at some interesting byte. */
static const char *const pieces[] = {
    "{", "}", "[", "]", ",", ":", " ", "\n", "\t",
    "\"a\"", "\"b\"", "\"\\u0061\"", "\"\\uD83D\\uDE00\"", "\"\xEF\xBD\xA1\"", "\"\\/\"", "\"\"", "\"\\u00e9\"",
    "\"\\uD800", "\\uDC00", "\"", "\\", "u", "D", "8", "x",
    "1", "-0", "1.5e3", "0", "true", "null",
    "\xC3\xA9", "\xEF\xBB\xBF", "{\"k\":", "[[", "]]", "}}",
};

/* A deterministic generator (a 64-bit LCG), so that every run sees the same
 * inputs. */
static uint64_t generator_state = 0x2545F4914F6CDD1Du;

static uint32_t next_random(uint32_t bound) {
    generator_state = generator_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(generator_state >> 33) % bound;
}

/* On generated inputs: minify, format and format with sort-keys agree on
 * whether an input is valid and on the offset of its error, and on valid
 * ones, minify(format(x)) is minify(x) without sort-keys and valid with it. */
static void test_generated(void) {
    enum { n_inputs = 20000 };
    char input[1024];
    int n_disagreements = 0;
    int n_valid = 0;
    for (int case_idx = 0; case_idx < n_inputs; case_idx++) {
        size_t len = 0;
        uint32_t n_pieces = next_random(40);
        for (uint32_t piece_idx = 0; piece_idx < n_pieces; piece_idx++) {
            const char *piece = pieces[next_random(sizeof pieces / sizeof *pieces)];
            size_t piece_len = strlen(piece);
            if (len + piece_len > sizeof input) {
                break;
            }
            memcpy(input + len, piece, piece_len);
            len += piece_len;
        }
        bytes input_bytes = {input, len};
        uint32_t indent = next_random(JSONFMT_MAX_INDENT + 1);
        jsonfmt_result minified = jsonfmt_minify(input, len);
        jsonfmt_result formatted = format_with(input_bytes, indent, false);
        jsonfmt_result sorted = format_with(input_bytes, indent, true);
        bool agree = minified.status == formatted.status && minified.status == sorted.status &&
                     minified.offset == formatted.offset && minified.offset == sorted.offset;
        if (agree && minified.status == JSONFMT_OK) {
            n_valid++;
            jsonfmt_result again = jsonfmt_minify(formatted.text, formatted.len);
            jsonfmt_result sorted_again = jsonfmt_minify(sorted.text, sorted.len);
            agree = again.status == JSONFMT_OK && again.len == minified.len &&
                    memcmp(again.text, minified.text, minified.len) == 0 && sorted_again.status == JSONFMT_OK &&
                    sorted_again.len == minified.len;
            free(again.text);
            free(sorted_again.text);
        }
        if (!agree && n_disagreements++ < 5) {
            report(false, "generated: modes disagree", input_bytes, formatted, "", 0);
        }
        free(minified.text);
        free(formatted.text);
        free(sorted.text);
    }
    if (n_disagreements == 0) {
        n_passed++;
    } else {
        n_failed += n_disagreements > 5 ? n_disagreements - 5 : 0;
    }
    /* The pieces make valid documents often enough to test the round trip. */
    report(n_valid > n_inputs / 200, "generated: enough valid inputs", (bytes){"", 0},
           (jsonfmt_result){.status = JSONFMT_OK}, "", 0);
}

int main(void) {
    test_offsets();
    test_minify();
    test_format();
    test_round_trips();
    test_options();
    test_depth();
    test_many_members();
    test_generated();
    printf("%d passed, %d failed\n", n_passed, n_failed);
    return n_failed == 0 ? 0 : 1;
}

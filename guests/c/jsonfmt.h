/*
 * jsonfmt: the example:json-tools@1.0.0 contract in plain C11.
 *
 * jsonfmt_format and jsonfmt_minify validate a JSON document and print it
 * again in one pass over the input, copying every token (strings, numbers,
 * true, false, null) byte for byte.  Nothing recurses: the kind of each open
 * container is kept in a 256-bit stack, so the deepest accepted document
 * (depth 256) needs no more C stack than a flat one.
 *
 * The library has no WebAssembly dependency: the component glue in
 * component.c wraps it, and its unit tests (test_jsonfmt.c) run natively.
 * It needs only malloc, realloc, free, memcpy, memmove, memcmp and memset.
 *
 * The normative text is contracts/json-tools/contract.md; the WIT is contracts/json-tools/wit/json-tools.wit.
 */
#ifndef JSONFMT_H
#define JSONFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The deepest nesting of arrays and objects that the contract accepts. */
#define JSONFMT_MAX_DEPTH 256

/* The largest indent, in spaces per level, that the contract accepts. */
#define JSONFMT_MAX_INDENT 16

/* The layout options of jsonfmt_format: the WIT format-options record. */
typedef struct jsonfmt_options {
    /* Spaces per nesting level, 0 to 16; indent 0 still puts every element
     * on its own line. */
    uint32_t indent;
    /* Order the members of every object by the decoded value of their keys,
     * in code-point order; the sort is stable. */
    bool sort_keys;
} jsonfmt_options;

/* What a call came to. */
typedef enum jsonfmt_status {
    /* text is the output. */
    JSONFMT_OK = 0,
    /* text is "invalid options: ..."; the input was not looked at. */
    JSONFMT_INVALID_OPTIONS,
    /* text is "at byte N: ..." and offset is N. */
    JSONFMT_SYNTAX_ERROR,
    /* malloc or realloc failed; text is NULL. */
    JSONFMT_OUT_OF_MEMORY,
} jsonfmt_status;

/* The result of a call.
 *
 * text is allocated with malloc and owned by the caller, who frees it or
 * hands it on (the component glue hands it to the canonical ABI, whose
 * post-return function frees it).  It is not NUL-terminated: use len. */
typedef struct jsonfmt_result {
    jsonfmt_status status;
    char *text;
    size_t len;
    /* The contract's error offset, for JSONFMT_SYNTAX_ERROR; else 0. */
    size_t offset;
} jsonfmt_result;

/* Validates input and pretty-prints it.
 *
 * A NULL options means indent 2 and no sort-keys.  An indent greater than
 * JSONFMT_MAX_INDENT is JSONFMT_INVALID_OPTIONS whatever the input. */
jsonfmt_result jsonfmt_format(const char *input, size_t input_len, const jsonfmt_options *options);

/* Validates input and prints it with no whitespace outside strings. */
jsonfmt_result jsonfmt_minify(const char *input, size_t input_len);

#endif

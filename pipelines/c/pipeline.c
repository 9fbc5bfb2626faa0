/*
 * The C pipeline: normalize(x) = minify(format(x, indent 2, sort-keys)),
 * computed by calling the imported example:json-tools formatter, which the
 * harness links in from a formatter guest in any language.  On the way it
 * checks the contract's invariants on that formatter and reports a violated
 * one as an error that names it (contracts/json-pipeline/contract.md).
 *
 * The bindings (bindings/pipeline.{c,h}) are generated at build time by
 * `wit-bindgen c`.  Ownership follows wit-bindgen's C convention: an export
 * owns its arguments (so normalize frees its input) and hands its result to
 * the bindings, which free it after the caller has copied it; an import
 * borrows its arguments, and its results belong to the caller.
 */
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"

static example_json_tools_formatter_format_options_t sorted_options(void) {
    example_json_tools_formatter_format_options_t options = {.indent = 2, .sort_keys = true};
    return options;
}

static bool same(const pipeline_string_t *left, const pipeline_string_t *right) {
    return left->len == right->len && (left->len == 0 || memcmp(left->ptr, right->ptr, left->len) == 0);
}

/* Sets *err to "invariant violated: <invariant>: <detail>". */
static void violated(pipeline_string_t *err, const char *invariant, const pipeline_string_t *detail) {
    static const char prefix[] = "invariant violated: ";
    size_t invariant_len = strlen(invariant);
    size_t detail_len = detail != NULL ? detail->len : 0;
    size_t len = sizeof(prefix) - 1 + invariant_len + (detail_len > 0 ? 2 + detail_len : 0);
    uint8_t *text = malloc(len > 0 ? len : 1);
    if (text == NULL) {
        abort();
    }
    size_t at = 0;
    memcpy(text + at, prefix, sizeof(prefix) - 1);
    at += sizeof(prefix) - 1;
    memcpy(text + at, invariant, invariant_len);
    at += invariant_len;
    if (detail_len > 0) {
        memcpy(text + at, ": ", 2);
        at += 2;
        memcpy(text + at, detail->ptr, detail_len);
    }
    err->ptr = text;
    err->len = len;
}

/* format(input, sorted): true with *out set, or false with *failure set.
 * Both belong to the caller. */
static bool format_sorted(pipeline_string_t *input, pipeline_string_t *out, pipeline_string_t *failure) {
    example_json_tools_formatter_format_options_t options = sorted_options();
    return example_json_tools_formatter_format(input, &options, out, failure);
}

bool exports_example_pipeline_normalizer_normalize(pipeline_string_t *input, pipeline_string_t *ret,
                                                   pipeline_string_t *err) {
    pipeline_string_t formatted = {0}, minified = {0}, again = {0}, failure = {0};
    bool ok = false;
    /* An error of the first call is the input's: pass it on unchanged. */
    if (!format_sorted(input, &formatted, err)) {
        pipeline_string_free(input);
        return false;
    }
    pipeline_string_free(input);
    if (!example_json_tools_formatter_minify(&formatted, &minified, &failure)) {
        violated(err, "minify accepts format's output", &failure);
        goto done;
    }
    if (!format_sorted(&formatted, &again, &failure)) {
        violated(err, "format accepts its own output", &failure);
        goto done;
    }
    if (!same(&again, &formatted)) {
        violated(err, "format is idempotent: format(format(x)) differs from format(x)", NULL);
        goto done;
    }
    pipeline_string_free(&again);
    if (!example_json_tools_formatter_minify(&minified, &again, &failure)) {
        violated(err, "minify accepts its own output", &failure);
        goto done;
    }
    if (!same(&again, &minified)) {
        violated(err, "minify is a fixed point: minify(minify(x)) differs from minify(x)", NULL);
        goto done;
    }
    pipeline_string_free(&again);
    if (!format_sorted(&minified, &again, &failure)) {
        violated(err, "format accepts minify's output", &failure);
        goto done;
    }
    if (!same(&again, &formatted)) {
        violated(err, "format(minify(x)) == format(x): format of the minified text differs", NULL);
        goto done;
    }
    /* The result is handed over to the bindings, which free it. */
    *ret = minified;
    minified.ptr = NULL;
    minified.len = 0;
    ok = true;
done:
    pipeline_string_free(&formatted);
    pipeline_string_free(&minified);
    pipeline_string_free(&again);
    pipeline_string_free(&failure);
    return ok;
}

/*
 * The component glue: the exports of example:json-tools/formatter@1.0.0,
 * which wrap jsonfmt.
 *
 * The bindings (bindings/json_processor.{c,h}) are generated at build time by
 * `wit-bindgen c`; they lift the arguments, call these functions, and free
 * the results in the post-return functions.  Ownership follows wit-bindgen's C
 * convention: an export owns its arguments, so it frees the input, and it
 * hands its result strings to the bindings, which free them with free() once
 * the host has copied them.  jsonfmt allocates its results with malloc, so
 * they are handed over without a copy.
 */
#include <stdlib.h>

#include "json_processor.h"
#include "jsonfmt.h"

/* Hands a jsonfmt result to the bindings: true with *ok set, or false with
 * *err set.  Running out of memory has no form in the contract, so it traps,
 * as the bindings' own cabi_realloc does. */
static bool hand_over(jsonfmt_result res, json_processor_string_t *ok, json_processor_string_t *err) {
    if (res.status == JSONFMT_OUT_OF_MEMORY) {
        abort();
    }
    json_processor_string_t text = {.ptr = (uint8_t *)res.text, .len = res.len};
    if (res.status == JSONFMT_OK) {
        *ok = text;
        return true;
    }
    *err = text;
    return false;
}

bool exports_example_json_tools_formatter_format(json_processor_string_t *input,
                                                 exports_example_json_tools_formatter_format_options_t *maybe_options,
                                                 json_processor_string_t *ok, json_processor_string_t *err) {
    jsonfmt_options options;
    const jsonfmt_options *options_or_default = NULL;
    if (maybe_options != NULL) {
        options.indent = maybe_options->indent;
        options.sort_keys = maybe_options->sort_keys;
        options_or_default = &options;
    }
    jsonfmt_result res = jsonfmt_format((const char *)input->ptr, input->len, options_or_default);
    json_processor_string_free(input);
    return hand_over(res, ok, err);
}

bool exports_example_json_tools_formatter_minify(json_processor_string_t *input, json_processor_string_t *ok,
                                                 json_processor_string_t *err) {
    jsonfmt_result res = jsonfmt_minify((const char *)input->ptr, input->len);
    json_processor_string_free(input);
    return hand_over(res, ok, err);
}

/*
 * Unit tests of the exports in component.c, run natively by `make test`
 * under AddressSanitizer (with LeakSanitizer) and UBSan.
 *
 * Each test calls an export as the generated bindings do, with its arguments
 * allocated as a host allocates them, through the bindings' cabi_realloc
 * (so an empty string or list has the alignment as its pointer, which is no
 * allocation), checks the result against the rule of the WIT doc comment,
 * and frees the result with the generated *_free helper, which frees exactly
 * what the post-return function would.  So a leak, a double free, a free of
 * an argument's non-allocation or of memory that moved into the result fails
 * the run as surely as a wrong value.
 *
 * A few tests go through the generated export wrappers themselves and their
 * post-return functions (with native pointers the layout is the canonical
 * ABI's with 8-byte pointers), as a host would call them.  Last come
 * exhaustive and generated checks: next-char for every scalar value,
 * parse-u8 for every string of up to three digits and every single byte, and
 * reverse-string for 3,000 generated strings against an independent oracle.
 *
 * The run ends with "N passed, N failed" and exits non-zero on any failure.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "all_types.h"

typedef all_types_string_t string_t;
typedef exports_witness_all_types_types_point_t point_t;
typedef exports_witness_all_types_types_shape_t shape_t;
typedef exports_witness_all_types_types_segment_t segment_t;
typedef exports_witness_all_types_types_payload_t payload_t;
typedef exports_witness_all_types_types_step_t step_t;
typedef exports_witness_all_types_nested_list_option_result_list_tuple2_char32_option_s64_shape_t deep_t;
typedef exports_witness_all_types_nested_option_result_list_tuple2_char32_option_s64_shape_t deep_element_t;
typedef all_types_tuple2_char32_option_s64_t char_entry_t;
typedef exports_witness_all_types_compound_list_point_t point_list_t;
/* list<point> of the `nested` interface: the same layout, but a distinct
 * anonymous struct type in C, so the two are converted field by field. */
typedef exports_witness_all_types_nested_list_point_t nested_point_list_t;
static nested_point_list_t as_nested(point_list_t l) {
    return (nested_point_list_t){.ptr = l.ptr, .len = l.len};
}
static point_list_t as_compound(nested_point_list_t l) {
    return (point_list_t){.ptr = l.ptr, .len = l.len};
}
typedef exports_witness_all_types_nested_list_payload_t payload_list_t;
typedef exports_witness_all_types_nested_result_tuple2_single_string_list_point_t compound_result_t;

#define SHAPE(name) EXPORTS_WITNESS_ALL_TYPES_TYPES_SHAPE_##name
#define PAYLOAD(name) EXPORTS_WITNESS_ALL_TYPES_TYPES_PAYLOAD_##name
#define STEP(name) EXPORTS_WITNESS_ALL_TYPES_TYPES_STEP_##name
#define COLOR(name) EXPORTS_WITNESS_ALL_TYPES_TYPES_COLOR_##name
#define PERMS(name) EXPORTS_WITNESS_ALL_TYPES_TYPES_PERMS_##name
#define BIG(n) EXPORTS_WITNESS_ALL_TYPES_TYPES_BIG_C##n

/* The bindings define cabi_realloc without declaring it. */
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size);

/* The component-type object is a wasm object, which is not linked natively;
 * the bindings only reference this symbol of it to force it in. */
void __component_type_object_force_link_all_types(void);
void __component_type_object_force_link_all_types(void) {}

/* Some UTF-8: é (2 bytes), € (3 bytes), 😀 and 𝄞 (4 bytes). */
#define E_ACUTE "\xC3\xA9"
#define EURO "\xE2\x82\xAC"
#define GRIN "\xF0\x9F\x98\x80"
#define CLEF "\xF0\x9D\x84\x9E"

/* --- Checking -------------------------------------------------------- */

static int n_passed;
static int n_failed;
static const char *current_test;

static void check(bool ok, const char *expr, int line) {
    if (ok) {
        n_passed++;
        return;
    }
    n_failed++;
    printf("FAIL %s (line %d): %s\n", current_test, line, expr);
}

#define CHECK(cond) check((cond), #cond, __LINE__)

static uint32_t bits32(float x) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits;
}

static uint64_t bits64(double x) {
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits;
}

/* The same float: the same bits (so -0 differs from +0), or both NaN. */
static bool same_f32(float a, float b) {
    return (isnan(a) && isnan(b)) || bits32(a) == bits32(b);
}

static bool same_f64(double a, double b) {
    return (isnan(a) && isnan(b)) || bits64(a) == bits64(b);
}

/* --- Arguments, allocated as a host allocates them ----------------------- */

static void *host_alloc(size_t count, size_t size, size_t align) {
    return cabi_realloc(NULL, 0, align, count * size);
}

static void *host_copy(const void *src, size_t count, size_t size, size_t align) {
    void *dst = host_alloc(count, size, align);
    if (count > 0) {
        memcpy(dst, src, count * size);
    }
    return dst;
}

static string_t arg_str_n(const char *text, size_t len) {
    return (string_t){.ptr = host_copy(text, len, 1, 1), .len = len};
}

/* A string literal as an argument, embedded NULs included. */
#define ARG_STR(lit) arg_str_n((lit), sizeof(lit) - 1)

/* A list argument from the elements given, or an empty one. */
#define COUNT_OF(elem_type, ...) (sizeof((elem_type[]){__VA_ARGS__}) / sizeof(elem_type))
#define ARG_LIST(list_type, elem_type, ...)                                                                     \
    ((list_type){.ptr = host_copy((elem_type[]){__VA_ARGS__}, COUNT_OF(elem_type, __VA_ARGS__), sizeof(elem_type), \
                                  _Alignof(elem_type)),                                                          \
                 .len = COUNT_OF(elem_type, __VA_ARGS__)})
#define ARG_EMPTY(list_type, elem_type) ((list_type){.ptr = host_alloc(0, sizeof(elem_type), _Alignof(elem_type)), .len = 0})

/* Templates: values that point at literals and stack arrays, never freed;
 * the clone_* functions below copy them into host-allocated arguments. */
#define T_STR(lit) ((string_t){.ptr = (uint8_t *)(lit), .len = sizeof(lit) - 1})
#define T_LIST(list_type, elem_type, ...) \
    ((list_type){.ptr = (elem_type[]){__VA_ARGS__}, .len = COUNT_OF(elem_type, __VA_ARGS__)})
#define T_EMPTY(list_type) ((list_type){.ptr = NULL, .len = 0})

static bool str_is_n(string_t s, const char *text, size_t len) {
    return s.len == len && (len == 0 || memcmp(s.ptr, text, len) == 0);
}

#define STR_IS(s, lit) str_is_n((s), (lit), sizeof(lit) - 1)

static bool same_str(string_t a, string_t b) {
    return str_is_n(a, (const char *)b.ptr, b.len);
}

/* --- Clones and comparisons of compound values ------------------------- */

static string_t clone_str(string_t t) {
    return arg_str_n((const char *)t.ptr, t.len);
}

static point_t clone_point(const point_t *t) {
    return (point_t){.x = t->x, .y = t->y, .label = clone_str(t->label)};
}

static bool same_point(const point_t *a, const point_t *b) {
    return a->x == b->x && a->y == b->y && same_str(a->label, b->label);
}

static point_list_t clone_points(point_list_t t) {
    point_list_t list = {.ptr = host_alloc(t.len, sizeof(point_t), _Alignof(point_t)), .len = t.len};
    for (size_t idx = 0; idx < t.len; idx++) {
        list.ptr[idx] = clone_point(&t.ptr[idx]);
    }
    return list;
}

static bool same_points(point_list_t a, point_list_t b) {
    if (a.len != b.len) {
        return false;
    }
    for (size_t idx = 0; idx < a.len; idx++) {
        if (!same_point(&a.ptr[idx], &b.ptr[idx])) {
            return false;
        }
    }
    return true;
}

static shape_t clone_shape(const shape_t *t) {
    shape_t s = *t;
    if (t->tag == SHAPE(RECT)) {
        s.val.rect = clone_point(&t->val.rect);
    } else if (t->tag == SHAPE(NAMED)) {
        s.val.named = clone_str(t->val.named);
    }
    return s;
}

static bool same_shape(const shape_t *a, const shape_t *b) {
    if (a->tag != b->tag) {
        return false;
    }
    switch (a->tag) {
    case SHAPE(CIRCLE):
        return same_f64(a->val.circle, b->val.circle);
    case SHAPE(RECT):
        return same_point(&a->val.rect, &b->val.rect);
    case SHAPE(NAMED):
        return same_str(a->val.named, b->val.named);
    default:
        return true;
    }
}

static all_types_list_string_t clone_strings(all_types_list_string_t t) {
    all_types_list_string_t list = {.ptr = host_alloc(t.len, sizeof(string_t), _Alignof(string_t)), .len = t.len};
    for (size_t idx = 0; idx < t.len; idx++) {
        list.ptr[idx] = clone_str(t.ptr[idx]);
    }
    return list;
}

static bool same_strings(all_types_list_string_t a, all_types_list_string_t b) {
    if (a.len != b.len) {
        return false;
    }
    for (size_t idx = 0; idx < a.len; idx++) {
        if (!same_str(a.ptr[idx], b.ptr[idx])) {
            return false;
        }
    }
    return true;
}

static segment_t clone_segment(const segment_t *t) {
    segment_t s = *t;
    s.start = clone_point(&t->start);
    s.end = clone_point(&t->end);
    s.tags = clone_strings(t->tags);
    if (t->note.is_some) {
        s.note.val = clone_str(t->note.val);
    }
    return s;
}

static bool same_segment(const segment_t *a, const segment_t *b) {
    return same_point(&a->start, &b->start) && same_point(&a->end, &b->end) && same_strings(a->tags, b->tags) &&
           a->weight.is_some == b->weight.is_some && (!a->weight.is_some || same_f64(a->weight.val, b->weight.val)) &&
           a->note.is_some == b->note.is_some && (!a->note.is_some || same_str(a->note.val, b->note.val));
}

static payload_t clone_payload(const payload_t *t) {
    payload_t p = *t;
    switch (t->tag) {
    case PAYLOAD(TEXT):
        p.val.text = clone_str(t->val.text);
        break;
    case PAYLOAD(BYTES):
        p.val.bytes.ptr = host_copy(t->val.bytes.ptr, t->val.bytes.len, 1, 1);
        break;
    case PAYLOAD(POINT):
        p.val.point = clone_point(&t->val.point);
        break;
    case PAYLOAD(OUTCOME):
        if (t->val.outcome.is_err) {
            p.val.outcome.val.err = clone_str(t->val.outcome.val.err);
        }
        break;
    case PAYLOAD(PAIR):
        p.val.pair.f1 = clone_str(t->val.pair.f1);
        break;
    case PAYLOAD(SHAPE):
        p.val.shape = clone_shape(&t->val.shape);
        break;
    default:
        break;
    }
    return p;
}

static bool same_payload(const payload_t *a, const payload_t *b) {
    if (a->tag != b->tag) {
        return false;
    }
    switch (a->tag) {
    case PAYLOAD(NOTHING):
        return true;
    case PAYLOAD(BOOLEAN):
        return a->val.boolean == b->val.boolean;
    case PAYLOAD(INT8):
        return a->val.int8 == b->val.int8;
    case PAYLOAD(UINT8):
        return a->val.uint8 == b->val.uint8;
    case PAYLOAD(INT16):
        return a->val.int16 == b->val.int16;
    case PAYLOAD(UINT16):
        return a->val.uint16 == b->val.uint16;
    case PAYLOAD(INT32):
        return a->val.int32 == b->val.int32;
    case PAYLOAD(UINT32):
        return a->val.uint32 == b->val.uint32;
    case PAYLOAD(INT64):
        return a->val.int64 == b->val.int64;
    case PAYLOAD(UINT64):
        return a->val.uint64 == b->val.uint64;
    case PAYLOAD(FLOAT32):
        return same_f32(a->val.float32, b->val.float32);
    case PAYLOAD(FLOAT64):
        return same_f64(a->val.float64, b->val.float64);
    case PAYLOAD(LETTER):
        return a->val.letter == b->val.letter;
    case PAYLOAD(TEXT):
        return same_str(a->val.text, b->val.text);
    case PAYLOAD(BYTES):
        return a->val.bytes.len == b->val.bytes.len &&
               (a->val.bytes.len == 0 || memcmp(a->val.bytes.ptr, b->val.bytes.ptr, a->val.bytes.len) == 0);
    case PAYLOAD(POINT):
        return same_point(&a->val.point, &b->val.point);
    case PAYLOAD(COLOR):
        return a->val.color == b->val.color;
    case PAYLOAD(PERMS):
        return a->val.perms == b->val.perms;
    case PAYLOAD(MAYBE):
        return a->val.maybe.is_some == b->val.maybe.is_some &&
               (!a->val.maybe.is_some || a->val.maybe.val == b->val.maybe.val);
    case PAYLOAD(OUTCOME):
        return a->val.outcome.is_err == b->val.outcome.is_err &&
               (a->val.outcome.is_err ? same_str(a->val.outcome.val.err, b->val.outcome.val.err)
                                      : a->val.outcome.val.ok == b->val.outcome.val.ok);
    case PAYLOAD(PAIR):
        return a->val.pair.f0 == b->val.pair.f0 && same_str(a->val.pair.f1, b->val.pair.f1);
    case PAYLOAD(SHAPE):
        return same_shape(&a->val.shape, &b->val.shape);
    default:
        return false;
    }
}

static payload_list_t clone_payloads(payload_list_t t) {
    payload_list_t list = {.ptr = host_alloc(t.len, sizeof(payload_t), _Alignof(payload_t)), .len = t.len};
    for (size_t idx = 0; idx < t.len; idx++) {
        list.ptr[idx] = clone_payload(&t.ptr[idx]);
    }
    return list;
}

static bool same_payloads(payload_list_t a, payload_list_t b) {
    if (a.len != b.len) {
        return false;
    }
    for (size_t idx = 0; idx < a.len; idx++) {
        if (!same_payload(&a.ptr[idx], &b.ptr[idx])) {
            return false;
        }
    }
    return true;
}

static deep_t clone_deep(deep_t t) {
    deep_t d = {.ptr = host_alloc(t.len, sizeof(deep_element_t), _Alignof(deep_element_t)), .len = t.len};
    for (size_t idx = 0; idx < t.len; idx++) {
        const deep_element_t *from = &t.ptr[idx];
        deep_element_t *to = &d.ptr[idx];
        *to = *from;
        if (!from->is_some) {
            continue;
        }
        if (from->val.is_err) {
            to->val.val.err = clone_shape(&from->val.val.err);
        } else {
            to->val.val.ok.ptr = host_copy(from->val.val.ok.ptr, from->val.val.ok.len, sizeof(char_entry_t),
                                           _Alignof(char_entry_t));
        }
    }
    return d;
}

static bool same_deep(deep_t a, deep_t b) {
    if (a.len != b.len) {
        return false;
    }
    for (size_t idx = 0; idx < a.len; idx++) {
        const deep_element_t *x = &a.ptr[idx];
        const deep_element_t *y = &b.ptr[idx];
        if (x->is_some != y->is_some) {
            return false;
        }
        if (!x->is_some) {
            continue;
        }
        if (x->val.is_err != y->val.is_err) {
            return false;
        }
        if (x->val.is_err) {
            if (!same_shape(&x->val.val.err, &y->val.val.err)) {
                return false;
            }
            continue;
        }
        if (x->val.val.ok.len != y->val.val.ok.len) {
            return false;
        }
        for (size_t pos = 0; pos < x->val.val.ok.len; pos++) {
            const char_entry_t *p = &x->val.val.ok.ptr[pos];
            const char_entry_t *q = &y->val.val.ok.ptr[pos];
            if (p->f0 != q->f0 || p->f1.is_some != q->f1.is_some || (p->f1.is_some && p->f1.val != q->f1.val)) {
                return false;
            }
        }
    }
    return true;
}

/* --- scalars ------------------------------------------------------------ */

static void test_negate(void) {
    current_test = "negate";
    CHECK(exports_witness_all_types_scalars_negate(true) == false);
    CHECK(exports_witness_all_types_scalars_negate(false) == true);
}

static void test_bump(void) {
    current_test = "bump-signed";
    all_types_tuple4_s8_s16_s32_s64_t s;
    exports_witness_all_types_scalars_bump_signed(INT8_MAX, INT16_MAX, INT32_MAX, INT64_MAX, &s);
    CHECK(s.f0 == INT8_MIN && s.f1 == INT16_MIN && s.f2 == INT32_MIN && s.f3 == INT64_MIN);
    exports_witness_all_types_scalars_bump_signed(INT8_MIN, INT16_MIN, INT32_MIN, INT64_MIN, &s);
    CHECK(s.f0 == INT8_MIN + 1 && s.f1 == INT16_MIN + 1 && s.f2 == INT32_MIN + 1 && s.f3 == INT64_MIN + 1);
    exports_witness_all_types_scalars_bump_signed(-1, -1, -1, -1, &s);
    CHECK(s.f0 == 0 && s.f1 == 0 && s.f2 == 0 && s.f3 == 0);
    exports_witness_all_types_scalars_bump_signed(0, 126, 41, -43, &s);
    CHECK(s.f0 == 1 && s.f1 == 127 && s.f2 == 42 && s.f3 == -42);

    current_test = "bump-unsigned";
    all_types_tuple4_u8_u16_u32_u64_t u;
    exports_witness_all_types_scalars_bump_unsigned(UINT8_MAX, UINT16_MAX, UINT32_MAX, UINT64_MAX, &u);
    CHECK(u.f0 == 0 && u.f1 == 0 && u.f2 == 0 && u.f3 == 0);
    exports_witness_all_types_scalars_bump_unsigned(0, 0, 0, 0, &u);
    CHECK(u.f0 == 1 && u.f1 == 1 && u.f2 == 1 && u.f3 == 1);
    /* Above 2^53, where a double would round: 2^53 + 1 and 2^64 - 2. */
    exports_witness_all_types_scalars_bump_unsigned(127, 255, 0x7FFFFFFFu, 9007199254740992u, &u);
    CHECK(u.f0 == 128 && u.f1 == 256 && u.f2 == 0x80000000u && u.f3 == 9007199254740993u);
    exports_witness_all_types_scalars_bump_unsigned(254, 65534, 4294967294u, UINT64_MAX - 2, &u);
    CHECK(u.f0 == 255 && u.f1 == 65535 && u.f2 == 4294967295u && u.f3 == UINT64_MAX - 1);
}

static void halve(float x, double y, float want_x, double want_y) {
    all_types_tuple2_f32_f64_t r;
    exports_witness_all_types_scalars_halve(x, y, &r);
    CHECK(same_f32(r.f0, want_x));
    CHECK(same_f64(r.f1, want_y));
}

static void test_halve(void) {
    current_test = "halve";
    halve(1.0f, 1.0, 0.5f, 0.5);
    halve(-3.0f, -3.0, -1.5f, -1.5);
    halve(0.0f, 0.0, 0.0f, 0.0);
    halve(-0.0f, -0.0, -0.0f, -0.0);
    halve(INFINITY, -INFINITY, INFINITY, -INFINITY);
    halve(NAN, NAN, NAN, NAN);
    halve(FLT_MAX, DBL_MAX, 0x1.fffffep126f, 0x1.fffffffffffffp1022);
    /* Subnormal halves round to even in the type's own width: the least
     * subnormal halves to 0, three of it to two of it; f32 rounds at f32's
     * precision, not f64's (0x1.000002p-126f / 2 is 2^-127 + 2^-150, which
     * f32 can't hold: it rounds to 2^-127). */
    halve(0x1p-149f, 0x1p-1074, 0.0f, 0.0);
    halve(-0x1p-149f, -0x1p-1074, -0.0f, -0.0);
    halve(0x3p-149f, 0x3p-1074, 0x1p-148f, 0x1p-1073);
    halve(0x1.000002p-126f, 0x1.0000000000001p-1022, 0x1p-127f, 0x1p-1023);
    halve(FLT_MIN, DBL_MIN, 0x1p-127f, 0x1p-1023);
    halve(0.1f, 0.1, 0.05f, 0.05);
}

static void test_next_char(void) {
    current_test = "next-char";
    static const uint32_t cases[][2] = {
        {0, 1},           {'a', 'b'},           {0x7F, 0x80},       {0x7FF, 0x800},         {0xD7FE, 0xD7FF},
        {0xD7FF, 0xE000}, {0xE000, 0xE001},     {0xFFFF, 0x10000},  {0x1F600, 0x1F601},     {0x10FFFE, 0x10FFFF},
        {0x10FFFF, 0},
    };
    for (size_t idx = 0; idx < sizeof cases / sizeof cases[0]; idx++) {
        all_types_tuple2_u32_char32_t r;
        exports_witness_all_types_scalars_next_char(cases[idx][0], &r);
        CHECK(r.f0 == cases[idx][0] && r.f1 == cases[idx][1]);
    }
}

static void reverse(string_t in, string_t want) {
    string_t arg = clone_str(in);
    string_t ret;
    exports_witness_all_types_scalars_reverse_string(&arg, &ret);
    CHECK(same_str(ret, want));
    all_types_string_free(&ret);
}

static void test_reverse_string(void) {
    current_test = "reverse-string";
    reverse(T_STR(""), T_STR(""));
    reverse(T_STR("a"), T_STR("a"));
    reverse(T_STR("abc"), T_STR("cba"));
    reverse(T_STR("ab\0c"), T_STR("c\0ba"));
    reverse(T_STR("h" E_ACUTE "llo"), T_STR("oll" E_ACUTE "h"));
    reverse(T_STR("a" GRIN "b"), T_STR("b" GRIN "a"));
    reverse(T_STR("a" E_ACUTE EURO GRIN), T_STR(GRIN EURO E_ACUTE "a"));
    reverse(T_STR(GRIN CLEF), T_STR(CLEF GRIN));
    /* Scalar values, not grapheme clusters: e + U+0301 COMBINING ACUTE
     * becomes U+0301 + e. */
    reverse(T_STR("e\xCC\x81"), T_STR("\xCC\x81" "e"));
    /* U+10FFFF and U+E000, the scalars around the surrogates, and U+D7FF. */
    reverse(T_STR("\xF4\x8F\xBF\xBF\xEE\x80\x80\xED\x9F\xBF"), T_STR("\xED\x9F\xBF\xEE\x80\x80\xF4\x8F\xBF\xBF"));
}

static void test_echo_scalars(void) {
    current_test = "echo-scalars";
    string_t m = ARG_STR("m" GRIN);
    all_types_tuple13_bool_s8_u8_s16_u16_s32_u32_s64_u64_f32_f64_char32_string_t r;
    exports_witness_all_types_scalars_echo_scalars(true, INT8_MIN, UINT8_MAX, INT16_MIN, UINT16_MAX, INT32_MIN,
                                                   UINT32_MAX, INT64_MIN, UINT64_MAX, -0.0f, NAN, 0x10FFFF, &m, &r);
    CHECK(r.f0 == true && r.f1 == INT8_MIN && r.f2 == UINT8_MAX && r.f3 == INT16_MIN && r.f4 == UINT16_MAX);
    CHECK(r.f5 == INT32_MIN && r.f6 == UINT32_MAX && r.f7 == INT64_MIN && r.f8 == UINT64_MAX);
    CHECK(bits32(r.f9) == bits32(-0.0f) && isnan(r.f10) && r.f11 == 0x10FFFF);
    CHECK(STR_IS(r.f12, "m" GRIN));
    all_types_tuple13_bool_s8_u8_s16_u16_s32_u32_s64_u64_f32_f64_char32_string_free(&r);

    string_t empty = ARG_STR("");
    exports_witness_all_types_scalars_echo_scalars(false, 1, 2, 3, 4, 5, 6, 7, 9007199254740993u, 0x1p-149f, -0.0,
                                                   0, &empty, &r);
    CHECK(r.f0 == false && r.f1 == 1 && r.f2 == 2 && r.f3 == 3 && r.f4 == 4 && r.f5 == 5 && r.f6 == 6 && r.f7 == 7);
    CHECK(r.f8 == 9007199254740993u && bits32(r.f9) == 1 && bits64(r.f10) == bits64(-0.0) && r.f11 == 0);
    CHECK(r.f12.len == 0);
    all_types_tuple13_bool_s8_u8_s16_u16_s32_u32_s64_u64_f32_f64_char32_string_free(&r);
}

static void test_echo_wide(void) {
    current_test = "echo-wide";
    string_t m = ARG_STR("wide " EURO);
    all_types_list_u8_t n = ARG_LIST(all_types_list_u8_t, uint8_t, 0, 255, 128);
    uint32_t o = UINT32_MAX;
    all_types_tuple15_u8_u16_u32_u64_s8_s16_s32_s64_f32_f64_char32_bool_string_list_u8_option_u32_t r;
    exports_witness_all_types_scalars_echo_wide(UINT8_MAX, UINT16_MAX, UINT32_MAX, UINT64_MAX, INT8_MIN, INT16_MIN,
                                                INT32_MIN, INT64_MIN, -INFINITY, 0x1p-1074, 0xE000, true, &m, &n, &o,
                                                &r);
    CHECK(r.f0 == UINT8_MAX && r.f1 == UINT16_MAX && r.f2 == UINT32_MAX && r.f3 == UINT64_MAX);
    CHECK(r.f4 == INT8_MIN && r.f5 == INT16_MIN && r.f6 == INT32_MIN && r.f7 == INT64_MIN);
    CHECK(r.f8 == -INFINITY && bits64(r.f9) == 1 && r.f10 == 0xE000 && r.f11 == true);
    CHECK(STR_IS(r.f12, "wide " EURO));
    CHECK(r.f13.len == 3 && r.f13.ptr[0] == 0 && r.f13.ptr[1] == 255 && r.f13.ptr[2] == 128);
    CHECK(r.f14.is_some && r.f14.val == UINT32_MAX);
    all_types_tuple15_u8_u16_u32_u64_s8_s16_s32_s64_f32_f64_char32_bool_string_list_u8_option_u32_free(&r);

    m = ARG_STR("");
    n = ARG_EMPTY(all_types_list_u8_t, uint8_t);
    exports_witness_all_types_scalars_echo_wide(0, 0, 0, 0, 0, 0, 0, 0, NAN, -0.0, 0, false, &m, &n, NULL, &r);
    CHECK(isnan(r.f8) && bits64(r.f9) == bits64(-0.0) && r.f11 == false);
    CHECK(r.f12.len == 0 && r.f13.len == 0 && !r.f14.is_some);
    all_types_tuple15_u8_u16_u32_u64_s8_s16_s32_s64_f32_f64_char32_bool_string_list_u8_option_u32_free(&r);
}

/* --- compound ---------------------------------------------------------- */

static void test_reverse_bytes(void) {
    current_test = "reverse-bytes";
    all_types_list_u8_t l = ARG_EMPTY(all_types_list_u8_t, uint8_t);
    all_types_list_u8_t r;
    exports_witness_all_types_compound_reverse_bytes(&l, &r);
    CHECK(r.len == 0);
    all_types_list_u8_free(&r);

    l = ARG_LIST(all_types_list_u8_t, uint8_t, 0, 255, 128, 7);
    exports_witness_all_types_compound_reverse_bytes(&l, &r);
    CHECK(r.len == 4 && r.ptr[0] == 7 && r.ptr[1] == 128 && r.ptr[2] == 255 && r.ptr[3] == 0);
    all_types_list_u8_free(&r);

    /* Bytes, not characters: the two bytes of é swap. */
    l = ARG_LIST(all_types_list_u8_t, uint8_t, 0xC3, 0xA9);
    exports_witness_all_types_compound_reverse_bytes(&l, &r);
    CHECK(r.len == 2 && r.ptr[0] == 0xA9 && r.ptr[1] == 0xC3);
    all_types_list_u8_free(&r);
}

static void test_negate_all(void) {
    current_test = "negate-all";
    all_types_list_s32_t l = ARG_LIST(all_types_list_s32_t, int32_t, INT32_MIN, INT32_MAX, 0, -1, 1, -7);
    all_types_list_s32_t r;
    exports_witness_all_types_compound_negate_all(&l, &r);
    CHECK(r.len == 6 && r.ptr[0] == INT32_MIN && r.ptr[1] == -INT32_MAX && r.ptr[2] == 0 && r.ptr[3] == 1 &&
          r.ptr[4] == -1 && r.ptr[5] == 7);
    all_types_list_s32_free(&r);

    l = ARG_EMPTY(all_types_list_s32_t, int32_t);
    exports_witness_all_types_compound_negate_all(&l, &r);
    CHECK(r.len == 0);
    all_types_list_s32_free(&r);
}

static void test_bump_lists(void) {
    current_test = "bump-lists";
    all_types_list_s8_t a = ARG_LIST(all_types_list_s8_t, int8_t, INT8_MAX, INT8_MIN, -1, 0);
    all_types_list_u16_t b = ARG_LIST(all_types_list_u16_t, uint16_t, UINT16_MAX, 0, 255);
    all_types_list_s64_t c = ARG_LIST(all_types_list_s64_t, int64_t, INT64_MAX, INT64_MIN, -1);
    all_types_list_u64_t d = ARG_LIST(all_types_list_u64_t, uint64_t, UINT64_MAX, 9007199254740992u, 0);
    all_types_list_f32_t e = ARG_LIST(all_types_list_f32_t, float, 1.0f, -0.0f, 0x1p-149f, NAN, 0x1.000002p-126f);
    all_types_list_f64_t f = ARG_LIST(all_types_list_f64_t, double, 3.0, -0.0, 0x1p-1074, -INFINITY);
    all_types_tuple6_list_s8_list_u16_list_s64_list_u64_list_f32_list_f64_t r;
    exports_witness_all_types_compound_bump_lists(&a, &b, &c, &d, &e, &f, &r);
    CHECK(r.f0.len == 4 && r.f0.ptr[0] == INT8_MIN && r.f0.ptr[1] == INT8_MIN + 1 && r.f0.ptr[2] == 0 &&
          r.f0.ptr[3] == 1);
    CHECK(r.f1.len == 3 && r.f1.ptr[0] == 0 && r.f1.ptr[1] == 1 && r.f1.ptr[2] == 256);
    CHECK(r.f2.len == 3 && r.f2.ptr[0] == INT64_MIN && r.f2.ptr[1] == INT64_MIN + 1 && r.f2.ptr[2] == 0);
    CHECK(r.f3.len == 3 && r.f3.ptr[0] == 0 && r.f3.ptr[1] == 9007199254740993u && r.f3.ptr[2] == 1);
    CHECK(r.f4.len == 5 && same_f32(r.f4.ptr[0], 0.5f) && same_f32(r.f4.ptr[1], -0.0f) &&
          same_f32(r.f4.ptr[2], 0.0f) && isnan(r.f4.ptr[3]) && same_f32(r.f4.ptr[4], 0x1p-127f));
    CHECK(r.f5.len == 4 && same_f64(r.f5.ptr[0], 1.5) && same_f64(r.f5.ptr[1], -0.0) && same_f64(r.f5.ptr[2], 0.0) &&
          same_f64(r.f5.ptr[3], -INFINITY));
    all_types_tuple6_list_s8_list_u16_list_s64_list_u64_list_f32_list_f64_free(&r);

    a = ARG_EMPTY(all_types_list_s8_t, int8_t);
    b = ARG_EMPTY(all_types_list_u16_t, uint16_t);
    c = ARG_EMPTY(all_types_list_s64_t, int64_t);
    d = ARG_EMPTY(all_types_list_u64_t, uint64_t);
    e = ARG_EMPTY(all_types_list_f32_t, float);
    f = ARG_EMPTY(all_types_list_f64_t, double);
    exports_witness_all_types_compound_bump_lists(&a, &b, &c, &d, &e, &f, &r);
    CHECK(r.f0.len == 0 && r.f1.len == 0 && r.f2.len == 0 && r.f3.len == 0 && r.f4.len == 0 && r.f5.len == 0);
    all_types_tuple6_list_s8_list_u16_list_s64_list_u64_list_f32_list_f64_free(&r);
}

static void test_flip_lists(void) {
    current_test = "flip-lists";
    all_types_list_bool_t a = ARG_LIST(all_types_list_bool_t, bool, true, false, false);
    all_types_list_char32_t b = ARG_LIST(all_types_list_char32_t, uint32_t, 'a', 0xD7FF, 0x10FFFF, 0, 0xFFFF);
    all_types_list_string_t c = clone_strings(
        T_LIST(all_types_list_string_t, string_t, T_STR("x"), T_STR(""), T_STR("y" GRIN), T_STR("zz")));
    all_types_tuple3_list_bool_list_char32_list_string_t r;
    exports_witness_all_types_compound_flip_lists(&a, &b, &c, &r);
    CHECK(r.f0.len == 3 && r.f0.ptr[0] == false && r.f0.ptr[1] == true && r.f0.ptr[2] == true);
    CHECK(r.f1.len == 5 && r.f1.ptr[0] == 'b' && r.f1.ptr[1] == 0xE000 && r.f1.ptr[2] == 0 && r.f1.ptr[3] == 1 &&
          r.f1.ptr[4] == 0x10000);
    /* The list reversed, each string unchanged ("y😀" is not "😀y"). */
    CHECK(same_strings(r.f2, T_LIST(all_types_list_string_t, string_t, T_STR("zz"), T_STR("y" GRIN), T_STR(""),
                                    T_STR("x"))));
    all_types_tuple3_list_bool_list_char32_list_string_free(&r);

    a = ARG_EMPTY(all_types_list_bool_t, bool);
    b = ARG_EMPTY(all_types_list_char32_t, uint32_t);
    c = ARG_EMPTY(all_types_list_string_t, string_t);
    exports_witness_all_types_compound_flip_lists(&a, &b, &c, &r);
    CHECK(r.f0.len == 0 && r.f1.len == 0 && r.f2.len == 0);
    all_types_tuple3_list_bool_list_char32_list_string_free(&r);
}

static void swap(point_t in, point_t want) {
    point_t arg = clone_point(&in);
    point_t ret;
    exports_witness_all_types_compound_swap(&arg, &ret);
    CHECK(same_point(&ret, &want));
    exports_witness_all_types_types_point_free(&ret);
}

static void test_swap(void) {
    current_test = "swap";
    swap((point_t){INT32_MIN, INT32_MAX, T_STR("aBc-" E_ACUTE)}, (point_t){INT32_MAX, INT32_MIN, T_STR("ABC-" E_ACUTE)});
    swap((point_t){1, 2, T_STR("")}, (point_t){2, 1, T_STR("")});
    /* ASCII a-z only: the neighbours ` and { stay, and so do ß, ÿ (C3 BF)
     * and ı (dotless i, C4 B1), which other upper-casings change. */
    swap((point_t){0, 0, T_STR("`az{@AZ[ \xC3\x9F\xC3\xBF\xC4\xB1 x\0y")},
         (point_t){0, 0, T_STR("`AZ{@AZ[ \xC3\x9F\xC3\xBF\xC4\xB1 X\0Y")});
}

static void test_sum_points(void) {
    current_test = "sum-points";
    point_list_t ps = ARG_EMPTY(point_list_t, point_t);
    all_types_tuple2_u32_s64_t r;
    exports_witness_all_types_compound_sum_points(&ps, &r);
    CHECK(r.f0 == 0 && r.f1 == 0);

    /* Three times INT32_MAX: more than any 32-bit sum holds. */
    ps = clone_points(T_LIST(point_list_t, point_t, {INT32_MAX, 0, T_STR("a")}, {INT32_MAX, 5, T_STR("")},
                             {INT32_MAX, -5, T_STR("b" GRIN)}));
    exports_witness_all_types_compound_sum_points(&ps, &r);
    CHECK(r.f0 == 3 && r.f1 == 3 * (int64_t)INT32_MAX);

    ps = clone_points(
        T_LIST(point_list_t, point_t, {INT32_MIN, INT32_MAX, T_STR("")}, {INT32_MIN, 0, T_STR("x")}, {7, 0, T_STR("")}));
    exports_witness_all_types_compound_sum_points(&ps, &r);
    CHECK(r.f0 == 3 && r.f1 == 2 * (int64_t)INT32_MIN + 7);
}

static void test_reverse_points(void) {
    current_test = "reverse-points";
    point_list_t ps = clone_points(T_LIST(point_list_t, point_t, {1, 2, T_STR("one")}, {3, 4, T_STR("")},
                                          {5, 6, T_STR("th" E_ACUTE "ree")}));
    point_list_t r;
    exports_witness_all_types_compound_reverse_points(&ps, &r);
    CHECK(same_points(r, T_LIST(point_list_t, point_t, {6, 5, T_STR("TH" E_ACUTE "REE")}, {4, 3, T_STR("")},
                                {2, 1, T_STR("ONE")})));
    exports_witness_all_types_compound_list_point_free(&r);

    ps = ARG_EMPTY(point_list_t, point_t);
    exports_witness_all_types_compound_reverse_points(&ps, &r);
    CHECK(r.len == 0);
    exports_witness_all_types_compound_list_point_free(&r);
}

static void flip_segment(segment_t in, segment_t want) {
    segment_t arg = clone_segment(&in);
    segment_t ret;
    exports_witness_all_types_compound_flip_segment(&arg, &ret);
    CHECK(same_segment(&ret, &want));
    exports_witness_all_types_types_segment_free(&ret);
}

static void test_flip_segment(void) {
    current_test = "flip-segment";
    point_t a = {1, -2, T_STR("a")};
    point_t b = {INT32_MAX, INT32_MIN, T_STR("b" GRIN)};
    point_t empty = {0, 0, T_STR("")};
    all_types_list_string_t tags = T_LIST(all_types_list_string_t, string_t, T_STR("t1"), T_STR(""), T_STR(EURO));
    all_types_list_string_t tags_reversed =
        T_LIST(all_types_list_string_t, string_t, T_STR(EURO), T_STR(""), T_STR("t1"));
    all_types_list_string_t no_tags = T_EMPTY(all_types_list_string_t);
    all_types_option_f64_t none_f64 = {.is_some = false};
    all_types_option_string_t none_str = {.is_some = false};

    /* Labels unchanged (no upper-casing here), tags reversed, weight negated,
     * note with "!". */
    flip_segment((segment_t){a, b, tags, {true, 2.5}, {true, T_STR("n" E_ACUTE)}},
                 (segment_t){b, a, tags_reversed, {true, -2.5}, {true, T_STR("n" E_ACUTE "!")}});
    flip_segment((segment_t){empty, a, no_tags, none_f64, none_str}, (segment_t){a, empty, no_tags, none_f64, none_str});
    flip_segment((segment_t){a, a, no_tags, {true, 0.0}, {true, T_STR("")}},
                 (segment_t){a, a, no_tags, {true, -0.0}, {true, T_STR("!")}});
    flip_segment((segment_t){a, b, no_tags, {true, -0.0}, none_str}, (segment_t){b, a, no_tags, {true, 0.0}, none_str});
    flip_segment((segment_t){a, b, no_tags, {true, -INFINITY}, none_str},
                 (segment_t){b, a, no_tags, {true, INFINITY}, none_str});

    /* IEEE negation flips the sign bit of a NaN too. */
    segment_t arg = clone_segment(&(segment_t){a, b, no_tags, {true, NAN}, none_str});
    segment_t ret;
    exports_witness_all_types_compound_flip_segment(&arg, &ret);
    CHECK(ret.weight.is_some && isnan(ret.weight.val) && signbit(ret.weight.val) != signbit(NAN));
    exports_witness_all_types_types_segment_free(&ret);
}

static void test_bump_single(void) {
    current_test = "bump-single";
    exports_witness_all_types_compound_single_t r;
    exports_witness_all_types_compound_bump_single(&(exports_witness_all_types_compound_single_t){255}, &r);
    CHECK(r.value == 0);
    exports_witness_all_types_compound_bump_single(&(exports_witness_all_types_compound_single_t){0}, &r);
    CHECK(r.value == 1);
    exports_witness_all_types_compound_bump_single(&(exports_witness_all_types_compound_single_t){127}, &r);
    CHECK(r.value == 128);
}

static void test_rotate(void) {
    current_test = "rotate";
    all_types_tuple3_u8_string_char32_t t = {7, ARG_STR("s" GRIN), 0x10FFFF};
    all_types_tuple3_char32_u8_string_t r;
    exports_witness_all_types_compound_rotate(&t, &r);
    CHECK(r.f0 == 0x10FFFF && r.f1 == 7 && STR_IS(r.f2, "s" GRIN));
    all_types_tuple3_char32_u8_string_free(&r);

    t = (all_types_tuple3_u8_string_char32_t){255, ARG_STR(""), 0};
    exports_witness_all_types_compound_rotate(&t, &r);
    CHECK(r.f0 == 0 && r.f1 == 255 && r.f2.len == 0);
    all_types_tuple3_char32_u8_string_free(&r);
}

static void test_table(void) {
    current_test = "table";
    all_types_list_tuple2_string_option_list_s16_t rows = {
        .ptr = host_alloc(4, sizeof(all_types_tuple2_string_option_list_s16_t),
                          _Alignof(all_types_tuple2_string_option_list_s16_t)),
        .len = 4,
    };
    rows.ptr[0] = (all_types_tuple2_string_option_list_s16_t){
        ARG_STR("a"), {true, ARG_LIST(all_types_list_s16_t, int16_t, 1, INT16_MIN, INT16_MAX)}};
    rows.ptr[1] = (all_types_tuple2_string_option_list_s16_t){ARG_STR(""), {.is_some = false}};
    rows.ptr[2] = (all_types_tuple2_string_option_list_s16_t){ARG_STR("c" GRIN),
                                                             {true, ARG_EMPTY(all_types_list_s16_t, int16_t)}};
    rows.ptr[3] = (all_types_tuple2_string_option_list_s16_t){ARG_STR("dcba"),
                                                             {true, ARG_LIST(all_types_list_s16_t, int16_t, -1)}};
    all_types_list_tuple2_string_option_list_s16_t r;
    exports_witness_all_types_compound_table(&rows, &r);
    CHECK(r.len == 4);
    if (r.len == 4) {
        /* Row order reversed, each string unchanged, each list reversed. */
        CHECK(STR_IS(r.ptr[0].f0, "dcba") && r.ptr[0].f1.is_some && r.ptr[0].f1.val.len == 1 &&
              r.ptr[0].f1.val.ptr[0] == -1);
        CHECK(STR_IS(r.ptr[1].f0, "c" GRIN) && r.ptr[1].f1.is_some && r.ptr[1].f1.val.len == 0);
        CHECK(STR_IS(r.ptr[2].f0, "") && !r.ptr[2].f1.is_some);
        CHECK(STR_IS(r.ptr[3].f0, "a") && r.ptr[3].f1.is_some && r.ptr[3].f1.val.len == 3 &&
              r.ptr[3].f1.val.ptr[0] == INT16_MAX && r.ptr[3].f1.val.ptr[1] == INT16_MIN &&
              r.ptr[3].f1.val.ptr[2] == 1);
    }
    all_types_list_tuple2_string_option_list_s16_free(&r);

    rows = ARG_EMPTY(all_types_list_tuple2_string_option_list_s16_t, all_types_tuple2_string_option_list_s16_t);
    exports_witness_all_types_compound_table(&rows, &r);
    CHECK(r.len == 0);
    all_types_list_tuple2_string_option_list_s16_free(&r);
}

/* --- variants ---------------------------------------------------------- */

static shape_t circle(double r) {
    return (shape_t){.tag = SHAPE(CIRCLE), .val.circle = r};
}

static shape_t rect(point_t p) {
    return (shape_t){.tag = SHAPE(RECT), .val.rect = p};
}

static shape_t named(string_t s) {
    return (shape_t){.tag = SHAPE(NAMED), .val.named = s};
}

static const shape_t empty_shape = {.tag = SHAPE(EMPTY)};

static void mirror(shape_t in, shape_t want) {
    shape_t arg = clone_shape(&in);
    shape_t ret;
    exports_witness_all_types_variants_mirror(&arg, &ret);
    CHECK(same_shape(&ret, &want));
    exports_witness_all_types_types_shape_free(&ret);
}

static void test_mirror(void) {
    current_test = "mirror";
    mirror(circle(1.5), circle(-1.5));
    mirror(circle(0.0), circle(-0.0));
    mirror(circle(-0.0), circle(0.0));
    mirror(circle(INFINITY), circle(-INFINITY));
    mirror(rect((point_t){1, -2, T_STR("ab")}), rect((point_t){-2, 1, T_STR("AB")}));
    mirror(empty_shape, empty_shape);
    mirror(named(T_STR("a" GRIN "b")), named(T_STR("b" GRIN "a")));
    mirror(named(T_STR("")), named(T_STR("")));

    shape_t arg = circle(-NAN);
    shape_t ret;
    exports_witness_all_types_variants_mirror(&arg, &ret);
    CHECK(ret.tag == SHAPE(CIRCLE) && isnan(ret.val.circle) && !signbit(ret.val.circle));
}

static void test_next_color(void) {
    current_test = "next-color";
    CHECK(exports_witness_all_types_variants_next_color(COLOR(RED)) == COLOR(GREEN));
    CHECK(exports_witness_all_types_variants_next_color(COLOR(GREEN)) == COLOR(BLUE));
    CHECK(exports_witness_all_types_variants_next_color(COLOR(BLUE)) == COLOR(RED));
}

static void test_next_big(void) {
    current_test = "next-big";
    CHECK(exports_witness_all_types_variants_next_big(BIG(0)) == BIG(1));
    CHECK(exports_witness_all_types_variants_next_big(BIG(254)) == BIG(255));
    CHECK(exports_witness_all_types_variants_next_big(BIG(255)) == BIG(256));
    CHECK(exports_witness_all_types_variants_next_big(BIG(298)) == BIG(299));
    CHECK(exports_witness_all_types_variants_next_big(BIG(299)) == BIG(0));
    bool all = true;
    for (unsigned n = 0; n < 299; n++) {
        all = all && exports_witness_all_types_variants_next_big((uint16_t)n) == n + 1;
    }
    CHECK(all);
}

static payload_t pl(uint8_t tag) {
    return (payload_t){.tag = tag};
}

static void transform(payload_t in, payload_t want) {
    payload_t arg = clone_payload(&in);
    payload_t ret;
    exports_witness_all_types_variants_transform(&arg, &ret);
    CHECK(same_payload(&ret, &want));
    exports_witness_all_types_types_payload_free(&ret);
}

static void echo_payload(payload_t in) {
    payload_t arg = clone_payload(&in);
    payload_t ret;
    exports_witness_all_types_variants_echo_payload(&arg, &ret);
    CHECK(same_payload(&ret, &in));
    exports_witness_all_types_types_payload_free(&ret);
}

/* Each case of `payload` with its edges, as (input, transformed) pairs. */
static void payload_cases(void (*each)(payload_t in, payload_t want)) {
    payload_t in, want;
#define CASE(tag_name, field, from, to)    \
    in = pl(PAYLOAD(tag_name));            \
    in.val.field = from;                   \
    want = pl(PAYLOAD(tag_name));          \
    want.val.field = to;                   \
    each(in, want)

    each(pl(PAYLOAD(NOTHING)), pl(PAYLOAD(NOTHING)));
    CASE(BOOLEAN, boolean, true, false);
    CASE(BOOLEAN, boolean, false, true);
    CASE(INT8, int8, INT8_MAX, INT8_MIN);
    CASE(INT8, int8, -1, 0);
    CASE(UINT8, uint8, UINT8_MAX, 0);
    CASE(UINT8, uint8, 127, 128);
    CASE(INT16, int16, INT16_MAX, INT16_MIN);
    CASE(UINT16, uint16, UINT16_MAX, 0);
    CASE(INT32, int32, INT32_MAX, INT32_MIN);
    CASE(INT32, int32, -1, 0);
    CASE(UINT32, uint32, UINT32_MAX, 0);
    CASE(INT64, int64, INT64_MAX, INT64_MIN);
    CASE(INT64, int64, INT64_MIN, INT64_MIN + 1);
    CASE(UINT64, uint64, UINT64_MAX, 0);
    CASE(UINT64, uint64, 9007199254740992u, 9007199254740993u);
    CASE(FLOAT32, float32, 3.0f, 1.5f);
    CASE(FLOAT32, float32, -0.0f, -0.0f);
    CASE(FLOAT32, float32, 0x1p-149f, 0.0f);
    CASE(FLOAT32, float32, 0x1.000002p-126f, 0x1p-127f);
    CASE(FLOAT32, float32, NAN, NAN);
    CASE(FLOAT64, float64, -5.0, -2.5);
    CASE(FLOAT64, float64, 0x1p-1074, 0.0);
    CASE(FLOAT64, float64, -INFINITY, -INFINITY);
    CASE(LETTER, letter, 'z', '{');
    CASE(LETTER, letter, 0xD7FF, 0xE000);
    CASE(LETTER, letter, 0x10FFFF, 0);
    CASE(TEXT, text, T_STR("ab" E_ACUTE GRIN), T_STR(GRIN E_ACUTE "ba"));
    CASE(TEXT, text, T_STR(""), T_STR(""));
    CASE(BYTES, bytes, T_LIST(all_types_list_u8_t, uint8_t, 1, 2, 0xC3, 0xA9),
         T_LIST(all_types_list_u8_t, uint8_t, 0xA9, 0xC3, 2, 1));
    CASE(BYTES, bytes, T_EMPTY(all_types_list_u8_t), T_EMPTY(all_types_list_u8_t));
    CASE(POINT, point, ((point_t){3, -4, T_STR("xy" E_ACUTE)}), ((point_t){-4, 3, T_STR("XY" E_ACUTE)}));
    CASE(COLOR, color, COLOR(RED), COLOR(GREEN));
    CASE(COLOR, color, COLOR(BLUE), COLOR(RED));
    CASE(PERMS, perms, 0, 0x1FF);
    CASE(PERMS, perms, PERMS(READ) | PERMS(SETUID), 0x1FF & ~(PERMS(READ) | PERMS(SETUID)));
    CASE(MAYBE, maybe, ((all_types_option_u32_t){false, 0}), ((all_types_option_u32_t){false, 0}));
    CASE(MAYBE, maybe, ((all_types_option_u32_t){true, UINT32_MAX}), ((all_types_option_u32_t){true, 0}));
    CASE(MAYBE, maybe, ((all_types_option_u32_t){true, 41}), ((all_types_option_u32_t){true, 42}));
    CASE(OUTCOME, outcome, ((exports_witness_all_types_types_result_u32_string_t){.is_err = false, .val.ok = 0}),
         ((exports_witness_all_types_types_result_u32_string_t){.is_err = true, .val.err = T_STR("0")}));
    CASE(OUTCOME, outcome,
         ((exports_witness_all_types_types_result_u32_string_t){.is_err = false, .val.ok = UINT32_MAX}),
         ((exports_witness_all_types_types_result_u32_string_t){.is_err = true, .val.err = T_STR("4294967295")}));
    CASE(OUTCOME, outcome,
         ((exports_witness_all_types_types_result_u32_string_t){.is_err = true, .val.err = T_STR("h" E_ACUTE GRIN)}),
         ((exports_witness_all_types_types_result_u32_string_t){.is_err = false, .val.ok = 7}));
    CASE(OUTCOME, outcome, ((exports_witness_all_types_types_result_u32_string_t){.is_err = true, .val.err = T_STR("")}),
         ((exports_witness_all_types_types_result_u32_string_t){.is_err = false, .val.ok = 0}));
    CASE(PAIR, pair, ((all_types_tuple2_u32_string_t){UINT32_MAX, T_STR("ab" GRIN)}),
         ((all_types_tuple2_u32_string_t){0, T_STR(GRIN "ba")}));
    CASE(PAIR, pair, ((all_types_tuple2_u32_string_t){9, T_STR("")}), ((all_types_tuple2_u32_string_t){10, T_STR("")}));
    CASE(SHAPE, shape, circle(2.0), circle(-2.0));
    CASE(SHAPE, shape, rect((point_t){1, 2, T_STR("q")}), rect((point_t){2, 1, T_STR("Q")}));
    CASE(SHAPE, shape, empty_shape, empty_shape);
    CASE(SHAPE, shape, named(T_STR("ab")), named(T_STR("ba")));
#undef CASE
}

static void test_transform(void) {
    current_test = "transform";
    payload_cases(transform);
}

static void echo_payload_pair(payload_t in, payload_t want) {
    echo_payload(in);
    echo_payload(want);
}

static void test_echo_payload(void) {
    current_test = "echo-payload";
    payload_cases(echo_payload_pair);
}

static void next_step(step_t in, step_t want) {
    step_t arg = in;
    if (in.tag == STEP(MESSAGE)) {
        arg.val.message = clone_str(in.val.message);
    }
    step_t ret;
    exports_witness_all_types_variants_next_step(&arg, &ret);
    bool same = ret.tag == want.tag;
    if (same && ret.tag == STEP(COUNT)) {
        same = ret.val.count == want.val.count;
    } else if (same && ret.tag == STEP(TOTAL)) {
        same = ret.val.total == want.val.total;
    } else if (same && ret.tag == STEP(MESSAGE)) {
        same = same_str(ret.val.message, want.val.message);
    }
    CHECK(same);
    exports_witness_all_types_types_step_free(&ret);
}

static void test_next_step(void) {
    current_test = "next-step";
    next_step((step_t){.tag = STEP(IDLE)}, (step_t){.tag = STEP(COUNT), .val.count = 0});
    next_step((step_t){.tag = STEP(COUNT), .val.count = 7}, (step_t){.tag = STEP(TOTAL), .val.total = 7});
    next_step((step_t){.tag = STEP(COUNT), .val.count = UINT32_MAX},
              (step_t){.tag = STEP(TOTAL), .val.total = UINT32_MAX});
    next_step((step_t){.tag = STEP(TOTAL), .val.total = 0}, (step_t){.tag = STEP(MESSAGE), .val.message = T_STR("0")});
    next_step((step_t){.tag = STEP(TOTAL), .val.total = 1000},
              (step_t){.tag = STEP(MESSAGE), .val.message = T_STR("1000")});
    next_step((step_t){.tag = STEP(TOTAL), .val.total = UINT32_MAX},
              (step_t){.tag = STEP(MESSAGE), .val.message = T_STR("4294967295")});
    next_step((step_t){.tag = STEP(MESSAGE), .val.message = T_STR("hi" GRIN)}, (step_t){.tag = STEP(IDLE)});
    next_step((step_t){.tag = STEP(MESSAGE), .val.message = T_STR("")}, (step_t){.tag = STEP(IDLE)});
}

static void test_invert(void) {
    current_test = "invert";
    CHECK(exports_witness_all_types_variants_invert(0) == 0x1FF);
    CHECK(exports_witness_all_types_variants_invert(0x1FF) == 0);
    CHECK(exports_witness_all_types_variants_invert(PERMS(SETUID)) == 0xFF);
    CHECK(exports_witness_all_types_variants_invert(PERMS(READ) | PERMS(STICKY)) ==
          (PERMS(WRITE) | PERMS(EXEC) | PERMS(ADMIN) | PERMS(OWNER) | PERMS(GROUP) | PERMS(OTHER) | PERMS(SETUID)));
}

static void test_complement_and_echo_flags(void) {
    current_test = "complement";
    exports_witness_all_types_variants_tuple6_flags1_flags8_perms_flags16_flags17_flags32_t r;
    exports_witness_all_types_variants_complement(0, 0, 0, 0, 0, 0, &r);
    CHECK(r.f0 == 0x1 && r.f1 == 0xFF && r.f2 == 0x1FF && r.f3 == 0xFFFF && r.f4 == 0x1FFFF && r.f5 == 0xFFFFFFFFu);
    exports_witness_all_types_variants_complement(0x1, 0xFF, 0x1FF, 0xFFFF, 0x1FFFF, 0xFFFFFFFFu, &r);
    CHECK(r.f0 == 0 && r.f1 == 0 && r.f2 == 0 && r.f3 == 0 && r.f4 == 0 && r.f5 == 0);
    /* The last member of each: flags8's b7, perms' setuid, flags16's d15,
     * flags17's e16, flags32's g31. */
    exports_witness_all_types_variants_complement(0, 0x80, 0x100, 0x8000, 0x10000, 0x80000000u, &r);
    CHECK(r.f0 == 1 && r.f1 == 0x7F && r.f2 == 0xFF && r.f3 == 0x7FFF && r.f4 == 0xFFFF && r.f5 == 0x7FFFFFFFu);
    exports_witness_all_types_variants_complement(1, 0x5A, 0x0F0, 0x1234, 0x0ABCD, 0xDEADBEEFu, &r);
    CHECK(r.f0 == 0 && r.f1 == 0xA5 && r.f2 == 0x10F && r.f3 == 0xEDCB && r.f4 == 0x15432 && r.f5 == 0x21524110u);

    current_test = "echo-flags";
    exports_witness_all_types_variants_echo_flags(1, 0x80, 0x100, 0x8000, 0x10000, 0x80000000u, &r);
    CHECK(r.f0 == 1 && r.f1 == 0x80 && r.f2 == 0x100 && r.f3 == 0x8000 && r.f4 == 0x10000 && r.f5 == 0x80000000u);
    exports_witness_all_types_variants_echo_flags(0, 0, 0, 0, 0, 0, &r);
    CHECK(r.f0 == 0 && r.f1 == 0 && r.f2 == 0 && r.f3 == 0 && r.f4 == 0 && r.f5 == 0);
    exports_witness_all_types_variants_echo_flags(1, 0xFF, 0x1FF, 0xFFFF, 0x1FFFF, 0xFFFFFFFFu, &r);
    CHECK(r.f0 == 1 && r.f1 == 0xFF && r.f2 == 0x1FF && r.f3 == 0xFFFF && r.f4 == 0x1FFFF && r.f5 == 0xFFFFFFFFu);
}

static void test_peel(void) {
    current_test = "peel";
    uint32_t val = 99;
    CHECK(exports_witness_all_types_variants_peel(NULL, &val) == false);
    all_types_option_u32_t inner = {.is_some = false};
    CHECK(exports_witness_all_types_variants_peel(&inner, &val) == true && val == 0);
    inner = (all_types_option_u32_t){true, 4};
    CHECK(exports_witness_all_types_variants_peel(&inner, &val) == true && val == 5);
    inner = (all_types_option_u32_t){true, UINT32_MAX};
    val = 99;
    CHECK(exports_witness_all_types_variants_peel(&inner, &val) == true && val == 0);
}

static void test_bump_options(void) {
    current_test = "bump-options";
    all_types_list_option_u8_t l =
        ARG_LIST(all_types_list_option_u8_t, all_types_option_u8_t, {false, 0}, {true, 0}, {true, 255}, {true, 41});
    all_types_list_option_u8_t r;
    exports_witness_all_types_variants_bump_options(&l, &r);
    CHECK(r.len == 4 && !r.ptr[0].is_some && r.ptr[1].is_some && r.ptr[1].val == 1 && r.ptr[2].is_some &&
          r.ptr[2].val == 0 && r.ptr[3].is_some && r.ptr[3].val == 42);
    all_types_list_option_u8_free(&r);

    l = ARG_EMPTY(all_types_list_option_u8_t, all_types_option_u8_t);
    exports_witness_all_types_variants_bump_options(&l, &r);
    CHECK(r.len == 0);
    all_types_list_option_u8_free(&r);
}

static void test_deepen(void) {
    current_test = "deepen";
    all_types_option_option_string_t r;
    /* none becomes some(none). */
    CHECK(exports_witness_all_types_variants_deepen(NULL, &r) == true && !r.is_some);
    all_types_option_option_string_free(&r);
    /* some(none) becomes some(some(none)). */
    all_types_option_string_t o = {.is_some = false};
    CHECK(exports_witness_all_types_variants_deepen(&o, &r) == true && r.is_some && !r.val.is_some);
    all_types_option_option_string_free(&r);
    /* some(some(s)) becomes some(some(some(s))). */
    o = (all_types_option_string_t){true, ARG_STR("x" GRIN)};
    CHECK(exports_witness_all_types_variants_deepen(&o, &r) == true && r.is_some && r.val.is_some &&
          STR_IS(r.val.val, "x" GRIN));
    all_types_option_option_string_free(&r);
    o = (all_types_option_string_t){true, ARG_STR("")};
    CHECK(exports_witness_all_types_variants_deepen(&o, &r) == true && r.is_some && r.val.is_some &&
          r.val.val.len == 0);
    all_types_option_option_string_free(&r);
}

static void flip_ok(uint32_t n, const char *want) {
    exports_witness_all_types_types_result_u32_string_t r = {.is_err = false, .val.ok = n};
    string_t ok = {0};
    uint32_t err = 0;
    CHECK(exports_witness_all_types_variants_flip(&r, &ok, &err) == true &&
          str_is_n(ok, want, strlen(want)));
    all_types_string_free(&ok);
}

static void flip_err(string_t s, uint32_t want) {
    exports_witness_all_types_types_result_u32_string_t r = {.is_err = true, .val.err = clone_str(s)};
    string_t ok = {0};
    uint32_t err = 0;
    CHECK(exports_witness_all_types_variants_flip(&r, &ok, &err) == false && err == want);
}

static void test_flip(void) {
    current_test = "flip";
    flip_ok(0, "0");
    flip_ok(7, "7");
    flip_ok(10, "10");
    flip_ok(1000, "1000");
    flip_ok(UINT32_MAX, "4294967295");
    flip_err(T_STR(""), 0);
    flip_err(T_STR("abc"), 3);
    flip_err(T_STR("h" E_ACUTE "llo"), 6);
    flip_err(T_STR(GRIN), 4);
    flip_err(T_STR("a\0b"), 3);
}

static void test_toggle(void) {
    current_test = "toggle";
    exports_witness_all_types_variants_result_void_void_t r = {.is_err = false};
    string_t err = {0};
    CHECK(exports_witness_all_types_variants_toggle(&r, &err) == false && STR_IS(err, "was ok"));
    all_types_string_free(&err);
    r.is_err = true;
    CHECK(exports_witness_all_types_variants_toggle(&r, &err) == true);
}

static void test_swap_ok(void) {
    current_test = "swap-ok";
    uint64_t err = 0;
    exports_witness_all_types_variants_result_u64_void_t r = {.is_err = false, .val.ok = UINT64_MAX};
    CHECK(exports_witness_all_types_variants_swap_ok(&r, &err) == false && err == UINT64_MAX);
    r.val.ok = 9007199254740993u;
    CHECK(exports_witness_all_types_variants_swap_ok(&r, &err) == false && err == 9007199254740993u);
    r.val.ok = 0;
    err = 5;
    CHECK(exports_witness_all_types_variants_swap_ok(&r, &err) == false && err == 0);
    r = (exports_witness_all_types_variants_result_u64_void_t){.is_err = true};
    CHECK(exports_witness_all_types_variants_swap_ok(&r, &err) == true);
}

static void test_swap_err(void) {
    current_test = "swap-err";
    string_t ok = {0};
    exports_witness_all_types_variants_result_void_string_t r = {.is_err = true, .val.err = ARG_STR("e" EURO)};
    CHECK(exports_witness_all_types_variants_swap_err(&r, &ok) == true && STR_IS(ok, "e" EURO));
    all_types_string_free(&ok);
    r = (exports_witness_all_types_variants_result_void_string_t){.is_err = true, .val.err = ARG_STR("")};
    CHECK(exports_witness_all_types_variants_swap_err(&r, &ok) == true && ok.len == 0);
    all_types_string_free(&ok);
    r = (exports_witness_all_types_variants_result_void_string_t){.is_err = false};
    CHECK(exports_witness_all_types_variants_swap_err(&r, &ok) == false);
}

static bool parse_u8_n(const char *text, size_t len, uint8_t *value) {
    string_t s = arg_str_n(text, len);
    return exports_witness_all_types_variants_parse_u8(&s, value);
}

#define PARSES(lit, n) (parse_u8_n((lit), sizeof(lit) - 1, &value) && value == (n))
#define REJECTS(lit) (!parse_u8_n((lit), sizeof(lit) - 1, &value))

static void test_parse_u8(void) {
    current_test = "parse-u8";
    uint8_t value;
    CHECK(PARSES("0", 0));
    CHECK(PARSES("7", 7));
    CHECK(PARSES("255", 255));
    CHECK(PARSES("007", 7));
    CHECK(PARSES("0000000000000000000255", 255));
    CHECK(PARSES("00000000000000000000000000000000000000000", 0));
    CHECK(REJECTS(""));
    CHECK(REJECTS("256"));
    CHECK(REJECTS("1000"));
    CHECK(REJECTS("2550"));
    CHECK(REJECTS("0000000000000000000256"));
    /* No wrapping: 2^64 + 1 and 2^32 + 1 are not 1. */
    CHECK(REJECTS("18446744073709551617"));
    CHECK(REJECTS("4294967297"));
    CHECK(REJECTS("+1"));
    CHECK(REJECTS("-0"));
    CHECK(REJECTS(" 1"));
    CHECK(REJECTS("1 "));
    CHECK(REJECTS("1\n"));
    CHECK(REJECTS("0x1"));
    CHECK(REJECTS("1e2"));
    CHECK(REJECTS("25a"));
    CHECK(REJECTS("1\0"));
    CHECK(REJECTS("/"));
    CHECK(REJECTS(":"));
    /* Digits that are not ASCII: fullwidth 1 (U+FF11), Arabic-Indic 3
     * (U+0663), superscript 2 (U+00B2). */
    CHECK(REJECTS("\xEF\xBC\x91"));
    CHECK(REJECTS("\xD9\xA3"));
    CHECK(REJECTS("\xC2\xB2"));
    CHECK(REJECTS("1\xEF\xBC\x91"));
}

/* --- nested ------------------------------------------------------------ */

static deep_element_t d_none(void) {
    return (deep_element_t){.is_some = false};
}

static deep_element_t d_ok(all_types_list_tuple2_char32_option_s64_t list) {
    return (deep_element_t){.is_some = true, .val = {.is_err = false, .val.ok = list}};
}

static deep_element_t d_err(shape_t shape) {
    return (deep_element_t){.is_some = true, .val = {.is_err = true, .val.err = shape}};
}

#define SOME_S64(n) ((all_types_option_s64_t){true, (n)})
#define NONE_S64 ((all_types_option_s64_t){false, 0})
#define CHARS(...) T_LIST(all_types_list_tuple2_char32_option_s64_t, char_entry_t, __VA_ARGS__)

static void test_nest_and_echo_deep(void) {
    current_test = "nest";
    deep_t in = T_LIST(deep_t, deep_element_t, d_none(),
                       d_ok(CHARS({'a', SOME_S64(1)}, {0x10FFFF, NONE_S64}, {0xD7FF, SOME_S64(INT64_MAX)},
                                  {0x1F600, SOME_S64(-1)})),
                       d_ok(T_EMPTY(all_types_list_tuple2_char32_option_s64_t)), d_err(named(T_STR("ab" GRIN))),
                       d_err(circle(2.0)), d_err(rect((point_t){1, 2, T_STR("r")})), d_err(empty_shape));
    deep_t want = T_LIST(deep_t, deep_element_t, d_err(empty_shape), d_err(rect((point_t){2, 1, T_STR("R")})),
                         d_err(circle(-2.0)), d_err(named(T_STR(GRIN "ba"))),
                         d_ok(T_EMPTY(all_types_list_tuple2_char32_option_s64_t)),
                         d_ok(CHARS({0x1F601, SOME_S64(0)}, {0xE000, SOME_S64(INT64_MIN)}, {0, NONE_S64},
                                    {'b', SOME_S64(2)})),
                         d_none());
    deep_t arg = clone_deep(in);
    deep_t ret;
    exports_witness_all_types_nested_nest(&arg, &ret);
    CHECK(same_deep(ret, want));
    exports_witness_all_types_nested_list_option_result_list_tuple2_char32_option_s64_shape_free(&ret);

    arg = ARG_EMPTY(deep_t, deep_element_t);
    exports_witness_all_types_nested_nest(&arg, &ret);
    CHECK(ret.len == 0);
    exports_witness_all_types_nested_list_option_result_list_tuple2_char32_option_s64_shape_free(&ret);

    current_test = "echo-deep";
    arg = clone_deep(in);
    exports_witness_all_types_nested_echo_deep(&arg, &ret);
    CHECK(same_deep(ret, in));
    exports_witness_all_types_nested_list_option_result_list_tuple2_char32_option_s64_shape_free(&ret);
}

static void test_echo_compound(void) {
    current_test = "echo-compound";
    segment_t segment = {{1, 2, T_STR("s")}, {3, 4, T_STR("")},
                         T_LIST(all_types_list_string_t, string_t, T_STR("t"), T_STR(GRIN)), {true, -0.0},
                         {true, T_STR("note")}};
    payload_list_t payloads = T_LIST(payload_list_t, payload_t, pl(PAYLOAD(NOTHING)),
                                     {.tag = PAYLOAD(TEXT), .val.text = T_STR("txt")},
                                     {.tag = PAYLOAD(SHAPE), .val.shape = named(T_STR("n"))},
                                     {.tag = PAYLOAD(UINT64), .val.uint64 = UINT64_MAX});
    compound_result_t ok = {.is_err = false, .val.ok = {{255}, T_STR("ok" EURO)}};
    compound_result_t err = {.is_err = true,
                             .val.err = T_LIST(nested_point_list_t, point_t, {5, 6, T_STR("p")}, {7, 8, T_STR("")})};

    for (int round = 0; round < 2; round++) {
        const compound_result_t *template = round == 0 ? &ok : &err;
        segment_t s = clone_segment(&segment);
        compound_result_t r = *template;
        if (r.is_err) {
            r.val.err = as_nested(clone_points(as_compound(template->val.err)));
        } else {
            r.val.ok.f1 = clone_str(template->val.ok.f1);
        }
        payload_list_t p = clone_payloads(payloads);
        exports_witness_all_types_nested_tuple5_segment_big_flags17_result_tuple2_single_string_list_point_list_payload_t
            ret;
        exports_witness_all_types_nested_echo_compound(&s, BIG(299), 0x10001, &r, &p, &ret);
        CHECK(same_segment(&ret.f0, &segment) && ret.f1 == BIG(299) && ret.f2 == 0x10001);
        CHECK(ret.f3.is_err == template->is_err);
        if (ret.f3.is_err == template->is_err) {
            CHECK(template->is_err ? same_points(as_compound(ret.f3.val.err), as_compound(template->val.err))
                                   : ret.f3.val.ok.f0.value == 255 && same_str(ret.f3.val.ok.f1, template->val.ok.f1));
        }
        CHECK(same_payloads(ret.f4, payloads));
        exports_witness_all_types_nested_tuple5_segment_big_flags17_result_tuple2_single_string_list_point_list_payload_free(
            &ret);
    }

    /* Everything empty. */
    segment_t empty = {{0, 0, T_STR("")}, {0, 0, T_STR("")}, T_EMPTY(all_types_list_string_t), {.is_some = false},
                       {.is_some = false}};
    segment_t s = clone_segment(&empty);
    compound_result_t r = {.is_err = true, .val.err = ARG_EMPTY(nested_point_list_t, point_t)};
    payload_list_t p = ARG_EMPTY(payload_list_t, payload_t);
    exports_witness_all_types_nested_tuple5_segment_big_flags17_result_tuple2_single_string_list_point_list_payload_t ret;
    exports_witness_all_types_nested_echo_compound(&s, BIG(0), 0, &r, &p, &ret);
    CHECK(same_segment(&ret.f0, &empty) && ret.f1 == 0 && ret.f2 == 0 && ret.f3.is_err && ret.f3.val.err.len == 0 &&
          ret.f4.len == 0);
    exports_witness_all_types_nested_tuple5_segment_big_flags17_result_tuple2_single_string_list_point_list_payload_free(
        &ret);
}

/* --- Through the generated export wrappers ------------------------------ */

/* The wrappers and post-return functions the host calls (their
 * export_name attributes mean nothing natively); the header does not
 * declare them. */
uint8_t *__wasm_export_exports_witness_all_types_scalars_reverse_string(uint8_t *arg, size_t arg0);
void __wasm_export_exports_witness_all_types_scalars_reverse_string_post_return(uint8_t *arg0);
uint8_t *__wasm_export_exports_witness_all_types_scalars_echo_wide(uint8_t *arg);
void __wasm_export_exports_witness_all_types_scalars_echo_wide_post_return(uint8_t *arg0);
uint8_t *__wasm_export_exports_witness_all_types_variants_flip(int32_t arg, uint8_t *arg0, size_t arg1);
void __wasm_export_exports_witness_all_types_variants_flip_post_return(uint8_t *arg0);
uint8_t *__wasm_export_exports_witness_all_types_variants_parse_u8(uint8_t *arg, size_t arg0);

#define PTR_SIZE sizeof(void *)

static void put(uint8_t *base, size_t offset, const void *value, size_t size) {
    memcpy(base + offset, value, size);
}

static void get(const uint8_t *base, size_t offset, void *value, size_t size) {
    memcpy(value, base + offset, size);
}

static string_t get_string(const uint8_t *base, size_t offset) {
    string_t s;
    get(base, offset, &s.ptr, PTR_SIZE);
    get(base, offset + PTR_SIZE, &s.len, PTR_SIZE);
    return s;
}

static void test_wrappers(void) {
    current_test = "wrapper reverse-string";
    string_t s = ARG_STR("ab" GRIN);
    uint8_t *ret = __wasm_export_exports_witness_all_types_scalars_reverse_string(s.ptr, s.len);
    CHECK(STR_IS(get_string(ret, 0), GRIN "ba"));
    __wasm_export_exports_witness_all_types_scalars_reverse_string_post_return(ret);
    s = ARG_STR("");
    ret = __wasm_export_exports_witness_all_types_scalars_reverse_string(s.ptr, s.len);
    CHECK(get_string(ret, 0).len == 0);
    __wasm_export_exports_witness_all_types_scalars_reverse_string_post_return(ret);

    current_test = "wrapper flip";
    ret = __wasm_export_exports_witness_all_types_variants_flip(0, (uint8_t *)(uintptr_t)4294967295u, 0);
    CHECK(ret[0] == 0 && STR_IS(get_string(ret, PTR_SIZE), "4294967295"));
    __wasm_export_exports_witness_all_types_variants_flip_post_return(ret);
    s = ARG_STR(GRIN);
    ret = __wasm_export_exports_witness_all_types_variants_flip(1, s.ptr, s.len);
    uint32_t err;
    get(ret, PTR_SIZE, &err, sizeof err);
    CHECK(ret[0] == 1 && err == 4);
    __wasm_export_exports_witness_all_types_variants_flip_post_return(ret);

    current_test = "wrapper parse-u8";
    s = ARG_STR("0255");
    ret = __wasm_export_exports_witness_all_types_variants_parse_u8(s.ptr, s.len);
    CHECK(ret[0] == 0 && ret[1] == 255);
    s = ARG_STR("256");
    ret = __wasm_export_exports_witness_all_types_variants_parse_u8(s.ptr, s.len);
    CHECK(ret[0] == 1);

    /* echo-wide has 19 core parameters, so the host passes them in a block
     * it allocates with cabi_realloc, which the wrapper frees after the
     * call; the string and the list in it move into the result. */
    current_test = "wrapper echo-wide";
    uint8_t *args = cabi_realloc(NULL, 0, 8, 64 + 4 * PTR_SIZE);
    memset(args, 0, 64 + 4 * PTR_SIZE);
    uint8_t a = 200;
    uint16_t b = 60000;
    uint32_t c = 4000000000u;
    uint64_t d = 9007199254740993u;
    int8_t e = -100;
    int16_t f = -30000;
    int32_t g = INT32_MIN;
    int64_t h = INT64_MIN;
    float i = -0.0f;
    double j = 0x1p-1074;
    uint32_t k = 0x1F600;
    uint8_t l = 1;
    string_t m = ARG_STR("m" EURO);
    all_types_list_u8_t n = ARG_LIST(all_types_list_u8_t, uint8_t, 9, 8);
    uint8_t o_tag = 1;
    uint32_t o_val = 77;
    put(args, 0, &a, 1);
    put(args, 2, &b, 2);
    put(args, 4, &c, 4);
    put(args, 8, &d, 8);
    put(args, 16, &e, 1);
    put(args, 18, &f, 2);
    put(args, 20, &g, 4);
    put(args, 24, &h, 8);
    put(args, 32, &i, 4);
    put(args, 40, &j, 8);
    put(args, 48, &k, 4);
    put(args, 52, &l, 1);
    put(args, 56, &m.ptr, PTR_SIZE);
    put(args, 56 + PTR_SIZE, &m.len, PTR_SIZE);
    put(args, 56 + 2 * PTR_SIZE, &n.ptr, PTR_SIZE);
    put(args, 56 + 3 * PTR_SIZE, &n.len, PTR_SIZE);
    put(args, 56 + 4 * PTR_SIZE, &o_tag, 1);
    put(args, 60 + 4 * PTR_SIZE, &o_val, 4);
    ret = __wasm_export_exports_witness_all_types_scalars_echo_wide(args);
    uint64_t d_out;
    int64_t h_out;
    float i_out;
    double j_out;
    uint32_t k_out, o_out;
    get(ret, 8, &d_out, 8);
    get(ret, 24, &h_out, 8);
    get(ret, 32, &i_out, 4);
    get(ret, 40, &j_out, 8);
    get(ret, 48, &k_out, 4);
    get(ret, 60 + 4 * PTR_SIZE, &o_out, 4);
    CHECK(ret[0] == 200 && d_out == 9007199254740993u && h_out == INT64_MIN && bits32(i_out) == bits32(-0.0f) &&
          bits64(j_out) == 1 && k_out == 0x1F600 && ret[52] == 1);
    CHECK(STR_IS(get_string(ret, 56), "m" EURO));
    string_t list = get_string(ret, 56 + 2 * PTR_SIZE);
    CHECK(list.len == 2 && list.ptr[0] == 9 && list.ptr[1] == 8);
    CHECK(ret[56 + 4 * PTR_SIZE] == 1 && o_out == 77);
    __wasm_export_exports_witness_all_types_scalars_echo_wide_post_return(ret);
}

/* --- Exhaustive and generated checks ------------------------------------ */

static bool is_scalar(uint32_t c) {
    return c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF);
}

/* next-char of every scalar value is the least scalar value above it, or
 * U+0000 after U+10FFFF. */
static void test_next_char_every_scalar(void) {
    current_test = "next-char, every scalar value";
    uint32_t wrong = 0;
    uint32_t first_wrong = 0;
    for (uint32_t c = 0; c <= 0x10FFFF; c++) {
        if (!is_scalar(c)) {
            continue;
        }
        uint32_t want = c + 1;
        while (want <= 0x10FFFF && !is_scalar(want)) {
            want++;
        }
        if (want > 0x10FFFF) {
            want = 0;
        }
        all_types_tuple2_u32_char32_t r;
        exports_witness_all_types_scalars_next_char(c, &r);
        if (r.f0 != c || r.f1 != want) {
            if (wrong++ == 0) {
                first_wrong = c;
            }
        }
    }
    CHECK(wrong == 0);
    if (wrong != 0) {
        printf("  %u wrong, the first at U+%04X\n", (unsigned)wrong, (unsigned)first_wrong);
    }
}

/* parse-u8 of every string of one to three ASCII digits (with leading
 * zeros), of every one-byte string, and of every digit followed by any
 * byte. */
static void test_parse_u8_exhaustive(void) {
    current_test = "parse-u8, every short string";
    unsigned wrong = 0;
    char text[4];
    for (size_t len = 1; len <= 3; len++) {
        unsigned limit = len == 1 ? 10 : len == 2 ? 100 : 1000;
        for (unsigned n = 0; n < limit; n++) {
            snprintf(text, sizeof text, "%0*u", (int)len, n);
            uint8_t value = 0;
            bool ok = parse_u8_n(text, len, &value);
            if (ok != (n <= 255) || (ok && value != n)) {
                wrong++;
            }
        }
    }
    for (unsigned byte = 0; byte < 256; byte++) {
        char one = (char)byte;
        uint8_t value = 0;
        bool ok = parse_u8_n(&one, 1, &value);
        bool digit = byte >= '0' && byte <= '9';
        if (ok != digit || (ok && value != byte - '0')) {
            wrong++;
        }
        char two[2] = {'2', (char)byte};
        ok = parse_u8_n(two, 2, &value);
        if (ok != digit || (ok && value != 20 + (byte - '0'))) {
            wrong++;
        }
    }
    CHECK(wrong == 0);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rng(void) {
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33);
}

static size_t encode_utf8(uint32_t c, uint8_t *out) {
    if (c < 0x80) {
        out[0] = (uint8_t)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (uint8_t)(0xC0 | (c >> 6));
        out[1] = (uint8_t)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (uint8_t)(0xE0 | (c >> 12));
        out[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | (c >> 18));
    out[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (c & 0x3F));
    return 4;
}

/* A random scalar value, often at an edge of an encoding length or next to
 * the surrogates. */
static uint32_t random_scalar(void) {
    static const uint32_t edges[] = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF};
    switch (rng() % 5) {
    case 0:
        return edges[rng() % (sizeof edges / sizeof edges[0])];
    case 1:
        return rng() % 0x80;
    case 2:
        return 0x80 + rng() % (0x800 - 0x80);
    case 3: {
        uint32_t c = 0x800 + rng() % (0x10000 - 0x800 - 0x800);
        return c >= 0xD800 ? c + 0x800 : c;
    }
    default:
        return 0x10000 + rng() % 0x100000;
    }
}

/* reverse-string of generated strings, against the encoding of the same
 * scalar values in reverse order; reversing twice gives the input back. */
static void test_reverse_string_generated(void) {
    current_test = "reverse-string, generated";
    unsigned wrong = 0;
    uint32_t scalars[40];
    uint8_t forward[160];
    uint8_t backward[160];
    for (int round = 0; round < 3000; round++) {
        size_t count = rng() % 40;
        size_t len = 0;
        for (size_t idx = 0; idx < count; idx++) {
            scalars[idx] = random_scalar();
            len += encode_utf8(scalars[idx], forward + len);
        }
        size_t back_len = 0;
        for (size_t idx = count; idx-- > 0;) {
            back_len += encode_utf8(scalars[idx], backward + back_len);
        }
        string_t arg = arg_str_n((const char *)forward, len);
        string_t ret;
        exports_witness_all_types_scalars_reverse_string(&arg, &ret);
        if (!str_is_n(ret, (const char *)backward, back_len)) {
            wrong++;
        }
        string_t again;
        exports_witness_all_types_scalars_reverse_string(&ret, &again);
        if (!str_is_n(again, (const char *)forward, len)) {
            wrong++;
        }
        all_types_string_free(&again);
    }
    CHECK(wrong == 0);
}

int main(void) {
    test_negate();
    test_bump();
    test_halve();
    test_next_char();
    test_reverse_string();
    test_echo_scalars();
    test_echo_wide();

    test_reverse_bytes();
    test_negate_all();
    test_bump_lists();
    test_flip_lists();
    test_swap();
    test_sum_points();
    test_reverse_points();
    test_flip_segment();
    test_bump_single();
    test_rotate();
    test_table();

    test_mirror();
    test_next_color();
    test_next_big();
    test_transform();
    test_next_step();
    test_invert();
    test_complement_and_echo_flags();
    test_peel();
    test_bump_options();
    test_deepen();
    test_flip();
    test_toggle();
    test_swap_ok();
    test_swap_err();
    test_parse_u8();
    test_echo_payload();

    test_nest_and_echo_deep();
    test_echo_compound();

    test_wrappers();

    test_next_char_every_scalar();
    test_parse_u8_exhaustive();
    test_reverse_string_generated();

    printf("%d passed, %d failed\n", n_passed, n_failed);
    /* LeakSanitizer checks for leaks after main returns; flush first so that
     * the counts are not lost if it ends the process. */
    fflush(stdout);
    return n_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * The all-types contract (contracts/all-types/wit/all-types.wit) in C11: the
 * exports of the world `all-types`, each applying the rule of its doc comment.
 *
 * The bindings (bindings/all_types.{c,h}) are generated at build time by
 * `wit-bindgen c`; they lift the arguments, call these functions, and free
 * the results in the post-return functions.
 *
 * Ownership follows wit-bindgen's C convention:
 * - An export owns its arguments: every string and list in them was
 *   allocated by the host through cabi_realloc (malloc), and nothing frees it
 *   unless this code does, or hands it on in the result.
 * - The bindings own the result once the export returns: the post-return
 *   function frees every string and list in it with free(), exactly as the
 *   generated *_free helpers do.
 * - Both sides free a string or list only when its length is not zero.  An
 *   empty argument's pointer is not an allocation (cabi_realloc returns the
 *   alignment for a size of 0), so it must never be freed or realloc'ed; an
 *   empty result must not own an allocation either, or it would leak.  So
 *   empty results here carry a NULL pointer and no allocation.
 *
 * Most rules transform their argument in place and hand the same memory on
 * in the result, which is both the fastest and the simplest to keep leak-free:
 * each allocation is either moved from the argument into the result, freed
 * here (what the rule drops: `sum-points`' list, `message(s)` in
 * `next-step`, `err(s)` in `flip` and `transform`, the string of
 * `parse-u8`, the old note of `flip-segment`), or made here for a new
 * string (decimal numbers, "was ok", the note with its "!").
 *
 * Strings are UTF-8, which the canonical ABI guarantees for every string the
 * host passes; chars are Unicode scalar values as uint32_t.
 *
 * Running out of memory has no form in the contract, so it traps with
 * abort() (an `unreachable` in wasi-libc, so no import), as the bindings'
 * own cabi_realloc does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "all_types.h"

/* Shorter names for the generated types.  The interfaces' own typedefs
 * (exports_witness_all_types_compound_point_t, ...) are all typedefs of
 * these `types` ones. */
typedef all_types_string_t string_t;
typedef exports_witness_all_types_types_point_t point_t;
typedef exports_witness_all_types_types_shape_t shape_t;
typedef exports_witness_all_types_types_payload_t payload_t;
typedef exports_witness_all_types_types_step_t step_t;
typedef exports_witness_all_types_types_perms_t perms_t;
typedef exports_witness_all_types_nested_list_option_result_list_tuple2_char32_option_s64_shape_t deep_t;
typedef exports_witness_all_types_nested_option_result_list_tuple2_char32_option_s64_shape_t deep_element_t;

#define SHAPE(name) EXPORTS_WITNESS_ALL_TYPES_TYPES_SHAPE_##name
#define PAYLOAD(name) EXPORTS_WITNESS_ALL_TYPES_TYPES_PAYLOAD_##name
#define STEP(name) EXPORTS_WITNESS_ALL_TYPES_TYPES_STEP_##name

/* The members of each flags type: the complement flips these bits and no
 * others (the C types are wider than the 1, 9 and 17 flags they hold). */
#define FLAGS1_ALL 0x1u
#define FLAGS8_ALL 0xFFu
#define PERMS_ALL 0x1FFu
#define FLAGS16_ALL 0xFFFFu
#define FLAGS17_ALL 0x1FFFFu
#define FLAGS32_ALL 0xFFFFFFFFu

/* The number of cases of `big`. */
#define BIG_CASES 300u

/* --- Helpers --------------------------------------------------------- */

/* A new block of `count` elements of `size` bytes, or NULL for none.  Traps
 * when memory runs out. */
static void *alloc_array(size_t count, size_t size) {
    if (count == 0 || size == 0) {
        return NULL;
    }
    if (count > SIZE_MAX / size) {
        abort();
    }
    void *block = malloc(count * size);
    if (block == NULL) {
        abort();
    }
    return block;
}

/* Reverses `count` elements of `size` bytes in place. */
static void reverse_elements(void *base, size_t count, size_t size) {
    if (count < 2) {
        return;
    }
    uint8_t *low = base;
    uint8_t *high = low + (count - 1) * size;
    while (low < high) {
        for (size_t idx = 0; idx < size; idx++) {
            uint8_t byte = low[idx];
            low[idx] = high[idx];
            high[idx] = byte;
        }
        low += size;
        high -= size;
    }
}

static void reverse_bytes(uint8_t *bytes, size_t len) {
    reverse_elements(bytes, len, 1);
}

static bool is_continuation(uint8_t byte) {
    return (byte & 0xC0u) == 0x80u;
}

/* Reverses the Unicode scalar values of a UTF-8 string in place: first the
 * bytes of each scalar's encoding (a lead byte and the continuation bytes
 * after it), then the whole string, which puts every encoding back in order
 * at its mirrored place. */
static void reverse_utf8(string_t *s) {
    size_t idx = 0;
    while (idx < s->len) {
        size_t end = idx + 1;
        while (end < s->len && is_continuation(s->ptr[end])) {
            end++;
        }
        reverse_bytes(s->ptr + idx, end - idx);
        idx = end;
    }
    reverse_bytes(s->ptr, s->len);
}

/* The next Unicode scalar value after `c`: the surrogates U+D800 to U+DFFF
 * are skipped, and U+10FFFF wraps to U+0000. */
static uint32_t next_scalar(uint32_t c) {
    if (c == 0xD7FFu) {
        return 0xE000u;
    }
    if (c >= 0x10FFFFu) {
        return 0;
    }
    return c + 1;
}

/* The ASCII letters a-z in upper case, in place; every other byte (and so
 * every byte of a multi-byte UTF-8 sequence, all >= 0x80) is left alone. */
static void upper_ascii(string_t *s) {
    for (size_t idx = 0; idx < s->len; idx++) {
        if (s->ptr[idx] >= 'a' && s->ptr[idx] <= 'z') {
            s->ptr[idx] = (uint8_t)(s->ptr[idx] - ('a' - 'A'));
        }
    }
}

/* A length as u32: a wasm32 string never has more than 2^32 - 1 bytes, and
 * natively the unit tests stay far below it. */
static uint32_t len_u32(size_t len) {
    return len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
}

/* `n` in decimal, in a new string that the result owns. */
static string_t decimal(uint32_t n) {
    char digits[10];
    size_t count = 0;
    do {
        digits[sizeof digits - 1 - count] = (char)('0' + n % 10);
        count++;
        n /= 10;
    } while (n != 0);
    string_t s = {.ptr = alloc_array(count, 1), .len = count};
    memcpy(s.ptr, digits + sizeof digits - count, count);
    return s;
}

/* Wrapping increments and negation, without signed overflow. */
static int8_t inc_s8(int8_t v) {
    return v == INT8_MAX ? INT8_MIN : (int8_t)(v + 1);
}
static int16_t inc_s16(int16_t v) {
    return v == INT16_MAX ? INT16_MIN : (int16_t)(v + 1);
}
static int32_t inc_s32(int32_t v) {
    return v == INT32_MAX ? INT32_MIN : v + 1;
}
static int64_t inc_s64(int64_t v) {
    return v == INT64_MAX ? INT64_MIN : v + 1;
}
static uint8_t inc_u8(uint8_t v) {
    return (uint8_t)(v + 1u);
}
static uint16_t inc_u16(uint16_t v) {
    return (uint16_t)(v + 1u);
}
static uint32_t inc_u32(uint32_t v) {
    return v + 1u;
}
static uint64_t inc_u64(uint64_t v) {
    return v + 1u;
}
static int32_t neg_s32(int32_t v) {
    return v == INT32_MIN ? INT32_MIN : -v;
}

/* `x` and `y` swapped and the label's ASCII letters in upper case, in place. */
static void swap_point(point_t *p) {
    int32_t x = p->x;
    p->x = p->y;
    p->y = x;
    upper_ascii(&p->label);
}

/* `mirror`, in place.  C's unary minus is IEEE negation: it flips the sign
 * bit, of 0 and NaN too (f64.neg in WebAssembly). */
static void mirror_shape(shape_t *s) {
    switch (s->tag) {
    case SHAPE(CIRCLE):
        s->val.circle = -s->val.circle;
        break;
    case SHAPE(RECT):
        swap_point(&s->val.rect);
        break;
    case SHAPE(NAMED):
        reverse_utf8(&s->val.named);
        break;
    default: /* empty */
        break;
    }
}

static exports_witness_all_types_types_color_t next_color(exports_witness_all_types_types_color_t c) {
    switch (c) {
    case EXPORTS_WITNESS_ALL_TYPES_TYPES_COLOR_RED:
        return EXPORTS_WITNESS_ALL_TYPES_TYPES_COLOR_GREEN;
    case EXPORTS_WITNESS_ALL_TYPES_TYPES_COLOR_GREEN:
        return EXPORTS_WITNESS_ALL_TYPES_TYPES_COLOR_BLUE;
    default:
        return EXPORTS_WITNESS_ALL_TYPES_TYPES_COLOR_RED;
    }
}

static perms_t invert_perms(perms_t p) {
    return (perms_t)(~(unsigned)p & PERMS_ALL);
}

/* --- scalars ------------------------------------------------------------ */

bool exports_witness_all_types_scalars_negate(bool b) {
    return !b;
}

void exports_witness_all_types_scalars_bump_signed(int8_t a, int16_t b, int32_t c, int64_t d,
                                                   all_types_tuple4_s8_s16_s32_s64_t *ret) {
    ret->f0 = inc_s8(a);
    ret->f1 = inc_s16(b);
    ret->f2 = inc_s32(c);
    ret->f3 = inc_s64(d);
}

void exports_witness_all_types_scalars_bump_unsigned(uint8_t a, uint16_t b, uint32_t c, uint64_t d,
                                                     all_types_tuple4_u8_u16_u32_u64_t *ret) {
    ret->f0 = inc_u8(a);
    ret->f1 = inc_u16(b);
    ret->f2 = inc_u32(c);
    ret->f3 = inc_u64(d);
}

/* f32 arithmetic stays in f32: 2.0f, not 2.0, so there is one rounding, to
 * f32 (FLT_EVAL_METHOD is 0 on wasm32 and on x86-64). */
void exports_witness_all_types_scalars_halve(float x, double y, all_types_tuple2_f32_f64_t *ret) {
    ret->f0 = x / 2.0f;
    ret->f1 = y / 2.0;
}

void exports_witness_all_types_scalars_next_char(uint32_t c, all_types_tuple2_u32_char32_t *ret) {
    ret->f0 = c;
    ret->f1 = next_scalar(c);
}

void exports_witness_all_types_scalars_reverse_string(string_t *s, string_t *ret) {
    reverse_utf8(s);
    *ret = *s;
}

void exports_witness_all_types_scalars_echo_scalars(
    bool a, int8_t b, uint8_t c, int16_t d, uint16_t e, int32_t f, uint32_t g, int64_t h, uint64_t i, float j,
    double k, uint32_t l, string_t *m, all_types_tuple13_bool_s8_u8_s16_u16_s32_u32_s64_u64_f32_f64_char32_string_t *ret) {
    ret->f0 = a;
    ret->f1 = b;
    ret->f2 = c;
    ret->f3 = d;
    ret->f4 = e;
    ret->f5 = f;
    ret->f6 = g;
    ret->f7 = h;
    ret->f8 = i;
    ret->f9 = j;
    ret->f10 = k;
    ret->f11 = l;
    ret->f12 = *m;
}

/* The bindings read these arguments from a block in memory and free that
 * block after this returns; the string and the list in it are ours. */
void exports_witness_all_types_scalars_echo_wide(
    uint8_t a, uint16_t b, uint32_t c, uint64_t d, int8_t e, int16_t f, int32_t g, int64_t h, float i, double j,
    uint32_t k, bool l, string_t *m, all_types_list_u8_t *n, uint32_t *maybe_o,
    all_types_tuple15_u8_u16_u32_u64_s8_s16_s32_s64_f32_f64_char32_bool_string_list_u8_option_u32_t *ret) {
    ret->f0 = a;
    ret->f1 = b;
    ret->f2 = c;
    ret->f3 = d;
    ret->f4 = e;
    ret->f5 = f;
    ret->f6 = g;
    ret->f7 = h;
    ret->f8 = i;
    ret->f9 = j;
    ret->f10 = k;
    ret->f11 = l;
    ret->f12 = *m;
    ret->f13 = *n;
    ret->f14.is_some = maybe_o != NULL;
    ret->f14.val = maybe_o != NULL ? *maybe_o : 0;
}

/* --- compound ---------------------------------------------------------- */

void exports_witness_all_types_compound_reverse_bytes(all_types_list_u8_t *l, all_types_list_u8_t *ret) {
    reverse_bytes(l->ptr, l->len);
    *ret = *l;
}

void exports_witness_all_types_compound_negate_all(all_types_list_s32_t *l, all_types_list_s32_t *ret) {
    for (size_t idx = 0; idx < l->len; idx++) {
        l->ptr[idx] = neg_s32(l->ptr[idx]);
    }
    *ret = *l;
}

void exports_witness_all_types_compound_bump_lists(
    all_types_list_s8_t *a, all_types_list_u16_t *b, all_types_list_s64_t *c, all_types_list_u64_t *d,
    all_types_list_f32_t *e, all_types_list_f64_t *f,
    all_types_tuple6_list_s8_list_u16_list_s64_list_u64_list_f32_list_f64_t *ret) {
    for (size_t idx = 0; idx < a->len; idx++) {
        a->ptr[idx] = inc_s8(a->ptr[idx]);
    }
    for (size_t idx = 0; idx < b->len; idx++) {
        b->ptr[idx] = inc_u16(b->ptr[idx]);
    }
    for (size_t idx = 0; idx < c->len; idx++) {
        c->ptr[idx] = inc_s64(c->ptr[idx]);
    }
    for (size_t idx = 0; idx < d->len; idx++) {
        d->ptr[idx] = inc_u64(d->ptr[idx]);
    }
    for (size_t idx = 0; idx < e->len; idx++) {
        e->ptr[idx] = e->ptr[idx] / 2.0f;
    }
    for (size_t idx = 0; idx < f->len; idx++) {
        f->ptr[idx] = f->ptr[idx] / 2.0;
    }
    ret->f0 = *a;
    ret->f1 = *b;
    ret->f2 = *c;
    ret->f3 = *d;
    ret->f4 = *e;
    ret->f5 = *f;
}

void exports_witness_all_types_compound_flip_lists(all_types_list_bool_t *a, all_types_list_char32_t *b,
                                                   all_types_list_string_t *c,
                                                   all_types_tuple3_list_bool_list_char32_list_string_t *ret) {
    for (size_t idx = 0; idx < a->len; idx++) {
        a->ptr[idx] = !a->ptr[idx];
    }
    for (size_t idx = 0; idx < b->len; idx++) {
        b->ptr[idx] = next_scalar(b->ptr[idx]);
    }
    reverse_elements(c->ptr, c->len, sizeof *c->ptr);
    ret->f0 = *a;
    ret->f1 = *b;
    ret->f2 = *c;
}

void exports_witness_all_types_compound_swap(point_t *p, point_t *ret) {
    swap_point(p);
    *ret = *p;
}

/* The points are dropped: the list and every label are freed here. */
void exports_witness_all_types_compound_sum_points(exports_witness_all_types_compound_list_point_t *ps,
                                                   all_types_tuple2_u32_s64_t *ret) {
    int64_t sum = 0;
    for (size_t idx = 0; idx < ps->len; idx++) {
        sum += ps->ptr[idx].x;
    }
    ret->f0 = len_u32(ps->len);
    ret->f1 = sum;
    exports_witness_all_types_compound_list_point_free(ps);
}

void exports_witness_all_types_compound_reverse_points(exports_witness_all_types_compound_list_point_t *ps,
                                                       exports_witness_all_types_compound_list_point_t *ret) {
    reverse_elements(ps->ptr, ps->len, sizeof *ps->ptr);
    for (size_t idx = 0; idx < ps->len; idx++) {
        swap_point(&ps->ptr[idx]);
    }
    *ret = *ps;
}

void exports_witness_all_types_compound_flip_segment(exports_witness_all_types_compound_segment_t *s,
                                                     exports_witness_all_types_compound_segment_t *ret) {
    ret->start = s->end;
    ret->end = s->start;
    reverse_elements(s->tags.ptr, s->tags.len, sizeof *s->tags.ptr);
    ret->tags = s->tags;
    ret->weight.is_some = s->weight.is_some;
    ret->weight.val = s->weight.is_some ? -s->weight.val : 0.0;
    ret->note.is_some = s->note.is_some;
    if (s->note.is_some) {
        /* A new string one byte longer: the old one may be empty, and then
         * its pointer is no allocation that realloc could grow. */
        string_t *old = &s->note.val;
        string_t note = {.ptr = alloc_array(old->len + 1, 1), .len = old->len + 1};
        if (old->len > 0) {
            memcpy(note.ptr, old->ptr, old->len);
        }
        note.ptr[old->len] = '!';
        all_types_string_free(old);
        ret->note.val = note;
    } else {
        ret->note.val = (string_t){.ptr = NULL, .len = 0};
    }
}

void exports_witness_all_types_compound_bump_single(exports_witness_all_types_compound_single_t *s,
                                                    exports_witness_all_types_compound_single_t *ret) {
    ret->value = inc_u8(s->value);
}

void exports_witness_all_types_compound_rotate(all_types_tuple3_u8_string_char32_t *t,
                                               all_types_tuple3_char32_u8_string_t *ret) {
    ret->f0 = t->f2;
    ret->f1 = t->f0;
    ret->f2 = t->f1;
}

void exports_witness_all_types_compound_table(all_types_list_tuple2_string_option_list_s16_t *rows,
                                              all_types_list_tuple2_string_option_list_s16_t *ret) {
    reverse_elements(rows->ptr, rows->len, sizeof *rows->ptr);
    for (size_t idx = 0; idx < rows->len; idx++) {
        all_types_option_list_s16_t *list = &rows->ptr[idx].f1;
        if (list->is_some) {
            reverse_elements(list->val.ptr, list->val.len, sizeof *list->val.ptr);
        }
    }
    *ret = *rows;
}

/* --- variants ---------------------------------------------------------- */

void exports_witness_all_types_variants_mirror(shape_t *s, shape_t *ret) {
    mirror_shape(s);
    *ret = *s;
}

exports_witness_all_types_variants_color_t exports_witness_all_types_variants_next_color(
    exports_witness_all_types_variants_color_t c) {
    return next_color(c);
}

/* `big` is a uint16_t discriminant. */
exports_witness_all_types_variants_big_t exports_witness_all_types_variants_next_big(
    exports_witness_all_types_variants_big_t b) {
    return (exports_witness_all_types_variants_big_t)((b + 1u) % BIG_CASES);
}

void exports_witness_all_types_variants_transform(payload_t *p, payload_t *ret) {
    switch (p->tag) {
    case PAYLOAD(BOOLEAN):
        p->val.boolean = !p->val.boolean;
        break;
    case PAYLOAD(INT8):
        p->val.int8 = inc_s8(p->val.int8);
        break;
    case PAYLOAD(UINT8):
        p->val.uint8 = inc_u8(p->val.uint8);
        break;
    case PAYLOAD(INT16):
        p->val.int16 = inc_s16(p->val.int16);
        break;
    case PAYLOAD(UINT16):
        p->val.uint16 = inc_u16(p->val.uint16);
        break;
    case PAYLOAD(INT32):
        p->val.int32 = inc_s32(p->val.int32);
        break;
    case PAYLOAD(UINT32):
        p->val.uint32 = inc_u32(p->val.uint32);
        break;
    case PAYLOAD(INT64):
        p->val.int64 = inc_s64(p->val.int64);
        break;
    case PAYLOAD(UINT64):
        p->val.uint64 = inc_u64(p->val.uint64);
        break;
    case PAYLOAD(FLOAT32):
        p->val.float32 = p->val.float32 / 2.0f;
        break;
    case PAYLOAD(FLOAT64):
        p->val.float64 = p->val.float64 / 2.0;
        break;
    case PAYLOAD(LETTER):
        p->val.letter = next_scalar(p->val.letter);
        break;
    case PAYLOAD(TEXT):
        reverse_utf8(&p->val.text);
        break;
    case PAYLOAD(BYTES):
        reverse_bytes(p->val.bytes.ptr, p->val.bytes.len);
        break;
    case PAYLOAD(POINT):
        swap_point(&p->val.point);
        break;
    case PAYLOAD(COLOR):
        p->val.color = next_color(p->val.color);
        break;
    case PAYLOAD(PERMS):
        p->val.perms = invert_perms(p->val.perms);
        break;
    case PAYLOAD(MAYBE):
        if (p->val.maybe.is_some) {
            p->val.maybe.val = inc_u32(p->val.maybe.val);
        }
        break;
    case PAYLOAD(OUTCOME): {
        exports_witness_all_types_types_result_u32_string_t *outcome = &p->val.outcome;
        if (!outcome->is_err) {
            string_t text = decimal(outcome->val.ok);
            outcome->is_err = true;
            outcome->val.err = text;
        } else {
            uint32_t len = len_u32(outcome->val.err.len);
            all_types_string_free(&outcome->val.err);
            outcome->is_err = false;
            outcome->val.ok = len;
        }
        break;
    }
    case PAYLOAD(PAIR):
        p->val.pair.f0 = inc_u32(p->val.pair.f0);
        reverse_utf8(&p->val.pair.f1);
        break;
    case PAYLOAD(SHAPE):
        mirror_shape(&p->val.shape);
        break;
    default: /* nothing */
        break;
    }
    *ret = *p;
}

void exports_witness_all_types_variants_next_step(step_t *s, step_t *ret) {
    switch (s->tag) {
    case STEP(IDLE):
        ret->tag = STEP(COUNT);
        ret->val.count = 0;
        break;
    case STEP(COUNT):
        ret->tag = STEP(TOTAL);
        ret->val.total = s->val.count;
        break;
    case STEP(TOTAL):
        ret->tag = STEP(MESSAGE);
        ret->val.message = decimal(s->val.total);
        break;
    default: /* message: the string is dropped */
        exports_witness_all_types_types_step_free(s);
        ret->tag = STEP(IDLE);
        break;
    }
}

exports_witness_all_types_variants_perms_t exports_witness_all_types_variants_invert(
    exports_witness_all_types_variants_perms_t p) {
    return invert_perms(p);
}

void exports_witness_all_types_variants_complement(
    exports_witness_all_types_variants_flags1_t a, exports_witness_all_types_variants_flags8_t b,
    exports_witness_all_types_variants_perms_t c, exports_witness_all_types_variants_flags16_t d,
    exports_witness_all_types_variants_flags17_t e, exports_witness_all_types_variants_flags32_t f,
    exports_witness_all_types_variants_tuple6_flags1_flags8_perms_flags16_flags17_flags32_t *ret) {
    ret->f0 = (exports_witness_all_types_variants_flags1_t)(~(unsigned)a & FLAGS1_ALL);
    ret->f1 = (exports_witness_all_types_variants_flags8_t)(~(unsigned)b & FLAGS8_ALL);
    ret->f2 = (exports_witness_all_types_variants_perms_t)(~(unsigned)c & PERMS_ALL);
    ret->f3 = (exports_witness_all_types_variants_flags16_t)(~(unsigned)d & FLAGS16_ALL);
    ret->f4 = (exports_witness_all_types_variants_flags17_t)(~(uint32_t)e & FLAGS17_ALL);
    ret->f5 = (exports_witness_all_types_variants_flags32_t)(~(uint32_t)f & FLAGS32_ALL);
}

/* option<option<u32>>: the outer option is the pointer (NULL for none), the
 * inner one a struct.  The result option<u32> is the return value (is_some)
 * and *ret; *ret is always set, because the bindings copy it either way. */
bool exports_witness_all_types_variants_peel(all_types_option_u32_t *maybe_o, uint32_t *ret) {
    if (maybe_o == NULL) {
        *ret = 0;
        return false;
    }
    *ret = maybe_o->is_some ? inc_u32(maybe_o->val) : 0;
    return true;
}

void exports_witness_all_types_variants_bump_options(all_types_list_option_u8_t *l, all_types_list_option_u8_t *ret) {
    for (size_t idx = 0; idx < l->len; idx++) {
        if (l->ptr[idx].is_some) {
            l->ptr[idx].val = inc_u8(l->ptr[idx].val);
        }
    }
    *ret = *l;
}

/* option<option<string>> in, option<option<option<string>>> out: the outer
 * level of each is the pointer or the return value, so `some(o)` is `true`
 * with *ret set to o, which moves the string (if any) into the result. */
bool exports_witness_all_types_variants_deepen(all_types_option_string_t *maybe_o,
                                               all_types_option_option_string_t *ret) {
    memset(ret, 0, sizeof *ret);
    if (maybe_o != NULL) {
        ret->is_some = true;
        ret->val = *maybe_o;
    }
    return true;
}

/* result<string, u32>: true with *ret for ok, false with *err for err. */
bool exports_witness_all_types_variants_flip(exports_witness_all_types_types_result_u32_string_t *r, string_t *ret,
                                             uint32_t *err) {
    if (!r->is_err) {
        *ret = decimal(r->val.ok);
        *err = 0;
        return true;
    }
    *ret = (string_t){.ptr = NULL, .len = 0};
    *err = len_u32(r->val.err.len);
    all_types_string_free(&r->val.err);
    return false;
}

/* result<_, string>: true for ok, false with *err (a new string). */
bool exports_witness_all_types_variants_toggle(exports_witness_all_types_variants_result_void_void_t *r,
                                               string_t *err) {
    if (!r->is_err) {
        all_types_string_dup(err, "was ok");
        return false;
    }
    *err = (string_t){.ptr = NULL, .len = 0};
    return true;
}

bool exports_witness_all_types_variants_swap_ok(exports_witness_all_types_variants_result_u64_void_t *r,
                                                uint64_t *err) {
    if (!r->is_err) {
        *err = r->val.ok;
        return false;
    }
    *err = 0;
    return true;
}

/* `err(s)` becomes `ok(s)`: the string moves into the result. */
bool exports_witness_all_types_variants_swap_err(exports_witness_all_types_variants_result_void_string_t *r,
                                                 string_t *ret) {
    if (r->is_err) {
        *ret = r->val.err;
        return true;
    }
    *ret = (string_t){.ptr = NULL, .len = 0};
    return false;
}

/* ASCII digits only, at least one, no sign, leading zeros allowed, value at
 * most 255.  The string is dropped. */
bool exports_witness_all_types_variants_parse_u8(string_t *s, uint8_t *ret) {
    bool ok = s->len > 0;
    unsigned value = 0;
    for (size_t idx = 0; ok && idx < s->len; idx++) {
        uint8_t byte = s->ptr[idx];
        if (byte < '0' || byte > '9') {
            ok = false;
        } else {
            value = value * 10 + (unsigned)(byte - '0');
            ok = value <= UINT8_MAX;
        }
    }
    all_types_string_free(s);
    *ret = ok ? (uint8_t)value : 0;
    return ok;
}

void exports_witness_all_types_variants_echo_payload(payload_t *p, payload_t *ret) {
    *ret = *p;
}

void exports_witness_all_types_variants_echo_flags(
    exports_witness_all_types_variants_flags1_t a, exports_witness_all_types_variants_flags8_t b,
    exports_witness_all_types_variants_perms_t c, exports_witness_all_types_variants_flags16_t d,
    exports_witness_all_types_variants_flags17_t e, exports_witness_all_types_variants_flags32_t f,
    exports_witness_all_types_variants_tuple6_flags1_flags8_perms_flags16_flags17_flags32_t *ret) {
    ret->f0 = a;
    ret->f1 = b;
    ret->f2 = c;
    ret->f3 = d;
    ret->f4 = e;
    ret->f5 = f;
}

/* --- nested ------------------------------------------------------------ */

void exports_witness_all_types_nested_nest(deep_t *d, deep_t *ret) {
    reverse_elements(d->ptr, d->len, sizeof *d->ptr);
    for (size_t idx = 0; idx < d->len; idx++) {
        deep_element_t *element = &d->ptr[idx];
        if (!element->is_some) {
            continue;
        }
        if (element->val.is_err) {
            mirror_shape(&element->val.val.err);
            continue;
        }
        all_types_list_tuple2_char32_option_s64_t *list = &element->val.val.ok;
        reverse_elements(list->ptr, list->len, sizeof *list->ptr);
        for (size_t pos = 0; pos < list->len; pos++) {
            list->ptr[pos].f0 = next_scalar(list->ptr[pos].f0);
            if (list->ptr[pos].f1.is_some) {
                list->ptr[pos].f1.val = inc_s64(list->ptr[pos].f1.val);
            }
        }
    }
    *ret = *d;
}

void exports_witness_all_types_nested_echo_deep(deep_t *d, deep_t *ret) {
    *ret = *d;
}

void exports_witness_all_types_nested_echo_compound(
    exports_witness_all_types_nested_segment_t *s, exports_witness_all_types_nested_big_t b,
    exports_witness_all_types_nested_flags17_t f, exports_witness_all_types_nested_result_tuple2_single_string_list_point_t *r,
    exports_witness_all_types_nested_list_payload_t *p,
    exports_witness_all_types_nested_tuple5_segment_big_flags17_result_tuple2_single_string_list_point_list_payload_t *ret) {
    ret->f0 = *s;
    ret->f1 = b;
    ret->f2 = f;
    ret->f3 = *r;
    ret->f4 = *p;
}

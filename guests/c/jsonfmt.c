/*
 * The formatter: one pass over the input that validates it and prints it.
 *
 * A general JSON library decodes and re-encodes numbers and escapes, which the
 * contract forbids, so this file is its own scanner.  Every token is copied
 * from the input as it stands; only whitespace and, under sort-keys, the order
 * of members change.
 *
 * Sort-keys works on the output: the printer records where each member of
 * every open object starts and ends in the output buffer, and when an object
 * closes it reorders that object's members in place with a stable merge sort.
 * Moving a member does not change its text, since a member's indentation
 * depends only on its depth.
 */
#include "jsonfmt.h"

#include <stdlib.h>
#include <string.h>

/* A growable byte buffer. */
typedef struct buffer {
    char *data;
    size_t len;
    size_t cap;
} buffer;

/* An object member that sort-keys may move: its printed text is
 * out[start, end), without the separator after it.  key_start and key_end
 * delimit the key without its quotes: in the output when the key has no
 * escapes, else its decoded UTF-8 in printer.decoded_keys. */
typedef struct member {
    size_t start, end;
    size_t key_start, key_end;
    bool decoded;
} member;

/* Where an open, non-empty object's members and decoded keys start in the
 * printer's stacks (sort-keys only). */
typedef struct open_object {
    size_t members;
    size_t decoded_keys;
} open_object;

/* The state of one jsonfmt_format or jsonfmt_minify call. */
typedef struct printer {
    const unsigned char *in;
    size_t len;
    size_t pos;
    buffer out;

    bool pretty;
    bool sort;
    size_t indent;

    /* The number of open arrays and objects. */
    size_t depth;
    /* Bit d is set when the container at depth d + 1 is an object. */
    uint64_t objects[JSONFMT_MAX_DEPTH / 64];
    /* Whether the innermost open container is an object: bit depth - 1 of
     * objects, kept at hand because every separator needs it. */
    bool in_object;

    /* Sort-keys state: the members of every open object, innermost last. */
    member *members;
    size_t n_members;
    size_t cap_members;
    /* The merge sort's second array. */
    member *merge_scratch;
    size_t cap_merge_scratch;
    /* JSONFMT_MAX_DEPTH entries, allocated only when sorting: a printer is
     * zeroed at every call, and 4 KB of zeroes would cost a small call more
     * than its formatting. */
    open_object *open_objects;
    size_t n_open_objects;
    buffer decoded_keys;

    /* The first error: its status, offset and message. */
    jsonfmt_status status;
    size_t error_offset;
    const char *error_message;
} printer;

/* Hot helpers are inlined into the printer's loop: a call per token costs
 * more than the token's work in WebAssembly. */
#if defined(__GNUC__)
#define HOT_INLINE __attribute__((always_inline)) inline
#define COLD __attribute__((noinline, cold))
#else
#define HOT_INLINE inline
#define COLD
#endif

/* Grows buf to hold extra more bytes. */
static COLD bool buffer_grow(buffer *buf, size_t extra) {
    if (extra > SIZE_MAX - buf->len) {
        return false;
    }
    size_t needed = buf->len + extra;
    size_t cap = buf->cap < 64 ? 64 : buf->cap;
    while (cap < needed) {
        cap = cap > SIZE_MAX / 2 ? needed : cap * 2;
    }
    char *data = realloc(buf->data, cap);
    if (data == NULL) {
        return false;
    }
    buf->data = data;
    buf->cap = cap;
    return true;
}

/* Makes room for extra more bytes in buf. */
static HOT_INLINE bool buffer_reserve(buffer *buf, size_t extra) {
    return buf->cap - buf->len >= extra || buffer_grow(buf, extra);
}

static HOT_INLINE bool buffer_append(buffer *buf, const void *bytes, size_t n) {
    if (!buffer_reserve(buf, n)) {
        return false;
    }
    if (n > 0) {
        memcpy(buf->data + buf->len, bytes, n);
    }
    buf->len += n;
    return true;
}

static HOT_INLINE bool buffer_push(buffer *buf, char byte) {
    if (buf->len == buf->cap && !buffer_reserve(buf, 1)) {
        return false;
    }
    buf->data[buf->len++] = byte;
    return true;
}

/* Appends the UTF-8 encoding of the scalar value scalar. */
static bool buffer_push_utf8(buffer *buf, uint32_t scalar) {
    char bytes[4];
    size_t n;
    if (scalar < 0x80) {
        bytes[0] = (char)scalar;
        n = 1;
    } else if (scalar < 0x800) {
        bytes[0] = (char)(0xC0 | (scalar >> 6));
        bytes[1] = (char)(0x80 | (scalar & 0x3F));
        n = 2;
    } else if (scalar < 0x10000) {
        bytes[0] = (char)(0xE0 | (scalar >> 12));
        bytes[1] = (char)(0x80 | ((scalar >> 6) & 0x3F));
        bytes[2] = (char)(0x80 | (scalar & 0x3F));
        n = 3;
    } else {
        bytes[0] = (char)(0xF0 | (scalar >> 18));
        bytes[1] = (char)(0x80 | ((scalar >> 12) & 0x3F));
        bytes[2] = (char)(0x80 | ((scalar >> 6) & 0x3F));
        bytes[3] = (char)(0x80 | (scalar & 0x3F));
        n = 4;
    }
    return buffer_append(buf, bytes, n);
}

/* Which bytes continue a string without a closer look: everything but '"',
 * '\\' and the control characters U+0000 to U+001F. */
static const unsigned char plain_string_byte[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* The value of a hex digit of either case, or -1 for any other byte. */
static HOT_INLINE int hex_value(unsigned char byte) {
    if (byte >= '0' && byte <= '9') {
        return byte - '0';
    }
    if (byte >= 'a' && byte <= 'f') {
        return byte - 'a' + 10;
    }
    if (byte >= 'A' && byte <= 'F') {
        return byte - 'A' + 10;
    }
    return -1;
}

static HOT_INLINE bool is_digit(unsigned char byte) {
    return byte >= '0' && byte <= '9';
}

/* Records a syntax error at offset; always false, for `return fail_at(...)`. */
static bool fail_at(printer *p, size_t offset, const char *message) {
    p->status = JSONFMT_SYNTAX_ERROR;
    p->error_offset = offset;
    p->error_message = message;
    return false;
}

/* The error for an input that ends while it is still a valid prefix of an
 * accepted document. */
static bool fail_end(printer *p) {
    return fail_at(p, p->len, "unexpected end of input");
}

static bool fail_oom(printer *p) {
    p->status = JSONFMT_OUT_OF_MEMORY;
    return false;
}

static HOT_INLINE bool emit(printer *p, const void *bytes, size_t n) {
    return buffer_append(&p->out, bytes, n) || fail_oom(p);
}

static HOT_INLINE bool emit_byte(printer *p, char byte) {
    return buffer_push(&p->out, byte) || fail_oom(p);
}

/* Writes a newline and the indentation of the current depth (pretty output
 * only).  Most lines are indented by fewer than 32 spaces; for those, a
 * fixed-size copy of a newline and 32 spaces is cheaper than a memset of the
 * exact length, and the bytes past the indentation are overwritten later. */
static HOT_INLINE bool newline(printer *p) {
    static const char newline_and_spaces[33] = "\n                                ";
    if (!p->pretty) {
        return true;
    }
    size_t spaces = p->depth * p->indent;
    if (spaces < 32) {
        if (!buffer_reserve(&p->out, sizeof newline_and_spaces)) {
            return fail_oom(p);
        }
        memcpy(p->out.data + p->out.len, newline_and_spaces, sizeof newline_and_spaces);
        p->out.len += 1 + spaces;
        return true;
    }
    if (!buffer_reserve(&p->out, 1 + spaces)) {
        return fail_oom(p);
    }
    p->out.data[p->out.len] = '\n';
    memset(p->out.data + p->out.len + 1, ' ', spaces);
    p->out.len += 1 + spaces;
    return true;
}

/* Skips space, tab, LF and CR. */
static HOT_INLINE void skip_whitespace(printer *p) {
    const unsigned char *in = p->in;
    size_t pos = p->pos;
    while (pos < p->len) {
        unsigned char byte = in[pos];
        if (byte == ' ' || byte == '\t' || byte == '\r') {
            pos++;
        } else if (byte == '\n') {
            pos++;
            /* Pretty-printed input indents after each newline, often by many
             * spaces. */
            while (p->len - pos >= 8 && memcmp(in + pos, "        ", 8) == 0) {
                pos += 8;
            }
        } else {
            break;
        }
    }
    p->pos = pos;
}

/* Finds the first byte at or after pos that ends a run of plain string
 * content ('"', '\\' or a control character), or the input's length.
 *
 * Where the byte order allows, eight bytes are tested at a time as one
 * uint64_t ("SIMD within a register"): a byte that is zero after XOR with '"'
 * or '\\', or that is below 0x20, sets its top bit in stops.  Borrows can only
 * flag bytes above a real match, so the lowest flagged byte is the first
 * stop. */
static HOT_INLINE size_t plain_run_end(const printer *p, size_t pos) {
    const unsigned char *in = p->in;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101u;
    const uint64_t highs = 0x8080808080808080u;
    while (p->len - pos >= 8) {
        uint64_t word;
        memcpy(&word, in + pos, 8);
        uint64_t quote = word ^ (ones * '"');
        uint64_t backslash = word ^ (ones * '\\');
        uint64_t stops = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | ((word - ones * 0x20) & ~word);
        stops &= highs;
        if (stops != 0) {
            return pos + (size_t)__builtin_ctzll(stops) / 8;
        }
        pos += 8;
    }
#endif
    while (pos < p->len && plain_string_byte[in[pos]]) {
        pos++;
    }
    return pos;
}

/* Records that a container opens at depth p->depth + 1. */
static void push(printer *p, bool is_object) {
    size_t level = p->depth;
    uint64_t bit = (uint64_t)1 << (level % 64);
    if (is_object) {
        p->objects[level / 64] |= bit;
    } else {
        p->objects[level / 64] &= ~bit;
    }
    p->depth++;
    p->in_object = is_object;
}

/* Records that the innermost container closed. */
static void pop(printer *p) {
    p->depth--;
    if (p->depth > 0) {
        size_t level = p->depth - 1;
        p->in_object = (p->objects[level / 64] >> (level % 64)) & 1;
    }
}

/* Whether in[at, at + 6) is a complete \u escape of a low surrogate (DC00 to
 * DFFF).  An input that ends sooner has none: the contract then reports the
 * unpaired high surrogate, not the end of the input. */
static bool low_surrogate_follows(const printer *p, size_t at) {
    if (p->len - at < 6) {
        return false;
    }
    const unsigned char *escape = p->in + at;
    unsigned char second = escape[3] | 0x20;
    return escape[0] == '\\' && escape[1] == 'u' && (escape[2] | 0x20) == 'd' && second >= 'c' && second <= 'f' &&
           hex_value(escape[4]) >= 0 && hex_value(escape[5]) >= 0;
}

/* Validates the escape whose backslash is at backslash, and sets *next to the
 * offset just after it (after both escapes of a surrogate pair). */
static bool escape(printer *p, size_t backslash, size_t *next) {
    const unsigned char *in = p->in;
    if (p->len - backslash < 2) {
        return fail_end(p);
    }
    switch (in[backslash + 1]) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        *next = backslash + 2;
        return true;
    case 'u':
        break;
    default:
        return fail_at(p, backslash + 1, "invalid escape");
    }
    uint32_t unit = 0;
    for (size_t digit_idx = 0; digit_idx < 4; digit_idx++) {
        size_t at = backslash + 2 + digit_idx;
        if (at >= p->len) {
            return fail_end(p);
        }
        int digit = hex_value(in[at]);
        if (digit < 0) {
            return fail_at(p, at, "invalid hex digit in a \\u escape");
        }
        unit = unit << 4 | (uint32_t)digit;
        /* Two digits D and C-F already make a low surrogate, which is
         * unpaired here: a low surrogate that follows a high one is read by
         * low_surrogate_follows, never by this loop.  The contract reports it
         * at its backslash, even when the escape is cut short. */
        if (digit_idx == 1 && unit >= 0xDC && unit <= 0xDF) {
            return fail_at(p, backslash, "a low surrogate escape without a high surrogate escape before it");
        }
    }
    if (unit < 0xD800 || unit > 0xDBFF) {
        *next = backslash + 6;
        return true;
    }
    if (!low_surrogate_follows(p, backslash + 6)) {
        return fail_at(p, backslash, "a high surrogate escape not followed by a low surrogate escape");
    }
    *next = backslash + 12;
    return true;
}

/* Validates and copies the string whose opening quote is at the cursor, and
 * tells whether it has escapes. */
static bool string(printer *p, bool *has_escapes) {
    const unsigned char *in = p->in;
    size_t start = p->pos;
    size_t pos = start + 1;
    *has_escapes = false;
    for (;;) {
        pos = plain_run_end(p, pos);
        if (pos >= p->len) {
            return fail_end(p);
        }
        if (in[pos] == '"') {
            pos++;
            p->pos = pos;
            return emit(p, in + start, pos - start);
        }
        if (in[pos] != '\\') {
            return fail_at(p, pos, "a control character in a string must be escaped");
        }
        *has_escapes = true;
        if (!escape(p, pos, &pos)) {
            return false;
        }
    }
}

/* Skips the one or more digits that must be at *pos. */
static bool required_digits(printer *p, size_t *pos) {
    if (*pos >= p->len) {
        return fail_end(p);
    }
    if (!is_digit(p->in[*pos])) {
        return fail_at(p, *pos, "expected a digit");
    }
    do {
        ++*pos;
    } while (*pos < p->len && is_digit(p->in[*pos]));
    return true;
}

/* Validates and copies the number at the cursor, which is '-' or a digit. */
static bool number(printer *p) {
    const unsigned char *in = p->in;
    size_t start = p->pos;
    size_t pos = start;
    if (in[pos] == '-') {
        pos++;
    }
    if (pos >= p->len) {
        return fail_end(p);
    }
    if (in[pos] == '0') {
        /* A leading zero ends the integer part: "01" fails at the "1", where
         * the caller expects what follows a value. */
        pos++;
    } else if (!required_digits(p, &pos)) {
        return false;
    }
    if (pos < p->len && in[pos] == '.') {
        pos++;
        if (!required_digits(p, &pos)) {
            return false;
        }
    }
    if (pos < p->len && (in[pos] == 'e' || in[pos] == 'E')) {
        pos++;
        if (pos < p->len && (in[pos] == '+' || in[pos] == '-')) {
            pos++;
        }
        if (!required_digits(p, &pos)) {
            return false;
        }
    }
    p->pos = pos;
    return emit(p, in + start, pos - start);
}

/* Validates and copies word (true, false or null) at the cursor, byte by
 * byte, so that "trUe" fails at the "U". */
static bool literal(printer *p, const char *word, size_t word_len) {
    size_t start = p->pos;
    for (size_t idx = 0; idx < word_len; idx++) {
        if (start + idx >= p->len) {
            return fail_end(p);
        }
        if (p->in[start + idx] != (unsigned char)word[idx]) {
            return fail_at(p, start + idx, "invalid literal");
        }
    }
    p->pos = start + word_len;
    return emit(p, word, word_len);
}

/* The value of the four hex digits at raw, which are valid. */
static uint32_t hex4(const unsigned char *raw) {
    uint32_t value = 0;
    for (size_t idx = 0; idx < 4; idx++) {
        value = value << 4 | (uint32_t)hex_value(raw[idx]);
    }
    return value;
}

/* Appends the UTF-8 of the decoded value of the key text raw[0, len) (between
 * its quotes, already validated: every escape is complete and surrogate
 * escapes come in pairs) to p->decoded_keys.  UTF-8 byte order is code-point
 * order, so decoded keys compare with memcmp. */
static bool append_decoded(printer *p, const unsigned char *raw, size_t len) {
    buffer *decoded = &p->decoded_keys;
    size_t idx = 0;
    while (idx < len) {
        size_t run_start = idx;
        while (idx < len && raw[idx] != '\\') {
            idx++;
        }
        if (!buffer_append(decoded, raw + run_start, idx - run_start)) {
            return fail_oom(p);
        }
        if (idx == len) {
            break;
        }
        unsigned char kind = raw[idx + 1];
        idx += 2;
        uint32_t scalar;
        switch (kind) {
        case 'b':
            scalar = '\b';
            break;
        case 'f':
            scalar = '\f';
            break;
        case 'n':
            scalar = '\n';
            break;
        case 'r':
            scalar = '\r';
            break;
        case 't':
            scalar = '\t';
            break;
        case 'u':
            scalar = hex4(raw + idx);
            idx += 4;
            if (scalar >= 0xD800 && scalar <= 0xDBFF) {
                /* Skip the "\u" of the low surrogate that must follow. */
                uint32_t low = hex4(raw + idx + 2);
                idx += 6;
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00);
            }
            break;
        default:
            /* '"', '\' and '/' stand for themselves. */
            scalar = kind;
            break;
        }
        if (!buffer_push_utf8(decoded, scalar)) {
            return fail_oom(p);
        }
    }
    return true;
}

/* The key that sort-keys compares for m: the UTF-8 of its decoded value. */
static const char *key_bytes(const printer *p, const member *m) {
    return (m->decoded ? p->decoded_keys.data : p->out.data) + m->key_start;
}

/* Compares the keys of a and b in code-point order. */
static int compare_keys(const printer *p, const member *a, const member *b) {
    size_t len_a = a->key_end - a->key_start;
    size_t len_b = b->key_end - b->key_start;
    size_t common = len_a < len_b ? len_a : len_b;
    int res = common > 0 ? memcmp(key_bytes(p, a), key_bytes(p, b), common) : 0;
    if (res != 0) {
        return res;
    }
    return (len_a > len_b) - (len_a < len_b);
}

/* Sorts items[0, n) by key with a bottom-up merge sort, which is stable:
 * members with equal keys keep their input order.  tmp has room for n. */
static void merge_sort(const printer *p, member *items, member *tmp, size_t n) {
    member *from = items;
    member *to = tmp;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = n - lo < width ? n : lo + width;
            size_t hi = n - lo < 2 * width ? n : lo + 2 * width;
            size_t left = lo;
            size_t right = mid;
            size_t dest = lo;
            while (left < mid && right < hi) {
                /* Ties take the left run, which came first. */
                if (compare_keys(p, &from[right], &from[left]) < 0) {
                    to[dest++] = from[right++];
                } else {
                    to[dest++] = from[left++];
                }
            }
            while (left < mid) {
                to[dest++] = from[left++];
            }
            while (right < hi) {
                to[dest++] = from[right++];
            }
        }
        member *swap = from;
        from = to;
        to = swap;
    }
    if (from != items) {
        memcpy(items, from, n * sizeof *items);
    }
}

/* Marks the end of the innermost object's last member (sort-keys). */
static void end_member(printer *p) {
    p->members[p->n_members - 1].end = p->out.len;
}

/* Reorders the printed members of the innermost object, which is closing, by
 * key (sort-keys).  The members run from the first one's start to the end of
 * the output, separated by ',' and a newline with the indentation of the
 * current depth.  If they are already in order, nothing is copied. */
static bool sort_members(printer *p) {
    open_object top = p->open_objects[--p->n_open_objects];
    member *object_members = p->members + top.members;
    size_t n = p->n_members - top.members;
    bool in_order = true;
    for (size_t idx = 1; idx < n; idx++) {
        if (compare_keys(p, &object_members[idx - 1], &object_members[idx]) > 0) {
            in_order = false;
            break;
        }
    }
    if (!in_order) {
        if (p->cap_merge_scratch < n) {
            member *scratch = realloc(p->merge_scratch, n * sizeof *scratch);
            if (scratch == NULL) {
                return fail_oom(p);
            }
            p->merge_scratch = scratch;
            p->cap_merge_scratch = n;
        }
        size_t region_start = object_members[0].start;
        size_t region_len = p->out.len - region_start;
        merge_sort(p, object_members, p->merge_scratch, n);
        /* The region keeps its length, so the output buffer holds the copy
         * of the region while it is rewritten from its start. */
        if (!buffer_reserve(&p->out, region_len)) {
            return fail_oom(p);
        }
        char *copy = p->out.data + p->out.len;
        memcpy(copy, p->out.data + region_start, region_len);
        /* The separators are written byte for byte: newline() may write past
         * the end of the output, which is where the copy is. */
        size_t spaces = p->depth * p->indent;
        char *dest = p->out.data + region_start;
        for (size_t idx = 0; idx < n; idx++) {
            if (idx > 0) {
                *dest++ = ',';
                *dest++ = '\n';
                memset(dest, ' ', spaces);
                dest += spaces;
            }
            const member *m = &object_members[idx];
            memcpy(dest, copy + (m->start - region_start), m->end - m->start);
            dest += m->end - m->start;
        }
        p->out.len = (size_t)(dest - p->out.data);
    }
    p->n_members = top.members;
    p->decoded_keys.len = top.decoded_keys;
    return true;
}

/* Prints an object member's key (which must be at the cursor) and the ':'
 * after it, and skips the whitespace before its value. */
static bool member_key(printer *p) {
    if (p->pos >= p->len) {
        return fail_end(p);
    }
    if (p->in[p->pos] != '"') {
        return fail_at(p, p->pos, "expected a string key");
    }
    size_t start = p->out.len;
    bool has_escapes;
    if (!string(p, &has_escapes)) {
        return false;
    }
    if (p->sort) {
        member m = {.start = start, .end = start, .key_start = start + 1, .key_end = p->out.len - 1};
        if (has_escapes) {
            size_t decoded_start = p->decoded_keys.len;
            if (!append_decoded(p, (const unsigned char *)p->out.data + m.key_start, m.key_end - m.key_start)) {
                return false;
            }
            m.key_start = decoded_start;
            m.key_end = p->decoded_keys.len;
            m.decoded = true;
        }
        if (p->n_members == p->cap_members) {
            size_t cap = p->cap_members < 16 ? 16 : p->cap_members * 2;
            member *members = realloc(p->members, cap * sizeof *members);
            if (members == NULL) {
                return fail_oom(p);
            }
            p->members = members;
            p->cap_members = cap;
        }
        p->members[p->n_members++] = m;
    }
    skip_whitespace(p);
    if (p->pos >= p->len) {
        return fail_end(p);
    }
    if (p->in[p->pos] != ':') {
        return fail_at(p, p->pos, "expected ':'");
    }
    p->pos++;
    if (!(p->pretty ? emit(p, ": ", 2) : emit_byte(p, ':'))) {
        return false;
    }
    skip_whitespace(p);
    return true;
}

/* Validates and prints the whole input. */
static bool run(printer *p) {
    const unsigned char *in = p->in;
    if (p->len >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF) {
        return fail_at(p, 0, "a byte order mark (U+FEFF) is not allowed");
    }
    skip_whitespace(p);
    for (;;) {
        /* The cursor is where a value must start. */
        if (p->pos >= p->len) {
            return fail_end(p);
        }
        unsigned char c = in[p->pos];
        switch (c) {
        case '{':
        case '[': {
            if (p->depth == JSONFMT_MAX_DEPTH) {
                return fail_at(p, p->pos, "nesting deeper than 256 arrays and objects");
            }
            bool is_object = c == '{';
            unsigned char closer = is_object ? '}' : ']';
            push(p, is_object);
            p->pos++;
            skip_whitespace(p);
            if (p->pos < p->len && in[p->pos] == closer) {
                p->pos++;
                pop(p);
                char empty[2] = {(char)c, (char)closer};
                if (!emit(p, empty, 2)) {
                    return false;
                }
                break;
            }
            if (!(emit_byte(p, (char)c) && newline(p))) {
                return false;
            }
            if (!is_object) {
                continue;
            }
            if (p->sort) {
                p->open_objects[p->n_open_objects++] =
                    (open_object){.members = p->n_members, .decoded_keys = p->decoded_keys.len};
            }
            if (!member_key(p)) {
                return false;
            }
            continue;
        }
        case '"': {
            bool has_escapes;
            if (!string(p, &has_escapes)) {
                return false;
            }
            break;
        }
        case '-':
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9':
            if (!number(p)) {
                return false;
            }
            break;
        case 't':
            if (!literal(p, "true", 4)) {
                return false;
            }
            break;
        case 'f':
            if (!literal(p, "false", 5)) {
                return false;
            }
            break;
        case 'n':
            if (!literal(p, "null", 4)) {
                return false;
            }
            break;
        default:
            return fail_at(p, p->pos, "expected a value");
        }

        /* A value is complete: close containers until one goes on. */
        for (;;) {
            skip_whitespace(p);
            if (p->depth == 0) {
                if (p->pos < p->len) {
                    return fail_at(p, p->pos, "unexpected content after the value");
                }
                return true;
            }
            if (p->pos >= p->len) {
                return fail_end(p);
            }
            c = in[p->pos];
            if (c == ',') {
                p->pos++;
                if (p->sort && p->in_object) {
                    end_member(p);
                }
                if (!(emit_byte(p, ',') && newline(p))) {
                    return false;
                }
                skip_whitespace(p);
                if (p->in_object && !member_key(p)) {
                    return false;
                }
                break;
            }
            if (c == ']' && !p->in_object) {
                p->pos++;
                pop(p);
                if (!(newline(p) && emit_byte(p, ']'))) {
                    return false;
                }
                continue;
            }
            if (c == '}' && p->in_object) {
                p->pos++;
                if (p->sort) {
                    end_member(p);
                    if (!sort_members(p)) {
                        return false;
                    }
                }
                pop(p);
                if (!(newline(p) && emit_byte(p, '}'))) {
                    return false;
                }
                continue;
            }
            return fail_at(p, p->pos, p->in_object ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
}

/* Writes the decimal digits of value at the end of buf. */
static bool buffer_push_decimal(buffer *buf, size_t value) {
    char digits[24];
    size_t n = 0;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    return buffer_append(buf, digits + sizeof digits - n, n);
}

/* Builds the message of an error: prefix, an optional number, separator and
 * detail. */
static jsonfmt_result error_result(jsonfmt_status status, const char *prefix, bool has_number, size_t number_value,
                                   const char *separator, const char *detail) {
    jsonfmt_result res = {.status = status, .offset = status == JSONFMT_SYNTAX_ERROR ? number_value : 0};
    buffer message = {0};
    bool ok = buffer_append(&message, prefix, strlen(prefix)) &&
              (!has_number || buffer_push_decimal(&message, number_value)) &&
              buffer_append(&message, separator, strlen(separator)) &&
              buffer_append(&message, detail, strlen(detail));
    if (!ok) {
        free(message.data);
        return (jsonfmt_result){.status = JSONFMT_OUT_OF_MEMORY};
    }
    res.text = message.data;
    res.len = message.len;
    return res;
}

/* Runs a printer over input and turns its state into a result. */
static jsonfmt_result print(const char *input, size_t input_len, bool pretty, const jsonfmt_options *options) {
    printer p = {
        .in = (const unsigned char *)input,
        .len = input_len,
        .pretty = pretty,
        .sort = pretty && options->sort_keys,
        .indent = pretty ? options->indent : 0,
    };
    /* Pretty output of a minified document is about twice as long as its
     * input, and minified output is never longer than its input; the buffer
     * grows when the guess is short. */
    size_t guess = input_len;
    if (pretty && input_len < SIZE_MAX / 4) {
        guess = 2 * input_len + 64;
    }
    if (p.sort) {
        p.open_objects = malloc(JSONFMT_MAX_DEPTH * sizeof *p.open_objects);
    }
    bool ok = buffer_reserve(&p.out, guess) && (!p.sort || p.open_objects != NULL) && run(&p);
    if (!ok && p.status == JSONFMT_OK) {
        p.status = JSONFMT_OUT_OF_MEMORY;
    }
    free(p.open_objects);
    free(p.members);
    free(p.merge_scratch);
    free(p.decoded_keys.data);
    if (ok) {
        return (jsonfmt_result){.status = JSONFMT_OK, .text = p.out.data, .len = p.out.len};
    }
    free(p.out.data);
    if (p.status == JSONFMT_OUT_OF_MEMORY) {
        return (jsonfmt_result){.status = JSONFMT_OUT_OF_MEMORY};
    }
    return error_result(JSONFMT_SYNTAX_ERROR, "at byte ", true, p.error_offset, ": ", p.error_message);
}

jsonfmt_result jsonfmt_format(const char *input, size_t input_len, const jsonfmt_options *options) {
    static const jsonfmt_options default_options = {.indent = 2, .sort_keys = false};
    if (options == NULL) {
        options = &default_options;
    }
    if (options->indent > JSONFMT_MAX_INDENT) {
        return error_result(JSONFMT_INVALID_OPTIONS, "invalid options: indent ", true, options->indent,
                            " is greater than 16", "");
    }
    return print(input, input_len, true, options);
}

jsonfmt_result jsonfmt_minify(const char *input, size_t input_len) {
    return print(input, input_len, false, NULL);
}

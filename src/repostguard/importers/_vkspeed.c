/*
 * repostguard.importers._vkspeed: the per-character work of eliding a VK record, in one pass.
 *
 * An optional accelerator of vk_html.elide_record for records in a single-byte encoding (VK's
 * windows-1251). It does exactly what the Python code does (``<br>`` as a line break, the record
 * split at ``<``, each long text run whitespace-normalized, decoded and entity-decoded, and
 * replaced by a placeholder), and also gives each run's UTF-8 bytes, which the store writes. It
 * never guesses: whenever a record needs anything but the plain reading (``<br/>``, an entity
 * the plain reading leaves to html.unescape, an entity whose text is whitespace, a byte the
 * encoding does not define), it returns None and the Python code does the whole record. The
 * Python code stays the reference: tests compare the two on generated records.
 *
 * Every read is bounded by the lengths of the buffers it reads. Every write goes to a buffer
 * whose capacity is checked before the write, or to a run's scratch buffers, sized by the bound
 * argued at body_text (a run's text never has more code points than bytes).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#if defined(_MSC_VER)
#define RESTRICT __restrict /* MSVC's C compiler knows "restrict" only in its C11 mode */
#else
#define RESTRICT restrict
#endif

/* character classes of a byte, from the decoding table and the bytes read as spaces */
enum { C_TEXT = 0, C_SPACE = 1, C_NL = 2, C_AMP = 3, C_UNDEFINED = 4 };

typedef struct {
    unsigned char *data;
    Py_ssize_t len, cap;
} Buf;

static int
buf_reserve(Buf *b, Py_ssize_t more)
{
    if (more > PY_SSIZE_T_MAX - b->len)
        return -1;
    if (b->len + more <= b->cap)
        return 0;
    Py_ssize_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more) {
        if (cap > PY_SSIZE_T_MAX / 2)
            return -1;
        cap *= 2;
    }
    unsigned char *p = PyMem_Realloc(b->data, (size_t)cap);
    if (p == NULL)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

static int
buf_put(Buf *b, const void *src, Py_ssize_t n)
{
    if (n <= 0)
        return 0;
    if (buf_reserve(b, n) < 0)
        return -1;
    memcpy(b->data + b->len, src, (size_t)n);
    b->len += n;
    return 0;
}

/* the canonical form of a whitespace run holding ``nl`` line breaks: " ", "\n" or "\n\n" */
static const char *
ws_form(Py_ssize_t nl, Py_ssize_t *len)
{
    if (nl == 0) {
        *len = 1;
        return " ";
    }
    if (nl == 1) {
        *len = 1;
        return "\n";
    }
    *len = 2;
    return "\n\n";
}

/* the text of a numeric character reference as vk_html._entity_value reads it, or -1 */
static long
numeric_value(long n)
{
    if ((0x20 <= n && n < 0x7F) || (0xA0 <= n && n < 0xD800) || (0xE000 <= n && n < 0xFDD0) ||
        (0xFDEF < n && n < 0x110000 && (n & 0xFFFE) != 0xFFFE))
        return n;
    return -1;
}

/* flags of a byte in a run's body */
enum { F_SPECIAL = 1, F_WS = 2 };

typedef struct {
    uint32_t dec[256];           /* byte -> code point */
    unsigned char cls[256];      /* byte -> class */
    unsigned char flags[256];    /* byte -> F_SPECIAL (leaves the plain copy) | F_WS (" ", "\n") */
    unsigned char e8[256][4];    /* byte -> its character's UTF-8 */
    unsigned char e8len[256];
    PyObject *entities;          /* name (str) -> text (str) */
    PyObject *run_spaces;        /* str: characters an entity's text must not hold */
    uint32_t *ucs;               /* scratch: the body's code points */
    unsigned char *utf8;         /* scratch: the body's UTF-8 (4 bytes a code point, and 4 more) */
} Ctx;

static inline Py_ssize_t
put_utf8(unsigned char *o, uint32_t c)
{
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | (c >> 6));
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12));
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18));
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

static inline int
is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int
in_run_spaces(PyObject *run_spaces, Py_UCS4 c)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(run_spaces);
    int kind = PyUnicode_KIND(run_spaces);
    const void *data = PyUnicode_DATA(run_spaces);
    for (Py_ssize_t q = 0; q < len; q++)
        if (PyUnicode_READ(kind, data, q) == c)
            return 1;
    return 0;
}

/*
 * The body of a run (no whitespace at either end), normalized and decoded into ctx's scratch
 * buffers (capacity: n code points, 4n + 4 bytes). Returns 1 on success, 0 when the plain
 * reading does not cover it (the caller gives up), -1 on a Python error. ``*bits`` is the OR of
 * the code points, which is in the same str kind class (< 128, < 256, < 65536) as their maximum.
 *
 * Entities are at least as long as their text (a named entity of k >= 2 letters with its "&"
 * and ";" gives at most 2 code points: checked), and a whitespace run never grows, so n code
 * points always suffice.
 */
static int
body_text(Ctx *ctx, const unsigned char *s, Py_ssize_t n, Py_ssize_t *ucs_len, Py_ssize_t *utf8_len,
          uint32_t *bits)
{
    const uint32_t *dec = ctx->dec;
    const unsigned char *cls = ctx->cls, *flags = ctx->flags;
    uint32_t *RESTRICT u = ctx->ucs;
    unsigned char *RESTRICT o = ctx->utf8;
    Py_ssize_t nu = 0, no = 0, i = 0;
    uint32_t orv = 0;
    while (i < n) {
        /* the plain copy: characters and lone " " or "\n", which are already normalized */
        unsigned prev_ws = 0;
        while (i < n) {
            unsigned char b = s[i];
            unsigned f = flags[b];
            if ((f & F_SPECIAL) | ((f >> 1) & prev_ws))
                break;
            prev_ws = f >> 1;
            uint32_t c = dec[b];
            u[nu++] = c;
            orv |= c;
            memcpy(o + no, ctx->e8[b], 4);
            no += ctx->e8len[b];
            i++;
        }
        if (i >= n)
            break;
        unsigned char b = s[i];
        if (cls[b] == C_SPACE || cls[b] == C_NL) {
            if (prev_ws) { /* the run began with the " " or "\n" just copied: take it back */
                nu--;
                no--;
                i--;
            }
            Py_ssize_t nl = 0, len;
            while (i < n && (cls[s[i]] == C_SPACE || cls[s[i]] == C_NL)) {
                nl += cls[s[i]] == C_NL;
                i++;
            }
            const char *form = ws_form(nl, &len);
            for (Py_ssize_t k = 0; k < len; k++) {
                u[nu++] = (uint32_t)form[k];
                o[no++] = (unsigned char)form[k];
                orv |= (uint32_t)form[k];
            }
        } else if (cls[b] == C_AMP) {
            if (i + 1 < n && s[i + 1] == '#') {
                Py_ssize_t k = i + 2, end = i + 2;
                while (end < n && end - k < 8 && is_digit(s[end]))
                    end++;
                if (end == k || end - k > 7 || end >= n || s[end] != ';')
                    return 0; /* an "&#" the plain reading leaves to html.unescape */
                long v = 0;
                for (Py_ssize_t q = k; q < end; q++)
                    v = v * 10 + (s[q] - '0');
                long c = numeric_value(v);
                if (c < 0 || in_run_spaces(ctx->run_spaces, (Py_UCS4)c))
                    return 0; /* read otherwise, or whitespace: normalized again in Python */
                u[nu++] = (uint32_t)c;
                orv |= (uint32_t)c;
                no += put_utf8(o + no, (uint32_t)c);
                i = end + 1;
            } else if (i + 1 < n && is_alpha(s[i + 1])) {
                Py_ssize_t k = i + 1, end = i + 2;
                while (end < n && end - k <= 32 && (is_alpha(s[end]) || is_digit(s[end])))
                    end++;
                Py_ssize_t len = end - k;
                if (len < 2 || len > 32 || end >= n || s[end] != ';')
                    return 0;
                PyObject *name = PyUnicode_FromStringAndSize((const char *)s + k, len);
                if (name == NULL)
                    return -1;
                PyObject *val = PyDict_GetItemWithError(ctx->entities, name); /* borrowed */
                Py_DECREF(name);
                if (val == NULL)
                    return PyErr_Occurred() ? -1 : 0;
                if (!PyUnicode_Check(val))
                    return 0;
                Py_ssize_t vlen = PyUnicode_GET_LENGTH(val);
                if (vlen > 2)
                    return 0; /* would not fit the bound above: never for HTML5's entities */
                int vkind = PyUnicode_KIND(val);
                const void *vdata = PyUnicode_DATA(val);
                for (Py_ssize_t q = 0; q < vlen; q++) {
                    Py_UCS4 c = PyUnicode_READ(vkind, vdata, q);
                    if (in_run_spaces(ctx->run_spaces, c) || (c >= 0xD800 && c < 0xE000))
                        return 0; /* whitespace, or a lone surrogate that would not encode */
                }
                for (Py_ssize_t q = 0; q < vlen; q++) {
                    Py_UCS4 c = PyUnicode_READ(vkind, vdata, q);
                    u[nu++] = (uint32_t)c;
                    orv |= (uint32_t)c;
                    no += put_utf8(o + no, (uint32_t)c);
                }
                i = end + 1;
            } else {
                u[nu++] = '&';
                o[no++] = '&';
                orv |= '&';
                i++;
            }
        } else { /* a byte the encoding does not define: Python raises for it */
            return 0;
        }
    }
    *ucs_len = nu;
    *utf8_len = no;
    *bits = orv;
    return 1;
}

/*
 * Scratch buffers for a run's code points and UTF-8, kept between calls (the GIL is held
 * throughout, and nothing here calls back into Python code): a fresh buffer of a record's size
 * each time would be fresh pages, faulted in one by one.
 */
static uint32_t *scratch_ucs = NULL;
static unsigned char *scratch_utf8 = NULL;
static Py_ssize_t scratch_cap = 0;

static int
scratch_reserve(Py_ssize_t n)
{
    if (n <= scratch_cap)
        return 0;
    if ((size_t)n > (size_t)PY_SSIZE_T_MAX / 4 - 1)
        return -1;
    uint32_t *u = PyMem_Realloc(scratch_ucs, (size_t)n * sizeof(uint32_t));
    if (u == NULL)
        return -1;
    scratch_ucs = u;
    unsigned char *o = PyMem_Realloc(scratch_utf8, (size_t)n * 4 + 4);
    if (o == NULL)
        return -1;
    scratch_utf8 = o;
    scratch_cap = n;
    return 0;
}

/* a str of ``n`` code points from ``u``; ``bits``: the OR of them (see body_text) */
static PyObject *
make_str(const uint32_t *u, Py_ssize_t n, uint32_t bits)
{
    PyObject *s = PyUnicode_New(n, bits > 0x10FFFF ? 0x10FFFF : (Py_UCS4)bits);
    if (s == NULL)
        return NULL;
    int kind = PyUnicode_KIND(s);
    void *data = PyUnicode_DATA(s);
    if (kind == PyUnicode_1BYTE_KIND) {
        Py_UCS1 *d = data;
        for (Py_ssize_t k = 0; k < n; k++)
            d[k] = (Py_UCS1)u[k];
    } else if (kind == PyUnicode_2BYTE_KIND) {
        Py_UCS2 *d = data;
        for (Py_ssize_t k = 0; k < n; k++)
            d[k] = (Py_UCS2)u[k];
    } else {
        memcpy(data, u, (size_t)n * sizeof(Py_UCS4));
    }
    return s;
}

static int
starts_with_any(const unsigned char *p, Py_ssize_t n, PyObject *heads)
{
    Py_ssize_t count = PyTuple_GET_SIZE(heads);
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *h = PyTuple_GET_ITEM(heads, k);
        Py_ssize_t hl = PyBytes_GET_SIZE(h);
        if (hl <= n && memcmp(p, PyBytes_AS_STRING(h), (size_t)hl) == 0)
            return 1;
    }
    return 0;
}

static int
is_br_head(const unsigned char *p, Py_ssize_t n)
{
    return n >= 2 && (p[0] == 'b' || p[0] == 'B') && (p[1] == 'r' || p[1] == 'R');
}

PyDoc_STRVAR(elide_doc,
"elide(raw, table, spaces, entities, run_spaces, long_text, raw_tags)\n--\n\n"
"vk_html.elide_record's work on ``raw`` (bytes in a single-byte encoding whose 256 characters\n"
"are ``table``; ``spaces``: the bytes read as a space), as (skeleton bytes, texts, their UTF-8),\n"
"or None when the record needs the Python code. ``entities`` maps an entity's name to its text;\n"
"``run_spaces`` holds the characters an entity's text must not have; ``raw_tags`` are the tag\n"
"names (bytes) whose text is never elided.");

static PyObject *
elide(PyObject *module, PyObject *args)
{
    Py_buffer raw;
    PyObject *table, *entities, *run_spaces, *raw_tags;
    Py_buffer spaces;
    Py_ssize_t long_text;
    if (!PyArg_ParseTuple(args, "y*Uy*O!UnO!:elide", &raw, &table, &spaces, &PyDict_Type, &entities, &run_spaces,
                          &long_text, &PyTuple_Type, &raw_tags)) {
        return NULL;
    }
    /* the tables and the scratch buffers are static (the GIL is held throughout); a call made
     * while one runs (a finalizer run by the garbage collector, say) leaves its record to Python */
    static int busy = 0;
    if (busy) {
        PyBuffer_Release(&raw);
        PyBuffer_Release(&spaces);
        Py_RETURN_NONE;
    }
    busy = 1;
    PyObject *result = NULL, *texts = NULL, *utf8s = NULL, *skeleton = NULL;
    unsigned char *rb = NULL;
    Buf sk = {NULL, 0, 0};
    static Ctx ctx; /* its tables are 1.3 KB: not on the stack */
    ctx.entities = entities;
    ctx.run_spaces = run_spaces;
    ctx.ucs = NULL;
    ctx.utf8 = NULL;

    if (PyUnicode_GET_LENGTH(table) != 256) {
        PyErr_SetString(PyExc_ValueError, "the table must have 256 characters");
        goto done;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(raw_tags); k++) {
        if (!PyBytes_Check(PyTuple_GET_ITEM(raw_tags, k))) {
            PyErr_SetString(PyExc_TypeError, "raw_tags must hold bytes");
            goto done;
        }
    }
    {
        int kind = PyUnicode_KIND(table);
        const void *data = PyUnicode_DATA(table);
        for (int b = 0; b < 256; b++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, b);
            ctx.dec[b] = (uint32_t)c;
            ctx.cls[b] = c == 0xFFFD || (c >= 0xD800 && c < 0xE000) ? C_UNDEFINED
                         : b == '\n'                                 ? C_NL
                         : b == ' '                                  ? C_SPACE
                         : b == '&'                                  ? C_AMP
                                                                     : C_TEXT;
            memset(ctx.e8[b], 0, 4);
            ctx.e8len[b] = (unsigned char)put_utf8(ctx.e8[b], c < 0x110000 ? (uint32_t)c : 0xFFFD);
        }
        const unsigned char *sp = spaces.buf;
        for (Py_ssize_t k = 0; k < spaces.len; k++)
            if (ctx.cls[sp[k]] == C_TEXT)
                ctx.cls[sp[k]] = C_SPACE;
        for (int b = 0; b < 256; b++)
            ctx.flags[b] = b == ' ' || b == '\n' ? F_WS : ctx.cls[b] == C_TEXT ? 0 : F_SPECIAL;
    }

    /* the record with "<br>" as "\n" (what bytes.replace does: left to right, no overlaps) */
    const unsigned char *src = raw.buf;
    Py_ssize_t n = raw.len, m = 0;
    rb = PyMem_Malloc(n > 0 ? (size_t)n : 1);
    if (rb == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n;) {
        const unsigned char *lt = memchr(src + i, '<', (size_t)(n - i));
        Py_ssize_t stop = lt ? lt - src : n;
        memcpy(rb + m, src + i, (size_t)(stop - i));
        m += stop - i;
        i = stop;
        if (i >= n)
            break;
        if (i + 3 < n && src[i + 1] == 'b' && src[i + 2] == 'r' && src[i + 3] == '>') {
            rb[m++] = '\n';
            i += 4;
        } else {
            rb[m++] = '<';
            i++;
        }
    }

    texts = PyList_New(0);
    utf8s = PyList_New(0);
    if (texts == NULL || utf8s == NULL)
        goto done;
    if (buf_reserve(&sk, m / 8 + 64) < 0) {
        PyErr_NoMemory();
        goto done;
    }

    Py_ssize_t ps = 0; /* start of the current piece (after its "<", but for the first) */
    int first = 1;
    while (ps <= m) {
        const unsigned char *lt = ps < m ? memchr(rb + ps, '<', (size_t)(m - ps)) : NULL;
        Py_ssize_t pe = lt ? lt - rb : m, plen = pe - ps;
        const unsigned char *p = rb + ps;
        if (is_br_head(p, plen)) { /* "<br/>", "<BR>", ...: the Python code reads them */
            Py_INCREF(Py_None);
            result = Py_None;
            goto done;
        }
        if (!first)
            if (buf_put(&sk, "<", 1) < 0)
                goto nomem;
        const unsigned char *gt = plen > 0 ? memchr(p, '>', (size_t)plen) : NULL;
        Py_ssize_t j = gt ? gt - p : -1;
        if (first || j < 0 || plen - j <= long_text || starts_with_any(p, plen, raw_tags)) {
            if (buf_put(&sk, p, plen) < 0)
                goto nomem;
        } else {
            if (buf_put(&sk, p, j + 1) < 0)
                goto nomem;
            const unsigned char *t = p + j + 1;
            Py_ssize_t tl = plen - j - 1, ls = 0, nl_lead = 0, te = tl, nl_trail = 0, flen;
            while (ls < tl && (ctx.cls[t[ls]] == C_SPACE || ctx.cls[t[ls]] == C_NL))
                nl_lead += ctx.cls[t[ls++]] == C_NL;
            if (ls == tl) { /* whitespace only: all of it stays in the skeleton */
                if (tl > 0) {
                    const char *f = ws_form(nl_lead, &flen);
                    if (buf_put(&sk, f, flen) < 0)
                        goto nomem;
                }
            } else {
                while (te > ls && (ctx.cls[t[te - 1]] == C_SPACE || ctx.cls[t[te - 1]] == C_NL))
                    nl_trail += ctx.cls[t[--te]] == C_NL;
                Py_ssize_t bl = te - ls, nu, no;
                uint32_t mx;
                if (ctx.ucs == NULL) { /* scratch for any run of this record: at most m bytes */
                    if (scratch_reserve(m) < 0)
                        goto nomem;
                    ctx.ucs = scratch_ucs;
                    ctx.utf8 = scratch_utf8;
                }
                int ok = body_text(&ctx, t + ls, bl, &nu, &no, &mx);
                if (ok < 0)
                    goto done;
                if (ok == 0) {
                    Py_INCREF(Py_None);
                    result = Py_None;
                    goto done;
                }
                PyObject *s = make_str(ctx.ucs, nu, mx);
                if (s == NULL)
                    goto done;
                int err = PyList_Append(texts, s);
                Py_DECREF(s);
                if (err < 0)
                    goto done;
                PyObject *b = PyBytes_FromStringAndSize((const char *)ctx.utf8, no);
                if (b == NULL)
                    goto done;
                err = PyList_Append(utf8s, b);
                Py_DECREF(b);
                if (err < 0)
                    goto done;
                if (ls > 0) {
                    const char *f = ws_form(nl_lead, &flen);
                    if (buf_put(&sk, f, flen) < 0)
                        goto nomem;
                }
                char ph[48];
                int phl = snprintf(ph, sizeof ph, "&#57344;%zd&#57345;", PyList_GET_SIZE(texts) - 1);
                if (phl < 0 || (size_t)phl >= sizeof ph || buf_put(&sk, ph, phl) < 0)
                    goto nomem;
                if (te < tl) {
                    const char *f = ws_form(nl_trail, &flen);
                    if (buf_put(&sk, f, flen) < 0)
                        goto nomem;
                }
            }
        }
        first = 0;
        if (lt == NULL)
            break;
        ps = pe + 1;
    }
    skeleton = PyBytes_FromStringAndSize((const char *)sk.data, sk.len);
    if (skeleton == NULL)
        goto done;
    result = PyTuple_Pack(3, skeleton, texts, utf8s);
    goto done;

nomem:
    if (!PyErr_Occurred())
        PyErr_NoMemory();
done:
    Py_XDECREF(skeleton);
    Py_XDECREF(texts);
    Py_XDECREF(utf8s);
    PyMem_Free(sk.data);
    PyMem_Free(rb);
    PyBuffer_Release(&raw);
    PyBuffer_Release(&spaces);
    busy = 0;
    return result;
}

static PyMethodDef methods[] = {
    {"elide", elide, METH_VARARGS, elide_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_vkspeed", "The per-character work of vk_html.elide_record, in C (optional).", -1, methods,
};

PyMODINIT_FUNC
PyInit__vkspeed(void)
{
    return PyModule_Create(&module);
}

/*
 * tiny: a small dynamically typed scripting language (lexer, parser to an AST, tree-walking evaluator with
 * integers, strings, arrays, maps and first-class functions) plus an LZ77 compressor with CRC-32 checks.
 *
 * Usage: tiny [SCALE]       runs the built-in workload; SCALE (default 1) multiplies its sizes
 *        tiny -             runs a script read from stdin
 *
 * The output depends only on the input and SCALE, so it can be compared between a native and a wasm build.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------------------------
 * Memory: an arena per run. The interpreter never frees individual objects; scripts are short-lived.
 * ------------------------------------------------------------------------------------------------------------ */

typedef struct Chunk {
    struct Chunk *next;
    size_t used, size;
    unsigned char data[];
} Chunk;

static Chunk *arena;
static size_t arena_total;

static void *alloc(size_t n) {
    n = (n + 15) & ~(size_t)15;
    if (!arena || arena->used + n > arena->size) {
        size_t size = n > (1u << 20) ? n : (1u << 20);
        Chunk *c = malloc(sizeof(Chunk) + size);
        if (!c) { fprintf(stderr, "out of memory\n"); exit(3); }
        c->next = arena;
        c->used = 0;
        c->size = size;
        arena = c;
    }
    void *p = arena->data + arena->used;
    arena->used += n;
    arena_total += n;
    memset(p, 0, n);
    return p;
}

static void fatal(int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "error at line %d: ", line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

/* ------------------------------------------------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------------------------------------------------ */

typedef enum { V_NIL, V_INT, V_STR, V_ARR, V_MAP, V_FUN, V_BUILTIN } VKind;

typedef struct Value Value;
typedef struct Array Array;
typedef struct Map Map;
typedef struct Func Func;
typedef struct Str Str;

struct Value {
    VKind kind;
    union {
        long long i;
        Str *s;
        Array *a;
        Map *m;
        Func *f;
        int builtin;
    } u;
};

struct Str {
    size_t len;
    uint32_t hash;
    char chars[];
};

struct Array {
    int len, cap;
    Value *items;
};

typedef struct MapEntry {
    Str *key;
    Value value;
    int used;
} MapEntry;

struct Map {
    int count, cap;
    MapEntry *entries;
};

static Value nil_value(void) { Value v; v.kind = V_NIL; v.u.i = 0; return v; }
static Value int_value(long long i) { Value v; v.kind = V_INT; v.u.i = i; return v; }

static uint32_t hash_bytes(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 16777619u; }
    return h;
}

static Str *new_str(const char *s, size_t n) {
    Str *str = alloc(sizeof(Str) + n + 1);
    str->len = n;
    memcpy(str->chars, s, n);
    str->chars[n] = 0;
    str->hash = hash_bytes(s, n);
    return str;
}

static Value str_value(const char *s, size_t n) { Value v; v.kind = V_STR; v.u.s = new_str(s, n); return v; }

static Array *new_array(int cap) {
    Array *a = alloc(sizeof(Array));
    a->cap = cap < 4 ? 4 : cap;
    a->items = alloc(sizeof(Value) * (size_t)a->cap);
    return a;
}

static void array_push(Array *a, Value v) {
    if (a->len == a->cap) {
        int cap = a->cap * 2;
        Value *items = alloc(sizeof(Value) * (size_t)cap);
        memcpy(items, a->items, sizeof(Value) * (size_t)a->len);
        a->items = items;
        a->cap = cap;
    }
    a->items[a->len++] = v;
}

static Map *new_map(void) {
    Map *m = alloc(sizeof(Map));
    m->cap = 8;
    m->entries = alloc(sizeof(MapEntry) * (size_t)m->cap);
    return m;
}

static int str_eq(const Str *a, const Str *b) {
    return a->len == b->len && a->hash == b->hash && memcmp(a->chars, b->chars, a->len) == 0;
}

static MapEntry *map_find(Map *m, Str *key) {
    uint32_t i = key->hash & (uint32_t)(m->cap - 1);
    for (;;) {
        MapEntry *e = &m->entries[i];
        if (!e->used || str_eq(e->key, key)) return e;
        i = (i + 1) & (uint32_t)(m->cap - 1);
    }
}

static void map_set(Map *m, Str *key, Value v) {
    if ((m->count + 1) * 4 > m->cap * 3) {
        MapEntry *old = m->entries;
        int old_cap = m->cap;
        m->cap *= 2;
        m->entries = alloc(sizeof(MapEntry) * (size_t)m->cap);
        m->count = 0;
        for (int i = 0; i < old_cap; i++)
            if (old[i].used) map_set(m, old[i].key, old[i].value);
    }
    MapEntry *e = map_find(m, key);
    if (!e->used) { e->used = 1; e->key = key; m->count++; }
    e->value = v;
}

static int truthy(Value v) {
    switch (v.kind) {
    case V_NIL: return 0;
    case V_INT: return v.u.i != 0;
    case V_STR: return v.u.s->len != 0;
    default: return 1;
    }
}

/* ------------------------------------------------------------------------------------------------------------
 * Lexer
 * ------------------------------------------------------------------------------------------------------------ */

typedef enum {
    T_EOF, T_INT, T_STR, T_IDENT, T_LET, T_FN, T_IF, T_ELSE, T_WHILE, T_FOR, T_RETURN, T_BREAK, T_CONTINUE,
    T_NIL, T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_LBRACKET, T_RBRACKET, T_COMMA, T_SEMI, T_COLON, T_DOT,
    T_ASSIGN, T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_AND, T_OR,
    T_NOT, T_AMP, T_PIPE, T_CARET, T_SHL, T_SHR
} TokKind;

typedef struct {
    TokKind kind;
    const char *start;
    int len, line;
    long long ival;
} Token;

typedef struct {
    const char *src;
    const char *p;
    int line;
    Token cur, next;
} Lexer;

static const struct { const char *word; TokKind kind; } keywords[] = {
    {"let", T_LET}, {"fn", T_FN}, {"if", T_IF}, {"else", T_ELSE}, {"while", T_WHILE}, {"for", T_FOR},
    {"return", T_RETURN}, {"break", T_BREAK}, {"continue", T_CONTINUE}, {"nil", T_NIL},
};

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

static Token lex_one(Lexer *lx) {
    for (;;) {
        while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r' || *lx->p == '\n') {
            if (*lx->p == '\n') lx->line++;
            lx->p++;
        }
        if (lx->p[0] == '#') {
            while (*lx->p && *lx->p != '\n') lx->p++;
            continue;
        }
        break;
    }
    Token t;
    memset(&t, 0, sizeof t);
    t.start = lx->p;
    t.line = lx->line;
    char c = *lx->p;
    if (!c) { t.kind = T_EOF; return t; }
    if (is_digit(c)) {
        long long v = 0;
        while (is_digit(*lx->p)) v = v * 10 + (*lx->p++ - '0');
        t.kind = T_INT;
        t.ival = v;
        t.len = (int)(lx->p - t.start);
        return t;
    }
    if (is_alpha(c)) {
        while (is_alpha(*lx->p) || is_digit(*lx->p)) lx->p++;
        t.len = (int)(lx->p - t.start);
        t.kind = T_IDENT;
        for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
            if ((int)strlen(keywords[i].word) == t.len && memcmp(keywords[i].word, t.start, (size_t)t.len) == 0)
                t.kind = keywords[i].kind;
        return t;
    }
    if (c == '"') {
        lx->p++;
        t.start = lx->p;
        while (*lx->p && *lx->p != '"') {
            if (*lx->p == '\\' && lx->p[1]) lx->p++;
            if (*lx->p == '\n') lx->line++;
            lx->p++;
        }
        if (!*lx->p) fatal(t.line, "unterminated string");
        t.len = (int)(lx->p - t.start);
        lx->p++;
        t.kind = T_STR;
        return t;
    }
    lx->p++;
    t.len = 1;
#define TWO(ch, k2, k1) if (*lx->p == ch) { lx->p++; t.len = 2; t.kind = k2; } else t.kind = k1; return t
    switch (c) {
    case '(': t.kind = T_LPAREN; return t;
    case ')': t.kind = T_RPAREN; return t;
    case '{': t.kind = T_LBRACE; return t;
    case '}': t.kind = T_RBRACE; return t;
    case '[': t.kind = T_LBRACKET; return t;
    case ']': t.kind = T_RBRACKET; return t;
    case ',': t.kind = T_COMMA; return t;
    case ';': t.kind = T_SEMI; return t;
    case ':': t.kind = T_COLON; return t;
    case '.': t.kind = T_DOT; return t;
    case '+': t.kind = T_PLUS; return t;
    case '-': t.kind = T_MINUS; return t;
    case '*': t.kind = T_STAR; return t;
    case '/': t.kind = T_SLASH; return t;
    case '%': t.kind = T_PERCENT; return t;
    case '^': t.kind = T_CARET; return t;
    case '=': TWO('=', T_EQ, T_ASSIGN);
    case '!': TWO('=', T_NE, T_NOT);
    case '&': TWO('&', T_AND, T_AMP);
    case '|': TWO('|', T_OR, T_PIPE);
    case '<':
        if (*lx->p == '<') { lx->p++; t.len = 2; t.kind = T_SHL; return t; }
        TWO('=', T_LE, T_LT);
    case '>':
        if (*lx->p == '>') { lx->p++; t.len = 2; t.kind = T_SHR; return t; }
        TWO('=', T_GE, T_GT);
    }
#undef TWO
    fatal(t.line, "unexpected character '%c'", c);
    return t;
}

static void lex_init(Lexer *lx, const char *src) {
    lx->src = lx->p = src;
    lx->line = 1;
    lx->cur = lex_one(lx);
    lx->next = lex_one(lx);
}

static void advance(Lexer *lx) {
    lx->cur = lx->next;
    lx->next = lex_one(lx);
}

static void expect(Lexer *lx, TokKind k, const char *what) {
    if (lx->cur.kind != k) fatal(lx->cur.line, "expected %s", what);
    advance(lx);
}

/* ------------------------------------------------------------------------------------------------------------
 * AST
 * ------------------------------------------------------------------------------------------------------------ */

typedef enum {
    N_INT, N_STR, N_NIL, N_VAR, N_ARRAY, N_MAP, N_INDEX, N_FIELD, N_CALL, N_UNARY, N_BINARY, N_AND, N_OR, N_FUNC,
    N_LET, N_ASSIGN, N_IF, N_WHILE, N_FOR, N_RETURN, N_BREAK, N_CONTINUE, N_BLOCK, N_EXPR
} NKind;

typedef struct Node Node;
struct Node {
    NKind kind;
    int line;
    TokKind op;
    long long ival;
    Str *name;        /* variables, fields, string literals, map keys */
    int slot;         /* resolved local slot, or -1 for a global */
    int depth;        /* number of scopes up for closures */
    Node *a, *b, *c, *d;
    Node **list;      /* block statements, call arguments, array items, map values */
    Str **keys;       /* map literal keys, function parameters */
    int count;
    int nlocals;      /* functions: slots needed */
};

static Node *node(NKind k, int line) {
    Node *n = alloc(sizeof(Node));
    n->kind = k;
    n->line = line;
    n->slot = -1;
    return n;
}

typedef struct NodeList {
    Node **items;
    int count, cap;
} NodeList;

static void list_add(NodeList *l, Node *n) {
    if (l->count == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        Node **items = alloc(sizeof(Node *) * (size_t)cap);
        if (l->count) memcpy(items, l->items, sizeof(Node *) * (size_t)l->count);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->count++] = n;
}

/* Scopes for resolving names to slots at parse time: a function scope holds every local of the function. */
typedef struct Scope {
    struct Scope *parent;
    Str *names[256];
    int count;
    int block_start[64];
    int blocks;
    int max;
} Scope;

static Scope *scope;

static int scope_find(Scope *s, Str *name) {
    for (int i = s->count - 1; i >= 0; i--)
        if (str_eq(s->names[i], name)) return i;
    return -1;
}

static int declare(Str *name, int line) {
    if (scope->count == 256) fatal(line, "too many locals");
    scope->names[scope->count] = name;
    int slot = scope->count++;
    if (scope->count > scope->max) scope->max = scope->count;
    return slot;
}

static void resolve(Node *n) {
    int depth = 0;
    for (Scope *s = scope; s; s = s->parent, depth++) {
        int slot = scope_find(s, n->name);
        if (slot >= 0) { n->slot = slot; n->depth = depth; return; }
    }
    n->slot = -1;
}

static Node *parse_expr(Lexer *lx);
static Node *parse_block(Lexer *lx);

static Str *tok_str(Token *t) { return new_str(t->start, (size_t)t->len); }

static Str *unescape(Token *t) {
    char *buf = alloc((size_t)t->len + 1);
    int n = 0;
    for (int i = 0; i < t->len; i++) {
        char c = t->start[i];
        if (c == '\\' && i + 1 < t->len) {
            c = t->start[++i];
            c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }
        buf[n++] = c;
    }
    return new_str(buf, (size_t)n);
}

static Node *parse_function(Lexer *lx, int line) {
    Node *f = node(N_FUNC, line);
    Scope *s = alloc(sizeof(Scope));
    s->parent = scope;
    scope = s;
    expect(lx, T_LPAREN, "'('");
    Str *params[32];
    int n = 0;
    while (lx->cur.kind != T_RPAREN) {
        if (lx->cur.kind != T_IDENT) fatal(lx->cur.line, "expected a parameter name");
        if (n == 32) fatal(lx->cur.line, "too many parameters");
        params[n] = tok_str(&lx->cur);
        declare(params[n++], lx->cur.line);
        advance(lx);
        if (lx->cur.kind == T_COMMA) advance(lx);
    }
    advance(lx);
    f->keys = alloc(sizeof(Str *) * (size_t)(n ? n : 1));
    memcpy(f->keys, params, sizeof(Str *) * (size_t)n);
    f->count = n;
    f->a = parse_block(lx);
    f->nlocals = s->max;
    scope = s->parent;
    return f;
}

static Node *parse_primary(Lexer *lx) {
    Token t = lx->cur;
    Node *n;
    switch (t.kind) {
    case T_INT: advance(lx); n = node(N_INT, t.line); n->ival = t.ival; return n;
    case T_STR: advance(lx); n = node(N_STR, t.line); n->name = unescape(&t); return n;
    case T_NIL: advance(lx); return node(N_NIL, t.line);
    case T_IDENT: advance(lx); n = node(N_VAR, t.line); n->name = tok_str(&t); resolve(n); return n;
    case T_FN: advance(lx); return parse_function(lx, t.line);
    case T_LPAREN:
        advance(lx);
        n = parse_expr(lx);
        expect(lx, T_RPAREN, "')'");
        return n;
    case T_LBRACKET: {
        advance(lx);
        NodeList items = {0};
        while (lx->cur.kind != T_RBRACKET) {
            list_add(&items, parse_expr(lx));
            if (lx->cur.kind == T_COMMA) advance(lx);
            else if (lx->cur.kind != T_RBRACKET) fatal(lx->cur.line, "expected ',' or ']'");
        }
        advance(lx);
        n = node(N_ARRAY, t.line);
        n->list = items.items;
        n->count = items.count;
        return n;
    }
    case T_LBRACE: {
        advance(lx);
        NodeList values = {0};
        Str *keys[128];
        while (lx->cur.kind != T_RBRACE) {
            if (lx->cur.kind != T_IDENT && lx->cur.kind != T_STR) fatal(lx->cur.line, "expected a map key");
            if (values.count == 128) fatal(lx->cur.line, "map literal too large");
            keys[values.count] = lx->cur.kind == T_STR ? unescape(&lx->cur) : tok_str(&lx->cur);
            advance(lx);
            expect(lx, T_COLON, "':'");
            list_add(&values, parse_expr(lx));
            if (lx->cur.kind == T_COMMA) advance(lx);
        }
        advance(lx);
        n = node(N_MAP, t.line);
        n->list = values.items;
        n->count = values.count;
        n->keys = alloc(sizeof(Str *) * (size_t)(values.count ? values.count : 1));
        memcpy(n->keys, keys, sizeof(Str *) * (size_t)values.count);
        return n;
    }
    default:
        fatal(t.line, "unexpected token '%.*s'", t.len, t.start);
        return NULL;
    }
}

static Node *parse_postfix(Lexer *lx) {
    Node *n = parse_primary(lx);
    for (;;) {
        int line = lx->cur.line;
        if (lx->cur.kind == T_LPAREN) {
            advance(lx);
            NodeList args = {0};
            while (lx->cur.kind != T_RPAREN) {
                list_add(&args, parse_expr(lx));
                if (lx->cur.kind == T_COMMA) advance(lx);
                else if (lx->cur.kind != T_RPAREN) fatal(lx->cur.line, "expected ',' or ')'");
            }
            advance(lx);
            Node *call = node(N_CALL, line);
            call->a = n;
            call->list = args.items;
            call->count = args.count;
            n = call;
        } else if (lx->cur.kind == T_LBRACKET) {
            advance(lx);
            Node *idx = node(N_INDEX, line);
            idx->a = n;
            idx->b = parse_expr(lx);
            expect(lx, T_RBRACKET, "']'");
            n = idx;
        } else if (lx->cur.kind == T_DOT) {
            advance(lx);
            if (lx->cur.kind != T_IDENT) fatal(line, "expected a field name");
            Node *f = node(N_FIELD, line);
            f->a = n;
            f->name = tok_str(&lx->cur);
            advance(lx);
            n = f;
        } else {
            return n;
        }
    }
}

static Node *parse_unary(Lexer *lx) {
    if (lx->cur.kind == T_MINUS || lx->cur.kind == T_NOT) {
        Node *n = node(N_UNARY, lx->cur.line);
        n->op = lx->cur.kind;
        advance(lx);
        n->a = parse_unary(lx);
        return n;
    }
    return parse_postfix(lx);
}

static int precedence(TokKind k) {
    switch (k) {
    case T_OR: return 1;
    case T_AND: return 2;
    case T_PIPE: return 3;
    case T_CARET: return 4;
    case T_AMP: return 5;
    case T_EQ: case T_NE: return 6;
    case T_LT: case T_LE: case T_GT: case T_GE: return 7;
    case T_SHL: case T_SHR: return 8;
    case T_PLUS: case T_MINUS: return 9;
    case T_STAR: case T_SLASH: case T_PERCENT: return 10;
    default: return 0;
    }
}

static Node *parse_binary(Lexer *lx, int min) {
    Node *left = parse_unary(lx);
    for (;;) {
        TokKind op = lx->cur.kind;
        int prec = precedence(op);
        if (prec == 0 || prec < min) return left;
        int line = lx->cur.line;
        advance(lx);
        Node *right = parse_binary(lx, prec + 1);
        Node *n = node(op == T_AND ? N_AND : op == T_OR ? N_OR : N_BINARY, line);
        n->op = op;
        n->a = left;
        n->b = right;
        left = n;
    }
}

static Node *parse_expr(Lexer *lx) { return parse_binary(lx, 1); }

static Node *parse_statement(Lexer *lx);

static Node *parse_block(Lexer *lx) {
    Node *b = node(N_BLOCK, lx->cur.line);
    expect(lx, T_LBRACE, "'{'");
    int saved = scope ? scope->count : 0;
    NodeList stmts = {0};
    while (lx->cur.kind != T_RBRACE) {
        if (lx->cur.kind == T_EOF) fatal(lx->cur.line, "unterminated block");
        list_add(&stmts, parse_statement(lx));
    }
    advance(lx);
    if (scope) scope->count = saved;
    b->list = stmts.items;
    b->count = stmts.count;
    return b;
}

static Node *parse_statement(Lexer *lx) {
    Token t = lx->cur;
    Node *n;
    switch (t.kind) {
    case T_LET: {
        advance(lx);
        if (lx->cur.kind != T_IDENT) fatal(t.line, "expected a name after let");
        n = node(N_LET, t.line);
        n->name = tok_str(&lx->cur);
        advance(lx);
        expect(lx, T_ASSIGN, "'='");
        n->a = parse_expr(lx);
        expect(lx, T_SEMI, "';'");
        /* Declared after the initialiser, so `let x = x + 1;` reads the outer x. */
        n->slot = scope ? declare(n->name, t.line) : -1;
        return n;
    }
    case T_FN: {
        if (lx->next.kind != T_IDENT) break;
        advance(lx);
        n = node(N_LET, t.line);
        n->name = tok_str(&lx->cur);
        advance(lx);
        /* Declared before the body so the function can call itself. */
        n->slot = scope ? declare(n->name, t.line) : -1;
        n->a = parse_function(lx, t.line);
        return n;
    }
    case T_IF:
        advance(lx);
        n = node(N_IF, t.line);
        expect(lx, T_LPAREN, "'('");
        n->a = parse_expr(lx);
        expect(lx, T_RPAREN, "')'");
        n->b = parse_block(lx);
        if (lx->cur.kind == T_ELSE) {
            advance(lx);
            n->c = lx->cur.kind == T_IF ? parse_statement(lx) : parse_block(lx);
        }
        return n;
    case T_WHILE:
        advance(lx);
        n = node(N_WHILE, t.line);
        expect(lx, T_LPAREN, "'('");
        n->a = parse_expr(lx);
        expect(lx, T_RPAREN, "')'");
        n->b = parse_block(lx);
        return n;
    case T_FOR: {
        /* for (name = from; limit) { } counts name from `from` up to limit - 1. */
        advance(lx);
        n = node(N_FOR, t.line);
        expect(lx, T_LPAREN, "'('");
        if (lx->cur.kind != T_IDENT) fatal(t.line, "expected a loop variable");
        n->name = tok_str(&lx->cur);
        advance(lx);
        expect(lx, T_ASSIGN, "'='");
        n->a = parse_expr(lx);
        expect(lx, T_SEMI, "';'");
        n->b = parse_expr(lx);
        expect(lx, T_RPAREN, "')'");
        int saved = scope ? scope->count : 0;
        n->slot = scope ? declare(n->name, t.line) : -1;
        n->c = parse_block(lx);
        if (scope) scope->count = saved;
        return n;
    }
    case T_RETURN:
        advance(lx);
        n = node(N_RETURN, t.line);
        if (lx->cur.kind != T_SEMI) n->a = parse_expr(lx);
        expect(lx, T_SEMI, "';'");
        return n;
    case T_BREAK: advance(lx); expect(lx, T_SEMI, "';'"); return node(N_BREAK, t.line);
    case T_CONTINUE: advance(lx); expect(lx, T_SEMI, "';'"); return node(N_CONTINUE, t.line);
    case T_LBRACE: return parse_block(lx);
    default: break;
    }
    Node *e = parse_expr(lx);
    if (lx->cur.kind == T_ASSIGN) {
        if (e->kind != N_VAR && e->kind != N_INDEX && e->kind != N_FIELD) fatal(t.line, "cannot assign to this");
        advance(lx);
        n = node(N_ASSIGN, t.line);
        n->a = e;
        n->b = parse_expr(lx);
    } else {
        n = node(N_EXPR, t.line);
        n->a = e;
    }
    expect(lx, T_SEMI, "';'");
    return n;
}

/* ------------------------------------------------------------------------------------------------------------
 * Evaluator
 * ------------------------------------------------------------------------------------------------------------ */

typedef struct Frame {
    struct Frame *parent;  /* the frame the function was created in (lexical parent) */
    Value *slots;
} Frame;

struct Func {
    Node *def;
    Frame *env;
    Str *name;
};

static Map *globals;
static long long steps;
static int call_depth;

typedef enum { FLOW_NORMAL, FLOW_RETURN, FLOW_BREAK, FLOW_CONTINUE } Flow;

static Value eval(Node *n, Frame *f);
static Flow exec(Node *n, Frame *f, Value *ret);

static const char *kind_name(VKind k) {
    static const char *names[] = {"nil", "int", "string", "array", "map", "function", "builtin"};
    return names[k];
}

static long long want_int(Value v, int line, const char *what) {
    if (v.kind != V_INT) fatal(line, "%s: expected int, got %s", what, kind_name(v.kind));
    return v.u.i;
}

static Frame *frame_at(Frame *f, int depth) {
    while (depth-- > 0) f = f->parent;
    return f;
}

static Value *lookup(Node *n, Frame *f) {
    if (n->slot >= 0) return &frame_at(f, n->depth)->slots[n->slot];
    MapEntry *e = map_find(globals, n->name);
    if (!e->used) fatal(n->line, "undefined variable '%s'", n->name->chars);
    return &e->value;
}

static int values_equal(Value a, Value b) {
    if (a.kind != b.kind) return 0;
    switch (a.kind) {
    case V_NIL: return 1;
    case V_INT: return a.u.i == b.u.i;
    case V_STR: return str_eq(a.u.s, b.u.s);
    case V_ARR: return a.u.a == b.u.a;
    case V_MAP: return a.u.m == b.u.m;
    case V_FUN: return a.u.f == b.u.f;
    case V_BUILTIN: return a.u.builtin == b.u.builtin;
    }
    return 0;
}

/* Text output goes through one buffer so that the program's own cost dominates, as in real programs. */
static void print_value(FILE *out, Value v, int nested) {
    switch (v.kind) {
    case V_NIL: fputs("nil", out); break;
    case V_INT: fprintf(out, "%lld", v.u.i); break;
    case V_STR:
        if (nested) fputc('"', out);
        fwrite(v.u.s->chars, 1, v.u.s->len, out);
        if (nested) fputc('"', out);
        break;
    case V_ARR:
        fputc('[', out);
        for (int i = 0; i < v.u.a->len; i++) {
            if (i) fputs(", ", out);
            print_value(out, v.u.a->items[i], 1);
        }
        fputc(']', out);
        break;
    case V_MAP: {
        /* Keys in insertion-independent order: sorted, so output does not depend on hashing details. */
        Map *m = v.u.m;
        Str **keys = alloc(sizeof(Str *) * (size_t)(m->count + 1));
        int n = 0;
        for (int i = 0; i < m->cap; i++)
            if (m->entries[i].used) keys[n++] = m->entries[i].key;
        for (int i = 1; i < n; i++)
            for (int j = i; j > 0 && strcmp(keys[j - 1]->chars, keys[j]->chars) > 0; j--) {
                Str *t = keys[j]; keys[j] = keys[j - 1]; keys[j - 1] = t;
            }
        fputc('{', out);
        for (int i = 0; i < n; i++) {
            if (i) fputs(", ", out);
            fprintf(out, "%s: ", keys[i]->chars);
            print_value(out, map_find(m, keys[i])->value, 1);
        }
        fputc('}', out);
        break;
    }
    case V_FUN: fprintf(out, "<fn %s>", v.u.f->name ? v.u.f->name->chars : "anonymous"); break;
    case V_BUILTIN: fputs("<builtin>", out); break;
    }
}

static Str *to_string(Value v) {
    char buf[64];
    switch (v.kind) {
    case V_STR: return v.u.s;
    case V_INT: snprintf(buf, sizeof buf, "%lld", v.u.i); return new_str(buf, strlen(buf));
    case V_NIL: return new_str("nil", 3);
    default: return new_str(kind_name(v.kind), strlen(kind_name(v.kind)));
    }
}

static Value call_value(Value callee, Value *args, int argc, int line);

enum { B_PRINT, B_LEN, B_PUSH, B_POP, B_STR, B_CHR, B_ORD, B_SUBSTR, B_KEYS, B_HAS, B_ARRAY, B_JOIN, B_SORT,
       B_ABS, B_COUNT };
static const char *builtin_names[] = {"print", "len", "push", "pop", "str", "chr", "ord", "substr", "keys", "has",
                                      "array", "join", "sort", "abs"};

static Value *sort_tmp;

static void merge_sort(Value *items, int n, Value cmp, int line) {
    if (n < 2) return;
    int mid = n / 2;
    merge_sort(items, mid, cmp, line);
    merge_sort(items + mid, n - mid, cmp, line);
    int i = 0, j = mid, k = 0;
    while (i < mid && j < n) {
        Value pair[2] = {items[j], items[i]};
        int less;
        if (cmp.kind == V_NIL) less = want_int(items[j], line, "sort") < want_int(items[i], line, "sort");
        else less = truthy(call_value(cmp, pair, 2, line));
        sort_tmp[k++] = less ? items[j++] : items[i++];
    }
    while (i < mid) sort_tmp[k++] = items[i++];
    while (j < n) sort_tmp[k++] = items[j++];
    memcpy(items, sort_tmp, sizeof(Value) * (size_t)n);
}

static Value call_builtin(int b, Value *args, int argc, int line) {
    switch (b) {
    case B_PRINT:
        for (int i = 0; i < argc; i++) {
            if (i) putchar(' ');
            print_value(stdout, args[i], 0);
        }
        putchar('\n');
        return nil_value();
    case B_LEN:
        if (argc == 1 && args[0].kind == V_STR) return int_value((long long)args[0].u.s->len);
        if (argc == 1 && args[0].kind == V_ARR) return int_value(args[0].u.a->len);
        if (argc == 1 && args[0].kind == V_MAP) return int_value(args[0].u.m->count);
        fatal(line, "len: expected a string, array or map");
        break;
    case B_PUSH:
        if (argc != 2 || args[0].kind != V_ARR) fatal(line, "push: expected an array and a value");
        array_push(args[0].u.a, args[1]);
        return args[0];
    case B_POP:
        if (argc != 1 || args[0].kind != V_ARR || args[0].u.a->len == 0) fatal(line, "pop: expected a non-empty array");
        return args[0].u.a->items[--args[0].u.a->len];
    case B_STR: {
        if (argc == 1) { Value v; v.kind = V_STR; v.u.s = to_string(args[0]); return v; }
        size_t total = 0;
        Str *parts[16];
        if (argc > 16) fatal(line, "str: too many arguments");
        for (int i = 0; i < argc; i++) { parts[i] = to_string(args[i]); total += parts[i]->len; }
        char *buf = alloc(total + 1);
        size_t at = 0;
        for (int i = 0; i < argc; i++) { memcpy(buf + at, parts[i]->chars, parts[i]->len); at += parts[i]->len; }
        return str_value(buf, total);
    }
    case B_CHR: {
        char c = (char)want_int(args[0], line, "chr");
        return str_value(&c, 1);
    }
    case B_ORD:
        if (argc != 2 || args[0].kind != V_STR) fatal(line, "ord: expected a string and an index");
        {
            long long i = want_int(args[1], line, "ord");
            if (i < 0 || (size_t)i >= args[0].u.s->len) fatal(line, "ord: index %lld out of range", i);
            return int_value((unsigned char)args[0].u.s->chars[i]);
        }
    case B_SUBSTR: {
        if (argc != 3 || args[0].kind != V_STR) fatal(line, "substr: expected a string, a start and a length");
        long long s = want_int(args[1], line, "substr"), n = want_int(args[2], line, "substr");
        long long len = (long long)args[0].u.s->len;
        if (s < 0) s = 0;
        if (s > len) s = len;
        if (n < 0 || s + n > len) n = len - s;
        return str_value(args[0].u.s->chars + s, (size_t)n);
    }
    case B_KEYS: {
        if (argc != 1 || args[0].kind != V_MAP) fatal(line, "keys: expected a map");
        Map *m = args[0].u.m;
        Array *a = new_array(m->count);
        for (int i = 0; i < m->cap; i++)
            if (m->entries[i].used) { Value v; v.kind = V_STR; v.u.s = m->entries[i].key; array_push(a, v); }
        /* Sorted so that iteration order is the same on every host. */
        for (int i = 1; i < a->len; i++)
            for (int j = i; j > 0 && strcmp(a->items[j - 1].u.s->chars, a->items[j].u.s->chars) > 0; j--) {
                Value t = a->items[j]; a->items[j] = a->items[j - 1]; a->items[j - 1] = t;
            }
        Value v; v.kind = V_ARR; v.u.a = a;
        return v;
    }
    case B_HAS:
        if (argc != 2 || args[0].kind != V_MAP || args[1].kind != V_STR) fatal(line, "has: expected a map and a key");
        return int_value(map_find(args[0].u.m, args[1].u.s)->used);
    case B_ARRAY: {
        long long n = want_int(args[0], line, "array");
        if (n < 0 || n > 100000000) fatal(line, "array: bad size %lld", n);
        Array *a = new_array((int)n);
        for (long long i = 0; i < n; i++) array_push(a, argc > 1 ? args[1] : nil_value());
        Value v; v.kind = V_ARR; v.u.a = a;
        return v;
    }
    case B_JOIN: {
        if (argc != 2 || args[0].kind != V_ARR || args[1].kind != V_STR) fatal(line, "join: expected an array and a separator");
        Array *a = args[0].u.a;
        size_t total = 0;
        Str **parts = alloc(sizeof(Str *) * (size_t)(a->len + 1));
        for (int i = 0; i < a->len; i++) { parts[i] = to_string(a->items[i]); total += parts[i]->len + args[1].u.s->len; }
        char *buf = alloc(total + 1);
        size_t at = 0;
        for (int i = 0; i < a->len; i++) {
            if (i) { memcpy(buf + at, args[1].u.s->chars, args[1].u.s->len); at += args[1].u.s->len; }
            memcpy(buf + at, parts[i]->chars, parts[i]->len);
            at += parts[i]->len;
        }
        return str_value(buf, at);
    }
    case B_SORT: {
        if (argc < 1 || args[0].kind != V_ARR) fatal(line, "sort: expected an array");
        Array *a = args[0].u.a;
        sort_tmp = alloc(sizeof(Value) * (size_t)(a->len + 1));
        merge_sort(a->items, a->len, argc > 1 ? args[1] : nil_value(), line);
        return args[0];
    }
    case B_ABS: {
        long long v = want_int(args[0], line, "abs");
        return int_value(v < 0 ? -v : v);
    }
    }
    return nil_value();
}

static Value call_value(Value callee, Value *args, int argc, int line) {
    if (callee.kind == V_BUILTIN) return call_builtin(callee.u.builtin, args, argc, line);
    if (callee.kind != V_FUN) fatal(line, "cannot call a %s", kind_name(callee.kind));
    Func *fn = callee.u.f;
    Node *def = fn->def;
    if (argc != def->count) fatal(line, "%s expects %d arguments, got %d", fn->name ? fn->name->chars : "function", def->count, argc);
    if (++call_depth > 10000) fatal(line, "stack overflow");
    Frame frame;
    frame.parent = fn->env;
    /* Slots are heap-allocated because closures may keep the frame alive after the call returns. */
    frame.slots = alloc(sizeof(Value) * (size_t)(def->nlocals ? def->nlocals : 1));
    for (int i = 0; i < argc; i++) frame.slots[i] = args[i];
    Frame *kept = alloc(sizeof(Frame));
    *kept = frame;
    Value ret = nil_value();
    exec(def->a, kept, &ret);
    call_depth--;
    return ret;
}

static Value arith(TokKind op, Value a, Value b, int line) {
    if (op == T_EQ) return int_value(values_equal(a, b));
    if (op == T_NE) return int_value(!values_equal(a, b));
    if (op == T_PLUS && (a.kind == V_STR || b.kind == V_STR)) {
        Str *x = to_string(a), *y = to_string(b);
        char *buf = alloc(x->len + y->len + 1);
        memcpy(buf, x->chars, x->len);
        memcpy(buf + x->len, y->chars, y->len);
        return str_value(buf, x->len + y->len);
    }
    if (a.kind == V_STR && b.kind == V_STR) {
        int c = strcmp(a.u.s->chars, b.u.s->chars);
        switch (op) {
        case T_LT: return int_value(c < 0);
        case T_LE: return int_value(c <= 0);
        case T_GT: return int_value(c > 0);
        case T_GE: return int_value(c >= 0);
        default: break;
        }
    }
    long long x = want_int(a, line, "arithmetic"), y = want_int(b, line, "arithmetic");
    switch (op) {
    case T_PLUS: return int_value((long long)((unsigned long long)x + (unsigned long long)y));
    case T_MINUS: return int_value((long long)((unsigned long long)x - (unsigned long long)y));
    case T_STAR: return int_value((long long)((unsigned long long)x * (unsigned long long)y));
    case T_SLASH: if (y == 0) fatal(line, "division by zero"); return int_value(x / y);
    case T_PERCENT: if (y == 0) fatal(line, "division by zero"); return int_value(x % y);
    case T_LT: return int_value(x < y);
    case T_LE: return int_value(x <= y);
    case T_GT: return int_value(x > y);
    case T_GE: return int_value(x >= y);
    case T_AMP: return int_value(x & y);
    case T_PIPE: return int_value(x | y);
    case T_CARET: return int_value(x ^ y);
    case T_SHL: return int_value((long long)((unsigned long long)x << (y & 63)));
    case T_SHR: return int_value(x >> (y & 63));
    default: fatal(line, "bad operator"); return nil_value();
    }
}

static Value *element(Value container, Value index, int line, int create) {
    if (container.kind == V_ARR) {
        long long i = want_int(index, line, "index");
        if (i < 0 || i >= container.u.a->len) fatal(line, "index %lld out of range (length %d)", i, container.u.a->len);
        return &container.u.a->items[i];
    }
    if (container.kind == V_MAP) {
        if (index.kind != V_STR) fatal(line, "map keys are strings");
        MapEntry *e = map_find(container.u.m, index.u.s);
        if (!e->used) {
            if (!create) return NULL;
            map_set(container.u.m, index.u.s, nil_value());
            e = map_find(container.u.m, index.u.s);
        }
        return &e->value;
    }
    fatal(line, "cannot index a %s", kind_name(container.kind));
    return NULL;
}

static Value eval(Node *n, Frame *f) {
    steps++;
    switch (n->kind) {
    case N_INT: return int_value(n->ival);
    case N_STR: { Value v; v.kind = V_STR; v.u.s = n->name; return v; }
    case N_NIL: return nil_value();
    case N_VAR: return *lookup(n, f);
    case N_ARRAY: {
        Array *a = new_array(n->count);
        for (int i = 0; i < n->count; i++) array_push(a, eval(n->list[i], f));
        Value v; v.kind = V_ARR; v.u.a = a;
        return v;
    }
    case N_MAP: {
        Map *m = new_map();
        for (int i = 0; i < n->count; i++) map_set(m, n->keys[i], eval(n->list[i], f));
        Value v; v.kind = V_MAP; v.u.m = m;
        return v;
    }
    case N_INDEX: {
        Value c = eval(n->a, f), i = eval(n->b, f);
        if (c.kind == V_STR) {
            long long k = want_int(i, n->line, "index");
            if (k < 0 || (size_t)k >= c.u.s->len) fatal(n->line, "string index %lld out of range", k);
            return str_value(c.u.s->chars + k, 1);
        }
        Value *e = element(c, i, n->line, 0);
        return e ? *e : nil_value();
    }
    case N_FIELD: {
        Value c = eval(n->a, f);
        Value key; key.kind = V_STR; key.u.s = n->name;
        Value *e = element(c, key, n->line, 0);
        return e ? *e : nil_value();
    }
    case N_CALL: {
        Value callee = eval(n->a, f);
        Value args[32];
        if (n->count > 32) fatal(n->line, "too many arguments");
        for (int i = 0; i < n->count; i++) args[i] = eval(n->list[i], f);
        return call_value(callee, args, n->count, n->line);
    }
    case N_UNARY: {
        Value v = eval(n->a, f);
        if (n->op == T_NOT) return int_value(!truthy(v));
        return int_value(-want_int(v, n->line, "negation"));
    }
    case N_BINARY: {
        Value a = eval(n->a, f);
        Value b = eval(n->b, f);
        return arith(n->op, a, b, n->line);
    }
    case N_AND: { Value a = eval(n->a, f); return truthy(a) ? eval(n->b, f) : a; }
    case N_OR: { Value a = eval(n->a, f); return truthy(a) ? a : eval(n->b, f); }
    case N_FUNC: {
        Func *fn = alloc(sizeof(Func));
        fn->def = n;
        fn->env = f;
        Value v; v.kind = V_FUN; v.u.f = fn;
        return v;
    }
    default:
        fatal(n->line, "not an expression");
        return nil_value();
    }
}

static void assign(Node *target, Value v, Frame *f) {
    if (target->kind == N_VAR) { *lookup(target, f) = v; return; }
    Value c = eval(target->a, f);
    Value key;
    if (target->kind == N_FIELD) { key.kind = V_STR; key.u.s = target->name; }
    else key = eval(target->b, f);
    *element(c, key, target->line, 1) = v;
}

static Flow exec(Node *n, Frame *f, Value *ret) {
    steps++;
    switch (n->kind) {
    case N_BLOCK:
        for (int i = 0; i < n->count; i++) {
            Flow fl = exec(n->list[i], f, ret);
            if (fl != FLOW_NORMAL) return fl;
        }
        return FLOW_NORMAL;
    case N_LET: {
        Value v = eval(n->a, f);
        if (v.kind == V_FUN && !v.u.f->name) v.u.f->name = n->name;
        if (n->slot >= 0 && f) f->slots[n->slot] = v;
        else map_set(globals, n->name, v);
        /* A named function declared in a frame must see itself: its env is this frame, so nothing more to do. */
        return FLOW_NORMAL;
    }
    case N_ASSIGN: assign(n->a, eval(n->b, f), f); return FLOW_NORMAL;
    case N_EXPR: eval(n->a, f); return FLOW_NORMAL;
    case N_IF:
        if (truthy(eval(n->a, f))) return exec(n->b, f, ret);
        if (n->c) return exec(n->c, f, ret);
        return FLOW_NORMAL;
    case N_WHILE:
        while (truthy(eval(n->a, f))) {
            Flow fl = exec(n->b, f, ret);
            if (fl == FLOW_BREAK) break;
            if (fl == FLOW_RETURN) return fl;
        }
        return FLOW_NORMAL;
    case N_FOR: {
        long long from = want_int(eval(n->a, f), n->line, "for"), to = want_int(eval(n->b, f), n->line, "for");
        for (long long i = from; i < to; i++) {
            if (n->slot >= 0 && f) f->slots[n->slot] = int_value(i);
            else map_set(globals, n->name, int_value(i));
            Flow fl = exec(n->c, f, ret);
            if (fl == FLOW_BREAK) break;
            if (fl == FLOW_RETURN) return fl;
        }
        return FLOW_NORMAL;
    }
    case N_RETURN: *ret = n->a ? eval(n->a, f) : nil_value(); return FLOW_RETURN;
    case N_BREAK: return FLOW_BREAK;
    case N_CONTINUE: return FLOW_CONTINUE;
    default: fatal(n->line, "not a statement"); return FLOW_NORMAL;
    }
}

static void run_script(const char *src) {
    Lexer lx;
    lex_init(&lx, src);
    scope = NULL;
    NodeList stmts = {0};
    while (lx.cur.kind != T_EOF) list_add(&stmts, parse_statement(&lx));
    Value ret = nil_value();
    for (int i = 0; i < stmts.count; i++)
        if (exec(stmts.items[i], NULL, &ret) == FLOW_RETURN) break;
}

/* ------------------------------------------------------------------------------------------------------------
 * LZ77 compression with a hash chain, and CRC-32: a byte-crunching workload next to the interpreter's
 * pointer-chasing one.
 * ------------------------------------------------------------------------------------------------------------ */

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(const unsigned char *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

enum { WINDOW = 1 << 15, MIN_MATCH = 4, MAX_MATCH = 255 + MIN_MATCH, HASH_BITS = 15, MAX_CHAIN = 64 };

/* Output format: a flag byte governs 8 items; a 0 bit is a literal byte, a 1 bit a (distance:16, length-4:8) match. */
static size_t lz_compress(const unsigned char *in, size_t n, unsigned char *out) {
    int32_t *head = malloc(sizeof(int32_t) << HASH_BITS);
    int32_t *prev = malloc(sizeof(int32_t) * (n ? n : 1));
    for (size_t i = 0; i < (1u << HASH_BITS); i++) head[i] = -1;
    size_t o = 0, flag_at = 0;
    int bit = 8;
    size_t i = 0;
    while (i < n) {
        if (bit == 8) { flag_at = o++; out[flag_at] = 0; bit = 0; }
        size_t best_len = 0, best_dist = 0;
        if (i + MIN_MATCH <= n) {
            uint32_t h = ((uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2]) * 2654435761u >> (32 - HASH_BITS);
            int32_t cand = head[h];
            int chain = 0;
            while (cand >= 0 && i - (size_t)cand <= WINDOW - 1 && chain++ < MAX_CHAIN) {
                size_t len = 0, limit = n - i < MAX_MATCH ? n - i : MAX_MATCH;
                while (len < limit && in[(size_t)cand + len] == in[i + len]) len++;
                if (len > best_len) { best_len = len; best_dist = i - (size_t)cand; if (len == limit) break; }
                cand = prev[cand];
            }
            prev[i] = head[h];
            head[h] = (int32_t)i;
        }
        if (best_len >= MIN_MATCH) {
            out[flag_at] |= (unsigned char)(1u << bit);
            out[o++] = (unsigned char)(best_dist >> 8);
            out[o++] = (unsigned char)best_dist;
            out[o++] = (unsigned char)(best_len - MIN_MATCH);
            /* Insert the skipped positions so later matches can refer into this one. */
            for (size_t k = 1; k < best_len && i + k + MIN_MATCH <= n; k++) {
                size_t j = i + k;
                uint32_t h = ((uint32_t)in[j] << 16 | (uint32_t)in[j + 1] << 8 | in[j + 2]) * 2654435761u >> (32 - HASH_BITS);
                prev[j] = head[h];
                head[h] = (int32_t)j;
            }
            i += best_len;
        } else {
            out[o++] = in[i++];
        }
        bit++;
    }
    free(head);
    free(prev);
    return o;
}

static size_t lz_decompress(const unsigned char *in, size_t n, unsigned char *out, size_t cap) {
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned flags = in[i++];
        for (int bit = 0; bit < 8 && i < n; bit++) {
            if (flags & (1u << bit)) {
                if (i + 3 > n) return (size_t)-1;
                size_t dist = (size_t)in[i] << 8 | in[i + 1];
                size_t len = (size_t)in[i + 2] + MIN_MATCH;
                i += 3;
                if (dist == 0 || dist > o || o + len > cap) return (size_t)-1;
                for (size_t k = 0; k < len; k++, o++) out[o] = out[o - dist];
            } else {
                if (o >= cap) return (size_t)-1;
                out[o++] = in[i++];
            }
        }
    }
    return o;
}

/* A deterministic pseudo-English text: words drawn with a xorshift generator from a fixed vocabulary. */
static size_t make_text(unsigned char *buf, size_t n, uint32_t seed) {
    static const char *words[] = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "wasm", "runtime",
                                  "sharp", "time", "module", "memory", "table", "global", "function", "import",
                                  "export", "stack", "trap", "value", "compile", "native", "code", "of", "and", "a"};
    uint32_t x = seed ? seed : 1;
    size_t o = 0;
    while (o + 16 < n) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        const char *w = words[x % (sizeof words / sizeof words[0])];
        size_t len = strlen(w);
        memcpy(buf + o, w, len);
        o += len;
        buf[o++] = (x >> 8) % 11 == 0 ? '\n' : ' ';
    }
    return o;
}

static void compression_workload(int scale) {
    crc_init();
    for (int round = 0; round < 3; round++) {
        size_t cap = (size_t)(200000 * scale) << round;
        unsigned char *text = malloc(cap), *packed = malloc(cap + cap / 8 + 16), *back = malloc(cap);
        size_t n = make_text(text, cap, 12345u + (uint32_t)round);
        size_t m = lz_compress(text, n, packed);
        size_t r = lz_decompress(packed, m, back, cap);
        printf("lz round %d: %zu -> %zu bytes (%.1f%%), crc %08x, packed crc %08x, roundtrip %s\n", round, n, m,
               100.0 * (double)m / (double)n, crc32(text, n), crc32(packed, m),
               r == n && memcmp(text, back, n) == 0 ? "ok" : "FAILED");
        free(text);
        free(packed);
        free(back);
    }
}

/* ------------------------------------------------------------------------------------------------------------
 * The built-in script workload
 * ------------------------------------------------------------------------------------------------------------ */

static const char *workload =
    "# recursion\n"
    "fn fib(n) { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); }\n"
    "print(\"fib\", FIBN, \"=\", fib(FIBN));\n"
    "# sieve of Eratosthenes\n"
    "fn sieve(n) {\n"
    "  let marks = array(n + 1, 1); let count = 0; let last = 0;\n"
    "  for (i = 2; n + 1) {\n"
    "    if (marks[i]) { count = count + 1; last = i; let j = i * i; while (j <= n) { marks[j] = 0; j = j + i; } }\n"
    "  }\n"
    "  return [count, last];\n"
    "}\n"
    "print(\"primes below\", SIEVEN, sieve(SIEVEN));\n"
    "# closures and higher-order functions\n"
    "fn counter() { let n = 0; return fn() { n = n + 1; return n; }; }\n"
    "let c1 = counter(); let c2 = counter(); c1(); c1(); c2();\n"
    "print(\"counters\", c1(), c2());\n"
    "fn map(xs, f) { let out = []; for (i = 0; len(xs)) { push(out, f(xs[i])); } return out; }\n"
    "fn fold(xs, f, acc) { for (i = 0; len(xs)) { acc = f(acc, xs[i]); } return acc; }\n"
    "let squares = map([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], fn(x) { return x * x; });\n"
    "print(\"squares\", squares, \"sum\", fold(squares, fn(a, b) { return a + b; }, 0));\n"
    "# sorting with a comparator, pseudo-random data\n"
    "let seed = 42;\n"
    "fn rand() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; }\n"
    "let data = []; for (i = 0; SORTN) { push(data, rand() % 100000); }\n"
    "sort(data, fn(a, b) { return a < b; });\n"
    "let ok = 1; for (i = 1; len(data)) { if (data[i - 1] > data[i]) { ok = 0; } }\n"
    "print(\"sorted\", len(data), \"ok\", ok, \"min\", data[0], \"max\", data[len(data) - 1]);\n"
    "# maps: word frequencies\n"
    "let words = [\"alpha\", \"beta\", \"gamma\", \"delta\", \"alpha\", \"beta\", \"alpha\"];\n"
    "let freq = {};\n"
    "for (r = 0; WORDR) { for (i = 0; len(words)) { let w = words[i]; if (has(freq, w)) { freq[w] = freq[w] + 1; } else { freq[w] = 1; } } }\n"
    "print(\"freq\", freq);\n"
    "let ks = keys(freq); print(\"keys\", join(ks, \",\"));\n"
    "# strings\n"
    "let s = \"\"; for (i = 0; 26) { s = s + chr(97 + i); }\n"
    "print(s, len(s), substr(s, 3, 5), ord(s, 25));\n"
    "fn reverse(t) { let out = \"\"; let i = len(t) - 1; while (i >= 0) { out = out + t[i]; i = i - 1; } return out; }\n"
    "print(reverse(s));\n"
    "# n-queens\n"
    "fn queens(n) {\n"
    "  let cols = array(n, 0); let count = 0;\n"
    "  fn place(row) {\n"
    "    if (row == n) { count = count + 1; return nil; }\n"
    "    for (c = 0; n) {\n"
    "      let safe = 1; let r = 0;\n"
    "      while (r < row && safe) { let d = cols[r] - c; if (d == 0 || abs(d) == row - r) { safe = 0; } r = r + 1; }\n"
    "      if (safe) { cols[row] = c; place(row + 1); }\n"
    "    }\n"
    "  }\n"
    "  place(0); return count;\n"
    "}\n"
    "for (n = 4; QUEENS) { print(\"queens\", n, queens(n)); }\n"
    "# matrix product\n"
    "fn matrix(n, k) { let m = []; for (i = 0; n) { let row = []; for (j = 0; n) { push(row, (i * k + j) % 7 - 3); } push(m, row); } return m; }\n"
    "fn mul(a, b) { let n = len(a); let out = [];\n"
    "  for (i = 0; n) { let row = []; for (j = 0; n) { let acc = 0; for (k = 0; n) { acc = acc + a[i][k] * b[k][j]; } push(row, acc); } push(out, row); }\n"
    "  return out; }\n"
    "let p = mul(matrix(MATN, 3), matrix(MATN, 5)); let trace = 0; for (i = 0; MATN) { trace = trace + p[i][i]; }\n"
    "print(\"matrix trace\", trace, \"corner\", p[0][0], p[MATN - 1][MATN - 1]);\n"
    "# collatz with bit operations\n"
    "let longest = 0; let arg = 0;\n"
    "for (i = 1; COLLATZ) { let x = i; let steps = 0; while (x != 1) { if (x & 1) { x = 3 * x + 1; } else { x = x >> 1; } steps = steps + 1; }\n"
    "  if (steps > longest) { longest = steps; arg = i; } }\n"
    "print(\"collatz\", arg, longest);\n";

static char *substitute(const char *src, int scale) {
    struct { const char *name; long long value; } params[] = {
        {"FIBN", 20 + (scale > 1 ? 4 : 0)}, {"SIEVEN", 100000LL * scale}, {"SORTN", 20000LL * scale},
        {"WORDR", 200LL * scale}, {"QUEENS", 8 + (scale > 1 ? 1 : 0)}, {"MATN", 30 + 10 * (scale > 1)},
        {"COLLATZ", 30000LL * scale},
    };
    size_t cap = strlen(src) * 2 + 1;
    char *out = malloc(cap), *o = out;
    while (*src) {
        int replaced = 0;
        for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
            size_t len = strlen(params[i].name);
            if (strncmp(src, params[i].name, len) == 0) {
                o += sprintf(o, "%lld", params[i].value);
                src += len;
                replaced = 1;
                break;
            }
        }
        if (!replaced) *o++ = *src++;
    }
    *o = 0;
    return out;
}

static char *read_all(FILE *in) {
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, in)) > 0) {
        n += got;
        if (n + 1 == cap) { cap *= 2; buf = realloc(buf, cap); }
    }
    buf[n] = 0;
    return buf;
}

static void define_builtins(void) {
    globals = new_map();
    for (int i = 0; i < B_COUNT; i++) {
        Value v;
        v.kind = V_BUILTIN;
        v.u.builtin = i;
        map_set(globals, new_str(builtin_names[i], strlen(builtin_names[i])), v);
    }
}

int main(int argc, char **argv) {
    define_builtins();
    if (argc > 1 && strcmp(argv[1], "-") == 0) {
        run_script(read_all(stdin));
        return 0;
    }
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    if (scale < 1 || scale > 100) {
        fprintf(stderr, "usage: tiny [SCALE 1..100] | tiny -\n");
        return 64;
    }
    run_script(substitute(workload, scale));
    compression_workload(scale);
    printf("evaluation steps: %lld\n", steps);
    return 0;
}

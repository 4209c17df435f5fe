// IOToy: the device side of the IOTOY serial protocol. See IOToy.h.
#include "IOToy.h"
#include <stdlib.h>
#include <string.h>

// Help lines of the built-in commands; the first word is the command.
static const char H_PING[] PROGMEM = "ping -> pong:str - Check that the device answers";
static const char H_DEVINFO[] PROGMEM = "devinfo -> id:str - The device id, as in the ready line";
static const char H_FUNCS[] PROGMEM = "funcs -> names:str* - List the functions";
static const char H_ATTRS[] PROGMEM = "attrs -> names:str* - List the attributes with their types";
static const char H_SET[] PROGMEM = "set name:str value:T -> - Set an attribute";
static const char H_GET[] PROGMEM = "get name:str -> value:T - Read an attribute";
static const char H_HELP[] PROGMEM = "help -> helptext:str - try 'help help', 'funcs' and 'attrs'";
static const char *const BUILTIN_HELP[] PROGMEM = {
    H_PING, H_DEVINFO, H_FUNCS, H_ATTRS, H_SET, H_GET, H_HELP,
};
static const char FUNCS_HEAD[] PROGMEM = "200:FUNCS OK:ping,devinfo,funcs,attrs,set,get,help";

static const char S_OK[] PROGMEM = "OK";
static const char S_FAIL[] PROGMEM = "Fail";
static const char S_FOUND[] PROGMEM = "Found";
static const char S_HELP[] PROGMEM = "Help found";
static const char S_NOHELP[] PROGMEM = "No help found";
static const char S_SUCCESS[] PROGMEM = "Success";
static const char S_BAD[] PROGMEM = "Bad Value";
static const char S_NOATTR[] PROGMEM = "Attribute Not Found";
static const char S_LONG[] PROGMEM = "Line too long";

// ---------------------------------------------------------------- helpers

// Length of the name at the start of a declaration in flash.
static size_t nameLen(const char *declP, char stop) {
    size_t n = 0;
    for (char c; (c = pgm_read_byte(declP + n)) && c != ' ' && c != stop; n++) {}
    return n;
}

static bool nameIs(const char *declP, char stop, const char *name, size_t n) {
    return nameLen(declP, stop) == n && !strncmp_P(name, declP, n);
}

static size_t wordLen(const char *s) {
    size_t n = 0;
    while (s[n] && s[n] != ' ') n++;
    return n;
}

static char *trimEnd(char *s) {
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') s[--n] = 0;
    return s;
}

// ---------------------------------------------------------------- output

void IOToy::put(const char *s) { io->write((const uint8_t *)s, strlen(s)); }

void IOToy::putN_P(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) io->write((uint8_t)pgm_read_byte(s + i));
}

void IOToy::putP(const char *s) { putN_P(s, strlen_P(s)); }

void IOToy::reply(uint16_t code, const char *statusP, const char *data, bool dataP) {
    char num[8];
    put(utoa(code, num, 10));
    putP(PSTR(":"));
    putP(statusP);
    putP(PSTR(":"));
    if (!data) putP(PSTR("-"));
    else if (dataP) putP(data);
    else put(data);
    end();
}

void IOToy::putValue(const IOToyValue &v) {
    char buf[20];
    switch (v.type) {
    case IOTOY_INT: put(ltoa(v.i, buf, 10)); break;
    case IOTOY_FLOAT: iotoyFormatFloat(buf, v.f); put(buf); break;
    case IOTOY_BOOL: putP(v.b ? PSTR("True") : PSTR("False")); break;
    case IOTOY_STR: if (v.s) put(v.s); break;
    default: putP(PSTR("-"));
    }
}

// ---------------------------------------------------------------- core

IOToy::IOToy(const char *id_, const IOToyAttr *a, uint8_t na, const IOToyFunc *f, uint8_t nf)
    : id(id_), attrs(a), funcs(f), nattrs(na), nfuncs(nf), io(NULL), len(0),
      overflow(false), lastCR(false), waiting(false) {}

void IOToy::ready() {
    putP(PSTR("200:DEV READY:"));
    put(id);
    end();
}

void IOToy::begin(Stream &s) {
    io = &s;
    len = 0;
    overflow = lastCR = waiting = false;
    ready();
}

void IOToy::poll() {
    while (!waiting && io->available() > 0) {
        int c = io->read();
        if (c < 0) return;
        if (c == '\n' || c == '\r') {
            bool lfAfterCR = (c == '\n' && lastCR);
            lastCR = (c == '\r');
            if (lfAfterCR) continue;           // CRLF: the CR ended the line
            bool had = len > 0;
            line[len] = 0;
            len = 0;
            if (overflow) {
                overflow = false;
                reply(400, S_LONG, NULL, false);
                return;
            }
            if (had) { dispatch(); return; }  // one command per loop() pass
            continue;                          // empty line: ignored
        }
        lastCR = false;
        if (overflow || c == 0) continue;
        if (len >= IOTOY_LINE_MAX - 1) { overflow = true; continue; }
        line[len++] = (char)c;
    }
}

void IOToy::dispatch() {
    char *l = line;
    if (!strcmp_P(l, PSTR("ping"))) reply(200, S_OK, PSTR("pong"), true);
    else if (!strcmp_P(l, PSTR("devinfo"))) ready();
    else if (!strcmp_P(l, PSTR("funcs"))) cmdFuncs();
    else if (!strcmp_P(l, PSTR("attrs"))) cmdAttrs();
    else if (!strcmp_P(l, PSTR("help"))) cmdHelp(l);
    else if (!strncmp_P(l, PSTR("help "), 5)) cmdHelp(trimEnd(l + 5));
    else if (!strncmp_P(l, PSTR("get "), 4)) cmdGet(trimEnd(l + 4));
    else if (!strcmp_P(l, PSTR("get"))) reply(400, S_FAIL, PSTR("Usage: get <attr>"), true);
    else if (!strncmp_P(l, PSTR("set "), 4)) cmdSet(l + 4);
    else if (!strcmp_P(l, PSTR("set"))) reply(400, S_FAIL, PSTR("Usage: set <attr> <value>"), true);
    else cmdCall(l);
}

void IOToy::cmdFuncs() {
    putP(FUNCS_HEAD);
    for (uint8_t i = 0; i < nfuncs; i++) {
        putP(PSTR(","));
        putN_P(funcs[i].decl, nameLen(funcs[i].decl, ' '));
    }
    end();
}

void IOToy::cmdAttrs() {
    putP(PSTR("200:ATTRS OK:"));
    for (uint8_t i = 0; i < nattrs; i++) {
        if (i) putP(PSTR(","));
        putN_P(attrs[i].decl, nameLen(attrs[i].decl, ' '));  // "name:type"
    }
    end();
}

int8_t IOToy::findAttr(const char *name, size_t n, IOToyAttr &a) {
    for (uint8_t i = 0; i < nattrs; i++)
        if (nameIs(attrs[i].decl, ':', name, n)) {
            memcpy_P(&a, &attrs[i], sizeof a);
            return i;
        }
    return -1;
}

int8_t IOToy::findFunc(const char *name, size_t n, IOToyFunc &f) {
    for (uint8_t i = 0; i < nfuncs; i++)
        if (nameIs(funcs[i].decl, ' ', name, n)) {
            memcpy_P(&f, &funcs[i], sizeof f);
            return i;
        }
    return -1;
}

void IOToy::cmdHelp(const char *name) {
    size_t n = strlen(name);
    for (uint8_t i = 0; i < sizeof BUILTIN_HELP / sizeof BUILTIN_HELP[0]; i++) {
        const char *h = (const char *)pgm_read_ptr(&BUILTIN_HELP[i]);
        if (nameIs(h, ' ', name, n)) { reply(200, S_HELP, h, true); return; }
    }
    for (uint8_t i = 0; i < nattrs; i++)
        if (nameIs(attrs[i].decl, ':', name, n)) {  // "type - help"
            reply(200, S_HELP, attrs[i].decl + n + 1, true);
            return;
        }
    for (uint8_t i = 0; i < nfuncs; i++)
        if (nameIs(funcs[i].decl, ' ', name, n)) {
            reply(200, S_HELP, funcs[i].decl, true);
            return;
        }
    reply(404, S_NOHELP, name, false);
}

// Type of an attribute from its declaration "name:type - help".
static uint8_t attrType(const IOToyAttr &a) {
    const char *t = strchr(a.decl, ':');
    if (!t) return IOTOY_STR;
    t++;
    size_t n = wordLen(t);
    uint8_t ty = iotoyTypeOf(t, n);
    return ty ? ty : (uint8_t)IOTOY_STR;
}

void IOToy::cmdGet(const char *name) {
    IOToyAttr a;
    if (findAttr(name, strlen(name), a) < 0) { reply(404, S_NOATTR, NULL, false); return; }
    IOToyValue v;
    v.type = attrType(a);
    v.i = 0;
    if (a.get) a.get(v);
    else if (!a.var) v.type = IOTOY_NONE;
    else switch (v.type) {
        case IOTOY_INT:
            v.i = a.size == 1 ? *(int8_t *)a.var : a.size == 2 ? *(int16_t *)a.var : *(int32_t *)a.var;
            break;
        case IOTOY_FLOAT: v.f = a.size == 8 ? (float)*(double *)a.var : *(float *)a.var; break;
        case IOTOY_BOOL: v.b = *(bool *)a.var; break;
        default: v.s = (const char *)a.var;
    }
    putP(PSTR("200:Found:"));
    putValue(v);
    end();
}

void IOToy::cmdSet(char *rest) {
    char *value = strchr(rest, ' ');
    if (!value) { reply(400, S_FAIL, PSTR("Usage: set <attr> <value>"), true); return; }
    *value++ = 0;  // value: the rest of the line, spaces included, maybe empty
    IOToyAttr a;
    if (findAttr(rest, strlen(rest), a) < 0) { reply(404, S_NOATTR, NULL, false); return; }
    IOToyValue v;
    bool ok = iotoyParse(attrType(a), value, v) && (a.var || a.set);
    if (ok && v.type == IOTOY_INT) {
        int32_t lo = IOTOY_INT_MIN, hi = IOTOY_INT_MAX;
        if (a.lo <= a.hi) { lo = a.lo; hi = a.hi; }
        else if (a.var && a.size == 1) { lo = -128; hi = 127; }
        else if (a.var && a.size == 2) { lo = -32768; hi = 32767; }
        ok = v.i >= lo && v.i <= hi;
    }
    if (ok && v.type == IOTOY_STR && a.var) ok = strlen(v.s) < a.size;
    if (ok && a.set) ok = a.set(v);
    if (!ok) { reply(500, S_BAD, NULL, false); return; }
    if (a.var) switch (v.type) {
        case IOTOY_INT:
            if (a.size == 1) *(int8_t *)a.var = (int8_t)v.i;
            else if (a.size == 2) *(int16_t *)a.var = (int16_t)v.i;
            else *(int32_t *)a.var = v.i;
            break;
        case IOTOY_FLOAT:
            if (a.size == 8) *(double *)a.var = v.f;
            else *(float *)a.var = v.f;
            break;
        case IOTOY_BOOL: *(bool *)a.var = v.b; break;
        default: strcpy((char *)a.var, v.s);
    }
    reply(200, S_SUCCESS, NULL, false);
}

void IOToy::cmdCall(char *name) {
    char *args = strchr(name, ' ');
    if (args) *args++ = 0;
    else args = name + strlen(name);
    IOToyFunc f;
    if (findFunc(name, strlen(name), f) < 0) {
        putP(PSTR("404:"));
        put(name);
        putP(PSTR(" Not Found:-"));
        end();
        return;
    }
    IOToyCall call;
    call.rawArgs = args;
    call.count = 0;
    call.failed = call.deferred = false;
    call.result.type = IOTOY_NONE;
    // Argument types: the "name:type" words between the function name and "->".
    uint8_t types[IOTOY_ARGS_MAX];
    const char *p = f.decl + strlen(name);
    while (*p == ' ') p++;
    while (*p && !(p[0] == '-' && p[1] == '>') && call.count < IOTOY_ARGS_MAX) {
        size_t w = wordLen(p);
        const char *colon = (const char *)memchr(p, ':', w);
        uint8_t t = colon ? iotoyTypeOf(colon + 1, w - (colon + 1 - p)) : (uint8_t)IOTOY_STR;
        types[call.count++] = t ? t : (uint8_t)IOTOY_STR;
        p += w;
        while (*p == ' ') p++;
    }
    bool ok = true;
    char *q = args;
    for (uint8_t i = 0; ok && i < call.count; i++) {
        while (*q == ' ') q++;
        char *word = q;
        bool last = i + 1 == call.count;
        if (!(last && types[i] == IOTOY_STR)) {  // a last str takes the rest of the line
            q += wordLen(q);
            if (*q) *q++ = 0;
            if (!*word) { ok = false; break; }
        } else {
            q += strlen(q);
        }
        ok = iotoyParse(types[i], word, call.args[i]);
    }
    if (ok && call.count) {
        while (*q == ' ') q++;
        ok = !*q;  // no words left over
    }
    if (!ok) { reply(500, S_BAD, NULL, false); return; }
    f.handler(call);
    if (call.failed) { reply(500, S_BAD, NULL, false); return; }
    if (call.deferred) { waiting = true; return; }
    finish(&call.result);
}

// ---------------------------------------------------------------- deferred replies

void IOToy::finish(const IOToyValue *v) {
    waiting = false;
    putP(PSTR("200:Success:"));
    if (v && v->type != IOTOY_NONE) putValue(*v);
    else putP(PSTR("-"));
    end();
}

void IOToy::complete() { finish(NULL); }
void IOToy::completeInt(int32_t x) { IOToyValue v; v.type = IOTOY_INT; v.i = x; finish(&v); }
void IOToy::completeFloat(float x) { IOToyValue v; v.type = IOTOY_FLOAT; v.f = x; finish(&v); }
void IOToy::completeBool(bool x) { IOToyValue v; v.type = IOTOY_BOOL; v.b = x; finish(&v); }
void IOToy::completeStr(const char *x) { IOToyValue v; v.type = IOTOY_STR; v.s = x; finish(&v); }
void IOToy::completeFail() {
    waiting = false;
    reply(500, S_BAD, NULL, false);
}

void IOToy::end() { putP(PSTR("\r\n")); }

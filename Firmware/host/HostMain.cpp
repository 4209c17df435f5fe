// Runs an Arduino sketch as a Linux process with its Serial on a pseudo-terminal.
//
//   testhost [--pty-link PATH] [--unplug-ms MS]
// Prints the slave path on stdout (one line, again after each replug). With
// --pty-link, PATH is a symlink to the current slave. SIGUSR1 "unplugs" the
// device: the pty is closed, and after MS ms (default 1000) a new one is
// opened, the link moved to it, and setup() run again (a reset). SIGTERM or
// SIGINT end the process (and remove the link).
#include "Arduino.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

HostSerial Serial;
static int masterFd = -1, slaveFd = -1;
static const char *linkPath;
static volatile sig_atomic_t unplugRequested, quitRequested;
static struct timespec t0;

// ------------------------------------------------------------ time and pins
static uint64_t nowUs() {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)(t.tv_sec - t0.tv_sec) * 1000000u + (t.tv_nsec - t0.tv_nsec) / 1000;
}
unsigned long millis() { return (unsigned long)(nowUs() / 1000); }
unsigned long micros() { return (unsigned long)nowUs(); }
void delay(unsigned long ms) { usleep(ms * 1000); }
void delayMicroseconds(unsigned int us) { usleep(us); }
static uint8_t pinState[32];
void pinMode(uint8_t, uint8_t) {}
void digitalWrite(uint8_t p, uint8_t v) { if (p < 32) pinState[p] = v; }
int digitalRead(uint8_t p) { return p < 32 ? pinState[p] : 0; }
int analogRead(uint8_t) { return 512; }

// ------------------------------------------------------------ number conversions
char *ultoa(unsigned long v, char *buf, int radix) {
    char tmp[40];
    int n = 0;
    do { int d = v % radix; tmp[n++] = d < 10 ? '0' + d : 'a' + d - 10; v /= radix; } while (v);
    for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return buf;
}
char *ltoa(long v, char *buf, int radix) {
    if (v < 0 && radix == 10) { buf[0] = '-'; ultoa(0ul - (unsigned long)v, buf + 1, radix); return buf; }
    return ultoa((unsigned long)v, buf, radix);
}
char *itoa(int v, char *buf, int radix) { return ltoa(v, buf, radix); }
char *utoa(unsigned v, char *buf, int radix) { return ultoa(v, buf, radix); }

// ------------------------------------------------------------ Serial over the pty
void HostSerial::attachFd(int f) { fd = f; head = tail = 0; txLen = 0; }
int HostSerial::available() {
    uint8_t used = (uint8_t)(head - tail) & 63;
    if (used == 0 && fd >= 0) {
        uint8_t buf[63];
        ssize_t n = ::read(fd, buf, sizeof buf);  // non-blocking
        for (ssize_t i = 0; i < n; i++) { rx[head] = buf[i]; head = (head + 1) & 63; }
        used = (uint8_t)(head - tail) & 63;
    }
    return used;
}
int HostSerial::read() {
    if (!available()) return -1;
    int c = rx[tail];
    tail = (tail + 1) & 63;
    return c;
}
int HostSerial::peek() { return available() ? rx[tail] : -1; }
size_t HostSerial::write(uint8_t c) {
    tx[txLen++] = c;
    if (c == '\n' || txLen == sizeof tx) flush();
    return 1;
}
size_t HostSerial::write(const uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) write(b[i]);
    return n;
}
void HostSerial::flush() {
    size_t off = 0;
    while (fd >= 0 && off < txLen) {
        ssize_t n = ::write(fd, tx + off, txLen - off);
        if (n > 0) { off += n; continue; }
        if (n < 0 && errno == EAGAIN) {  // nobody reading: wait a little, then drop
            struct pollfd p = {fd, POLLOUT, 0};
            if (poll(&p, 1, 100) > 0) continue;
        }
        break;
    }
    txLen = 0;
}

void hostIdle() {
    Serial.flush();
    if (masterFd < 0) { usleep(1000); return; }
    struct pollfd p = {masterFd, POLLIN, 0};
    poll(&p, 1, 1);
}

// ------------------------------------------------------------ the pty
static void plugIn() {
    struct termios tio;
    char name[128];
    if (openpty(&masterFd, &slaveFd, name, NULL, NULL) < 0) { perror("openpty"); exit(1); }
    tcgetattr(slaveFd, &tio);
    cfmakeraw(&tio);
    tcsetattr(slaveFd, TCSANOW, &tio);   // raw before any client opens it
    fcntl(masterFd, F_SETFL, fcntl(masterFd, F_GETFL) | O_NONBLOCK);
    if (linkPath) {
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s.tmp%d", linkPath, (int)getpid());
        unlink(tmp);
        if (symlink(name, tmp) < 0 || rename(tmp, linkPath) < 0) { perror("pty link"); exit(1); }
    }
    printf("%s\n", name);
    fflush(stdout);
    Serial.attachFd(masterFd);
}

static void unplug() {
    Serial.attachFd(-1);
    close(masterFd);
    close(slaveFd);   // clients of the old slave now see a hang-up
    masterFd = slaveFd = -1;
}

static void onSignal(int sig) {
    if (sig == SIGUSR1) unplugRequested = 1;
    else quitRequested = 1;
}

int main(int argc, char **argv) {
    // A test or benchmark that starts this and is killed before it can stop it leaves it
    // behind, reparented: it then ends itself rather than run on beside the next run.
    const pid_t parent = getppid();
    long unplugMs = 1000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--pty-link") && i + 1 < argc) linkPath = argv[++i];
        else if (!strcmp(argv[i], "--unplug-ms") && i + 1 < argc) unplugMs = atol(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--pty-link PATH] [--unplug-ms MS]\n", argv[0]);
            return 2;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = onSignal;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    // A parent may hand down a blocked signal mask (Foundation's Process does, from a test
    // runner that blocks SIGTERM): unblock what this program is driven by.
    sigset_t driven;
    sigemptyset(&driven);
    sigaddset(&driven, SIGUSR1);
    sigaddset(&driven, SIGTERM);
    sigaddset(&driven, SIGINT);
    sigprocmask(SIG_UNBLOCK, &driven, NULL);
    plugIn();
    setup();
    while (!quitRequested && getppid() == parent) {
        loop();
        Serial.flush();
        if (unplugRequested) {
            unplugRequested = 0;
            unplug();
            usleep(unplugMs * 1000);
            plugIn();
            setup();   // like a reset: the sketch announces itself again
        }
    }
    if (linkPath) unlink(linkPath);
    return 0;
}

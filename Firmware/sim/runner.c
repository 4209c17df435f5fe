/* runner: runs an AVR firmware ELF in simavr with UART0 on a pseudo-terminal.
 *
 *   runner [--mcu atmega328p] [--freq 16000000] [--pty-link PATH]
 *          [--pulse-log FILE] [--pins 9,10] [--no-pace] firmware.elf
 *
 * Prints the pty slave path on stdout (one line); --pty-link also makes PATH a
 * symlink to it. Bytes written to the pty reach the UART as fast as its receive
 * FIFO takes them (XON/XOFF from simavr); the UART's output goes back to the pty.
 * --pulse-log appends "<pin> <width_us>" for every high pulse on the given
 * Arduino Uno pins (D0-D7 port D, D8-D13 port B, A0-A5 = 14-19 port C).
 * Simulated time is paced to real time unless --no-pace. SIGTERM/SIGINT stop it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sim_avr.h>
#include <sim_elf.h>
#include <sim_irq.h>
#include <avr_ioport.h>
#include <avr_uart.h>

#define MAX_PINS 8

static int master = -1;
static volatile sig_atomic_t quit;
static int xon;                       /* UART receive FIFO has room */
static unsigned char inbuf[4096];
static size_t inLen, inOff;
static FILE *pulseLog;
static avr_t *avr;

struct pin {
    int arduino;
    avr_cycle_count_t rise;
    int high;
};
static struct pin pins[MAX_PINS];
static int npins;

static void onSignal(int sig) { (void)sig; quit = 1; }

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* ---- UART <-> pty */
static void uartOut(struct avr_irq_t *irq, uint32_t value, void *param) {
    (void)irq; (void)param;
    unsigned char c = (unsigned char)value;
    for (int tries = 0; tries < 100; tries++) {
        if (write(master, &c, 1) == 1 || errno != EAGAIN) return;
        usleep(1000);  /* nobody reading: give the client a moment, then drop */
    }
}
static void uartXon(struct avr_irq_t *irq, uint32_t v, void *p) { (void)irq; (void)v; (void)p; xon = 1; }
static void uartXoff(struct avr_irq_t *irq, uint32_t v, void *p) { (void)irq; (void)v; (void)p; xon = 0; }

static void feedUart(avr_irq_t *input) {
    if (inOff == inLen) {
        ssize_t n = read(master, inbuf, sizeof inbuf);
        if (n <= 0) return;
        inLen = (size_t)n;
        inOff = 0;
    }
    while (xon && inOff < inLen) avr_raise_irq(input, inbuf[inOff++]);
}

/* ---- pin pulse logging */
static void pinChange(struct avr_irq_t *irq, uint32_t value, void *param) {
    (void)irq;
    struct pin *p = param;
    if (value && !p->high) {
        p->rise = avr->cycle;
    } else if (!value && p->high) {
        double us = (double)(avr->cycle - p->rise) * 1e6 / avr->frequency;
        fprintf(pulseLog, "%d %.0f\n", p->arduino, us);
    }
    p->high = value != 0;
}

static void watchPin(int arduino) {
    char port;
    int bit;
    if (arduino >= 0 && arduino <= 7) { port = 'D'; bit = arduino; }
    else if (arduino >= 8 && arduino <= 13) { port = 'B'; bit = arduino - 8; }
    else if (arduino >= 14 && arduino <= 19) { port = 'C'; bit = arduino - 14; }
    else { fprintf(stderr, "runner: no pin %d on an Uno\n", arduino); exit(2); }
    if (npins == MAX_PINS) { fprintf(stderr, "runner: too many pins\n"); exit(2); }
    struct pin *p = &pins[npins++];
    p->arduino = arduino;
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(port), bit), pinChange, p);
}

/* Simulated sleep: keep the cycle jump, let the main loop pace to real time. */
static void simSleep(avr_t *a, avr_cycle_count_t howLong) { (void)a; (void)howLong; }

static int openPty(const char *linkPath) {
    int slave;
    char name[256];
    struct termios tio;
    if (openpty(&master, &slave, name, NULL, NULL) < 0) { perror("openpty"); return -1; }
    tcgetattr(slave, &tio);
    cfmakeraw(&tio);
    tcsetattr(slave, TCSANOW, &tio);
    /* slave stays open: the master never sees a hang-up between clients */
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
    if (linkPath) {
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s.tmp%d", linkPath, (int)getpid());
        unlink(tmp);
        if (symlink(name, tmp) < 0 || rename(tmp, linkPath) < 0) { perror("pty link"); return -1; }
    }
    printf("%s\n", name);
    fflush(stdout);
    return 0;
}

static void usage(void) {
    fprintf(stderr, "usage: runner [--mcu MCU] [--freq HZ] [--pty-link PATH] "
                    "[--pulse-log FILE] [--pins 9,10] [--no-pace] firmware.elf\n");
    exit(2);
}

int main(int argc, char **argv) {
    /* Left behind by a killed test run (reparented): end rather than run on beside the next. */
    const pid_t parent = getppid();
    const char *mcu = "atmega328p", *linkPath = NULL, *logPath = NULL, *pinList = NULL, *elf = NULL;
    unsigned long freq = 16000000;
    int pace = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--mcu") && i + 1 < argc) mcu = argv[++i];
        else if (!strcmp(a, "--freq") && i + 1 < argc) freq = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(a, "--pty-link") && i + 1 < argc) linkPath = argv[++i];
        else if (!strcmp(a, "--pulse-log") && i + 1 < argc) logPath = argv[++i];
        else if (!strcmp(a, "--pins") && i + 1 < argc) pinList = argv[++i];
        else if (!strcmp(a, "--no-pace")) pace = 0;
        else if (a[0] == '-' || elf) usage();
        else elf = a;
    }
    if (!elf) usage();

    elf_firmware_t fw;
    memset(&fw, 0, sizeof fw);
    if (elf_read_firmware(elf, &fw) != 0) { fprintf(stderr, "runner: cannot read %s\n", elf); return 1; }
    if (!fw.mmcu[0]) strncpy(fw.mmcu, mcu, sizeof fw.mmcu - 1);
    if (!fw.frequency) fw.frequency = freq;
    avr = avr_make_mcu_by_name(fw.mmcu);
    if (!avr) { fprintf(stderr, "runner: unknown MCU %s\n", fw.mmcu); return 1; }
    avr_init(avr);
    avr_load_firmware(avr, &fw);
    avr->sleep = simSleep;
    avr->log = 0;

    uint32_t flags = 0;
    avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
    flags &= ~(AVR_UART_FLAG_STDIO | AVR_UART_FLAG_POLL_SLEEP);
    avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
    avr_irq_t *uartIn = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT), uartOut, NULL);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XON), uartXon, NULL);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XOFF), uartXoff, NULL);

    if (logPath) {
        pulseLog = fopen(logPath, "a");
        if (!pulseLog) { perror(logPath); return 1; }
        setvbuf(pulseLog, NULL, _IOLBF, 0);
        char *list = strdup(pinList ? pinList : "9,10");
        for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) watchPin(atoi(tok));
        free(list);
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = onSignal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* A parent may hand down a blocked signal mask (Foundation's Process does, from a test
       runner that blocks SIGTERM): unblock the signals that stop us. */
    sigset_t stopping;
    sigemptyset(&stopping);
    sigaddset(&stopping, SIGTERM);
    sigaddset(&stopping, SIGINT);
    sigprocmask(SIG_UNBLOCK, &stopping, NULL);
    if (openPty(linkPath) < 0) return 1;

    double start = now();
    avr_cycle_count_t lastService = 0, slice = avr->frequency / 5000;  /* 0.2 ms */
    int state = cpu_Running;
    unsigned services = 0;
    while (!quit && state != cpu_Done && state != cpu_Crashed) {
        state = avr_run(avr);
        if (avr->cycle - lastService < slice) continue;
        lastService = avr->cycle;
        if (++services % 1000 == 0 && getppid() != parent) break;  /* every 0.2 s of simulated time */
        feedUart(uartIn);
        if (!pace) continue;
        double ahead = (double)avr->cycle / avr->frequency - (now() - start);
        if (ahead > 0.001) {  /* wait for real time, or for input */
            struct pollfd p = {master, inOff == inLen ? POLLIN : 0, 0};
            poll(&p, 1, (int)(ahead * 1000));
        } else if (ahead < -0.5) {
            start = now() - (double)avr->cycle / avr->frequency;  /* fell behind: resync */
        }
    }
    if (state == cpu_Crashed) fprintf(stderr, "runner: firmware crashed\n");
    if (linkPath) unlink(linkPath);
    return state == cpu_Crashed ? 1 : 0;
}

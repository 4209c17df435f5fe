/*
 * iotoy_gpiod.h — one stable GPIO API over libgpiod v1 (1.6: Debian 12, Pi OS bookworm) and
 * v2 (2.x: Debian 13, Pi OS trixie). The two libgpiod APIs are not source compatible; the
 * shim picks one from the installed <gpiod.h> at compile time (iotoy_gpiod.c).
 *
 * Conventions: functions returning a pointer return NULL and set errno on failure; functions
 * returning int return -1 and set errno. Values are logical (active-low applied by the kernel).
 * A request is independent of the chip handle it was made from: closing the chip keeps it.
 * Every object is single-owner: use it from one thread at a time.
 */
#ifndef IOTOY_GPIOD_H
#define IOTOY_GPIOD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct iotoy_gpio_chip iotoy_gpio_chip;
typedef struct iotoy_gpio_request iotoy_gpio_request;

enum iotoy_gpio_direction { IOTOY_GPIO_INPUT = 0, IOTOY_GPIO_OUTPUT = 1 };
enum iotoy_gpio_bias {
    IOTOY_GPIO_BIAS_AS_IS = 0,
    IOTOY_GPIO_BIAS_DISABLED = 1,
    IOTOY_GPIO_BIAS_PULL_UP = 2,
    IOTOY_GPIO_BIAS_PULL_DOWN = 3,
    IOTOY_GPIO_BIAS_UNKNOWN = 4,
};
enum iotoy_gpio_drive {
    IOTOY_GPIO_DRIVE_PUSH_PULL = 0,
    IOTOY_GPIO_DRIVE_OPEN_DRAIN = 1,
    IOTOY_GPIO_DRIVE_OPEN_SOURCE = 2,
};
enum iotoy_gpio_edge {
    IOTOY_GPIO_EDGE_NONE = 0,
    IOTOY_GPIO_EDGE_RISING = 1,
    IOTOY_GPIO_EDGE_FALLING = 2,
    IOTOY_GPIO_EDGE_BOTH = 3,
};

/* What a line request asks of the kernel. */
struct iotoy_gpio_line_config {
    unsigned int offset;
    int direction;      /* enum iotoy_gpio_direction */
    int output_value;   /* logical initial value of an output */
    int bias;           /* enum iotoy_gpio_bias */
    int drive;          /* enum iotoy_gpio_drive (outputs) */
    int active_low;
    int edge;           /* enum iotoy_gpio_edge (inputs) */
    uint64_t debounce_us; /* the kernel's debounce (v2 only; v1 fails with EOPNOTSUPP unless 0) */
    const char *consumer;
};

/* What the kernel reports about a line. Strings are truncated to fit. */
struct iotoy_gpio_line_info {
    unsigned int offset;
    char name[64];      /* "" when unnamed */
    char consumer[64];  /* "" when free or unnamed consumer */
    int used;
    int direction;      /* enum iotoy_gpio_direction */
    int active_low;
    int bias;           /* enum iotoy_gpio_bias */
    int drive;          /* enum iotoy_gpio_drive */
    int edge;           /* enum iotoy_gpio_edge (v2 only; NONE on v1) */
    uint64_t debounce_us; /* v2 only */
};

/* An edge with the kernel's timestamp (CLOCK_MONOTONIC), in nanoseconds. */
struct iotoy_gpio_edge_event {
    uint64_t timestamp_ns;
    unsigned int offset;
    int rising;         /* 1 rising, 0 falling (logical: active-low applied) */
};

/* The libgpiod API the shim was compiled against: 1 or 2. */
int iotoy_gpiod_api_major(void);
/* The library's version string at run time, e.g. "1.6.3" or "2.2.1". */
const char *iotoy_gpiod_version(void);
/* 1 when the kernel debounces edges for this API (v2), 0 when the caller must (v1). */
int iotoy_gpiod_kernel_debounce(void);

/* Opens the chip character device at `path` (e.g. /dev/gpiochip0). */
iotoy_gpio_chip *iotoy_gpio_chip_open(const char *path);
void iotoy_gpio_chip_close(iotoy_gpio_chip *chip);
/* The kernel name (gpiochip0), label (pinctrl-bcm2711) and path; valid while the chip is open. */
const char *iotoy_gpio_chip_name(iotoy_gpio_chip *chip);
const char *iotoy_gpio_chip_label(iotoy_gpio_chip *chip);
const char *iotoy_gpio_chip_path(iotoy_gpio_chip *chip);
unsigned int iotoy_gpio_chip_num_lines(iotoy_gpio_chip *chip);
/* The offset of the line called `name`, or -1 with errno ENOENT. */
int iotoy_gpio_chip_find_line(iotoy_gpio_chip *chip, const char *name);
/* Fills `info` for the line at `offset`. */
int iotoy_gpio_chip_line_info(iotoy_gpio_chip *chip, unsigned int offset, struct iotoy_gpio_line_info *info);

/* Requests one line. EBUSY when another consumer holds it. */
iotoy_gpio_request *iotoy_gpio_request_line(iotoy_gpio_chip *chip, const struct iotoy_gpio_line_config *config);
/* 0 or 1 (logical), or -1. */
int iotoy_gpio_request_get_value(iotoy_gpio_request *request);
int iotoy_gpio_request_set_value(iotoy_gpio_request *request, int value);
/* The file descriptor that becomes readable when edge events are queued (poll(2) it). */
int iotoy_gpio_request_fd(iotoy_gpio_request *request);
/* Reads the queued edge events (at most `max`); blocks when none are queued, so poll first. */
int iotoy_gpio_request_read_edge_events(iotoy_gpio_request *request, struct iotoy_gpio_edge_event *events, int max);
/* Releases the line back to the kernel and frees the request. */
void iotoy_gpio_request_release(iotoy_gpio_request *request);

#ifdef __cplusplus
}
#endif

#endif /* IOTOY_GPIOD_H */

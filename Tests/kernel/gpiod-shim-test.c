/*
 * gpiod-shim-test.c — the CGPIOD shim against gpio-sim, built against libgpiod v1 and v2 by
 * shim-test.sh and run inside the kernel-harness guest. Prints one line per check and
 * "N passed, M failed"; exits non-zero on any failure.
 *
 *   gpiod-shim-test EXPECTED_API_MAJOR
 *
 * Reads IOTOY_GPIOSIM_CHIP, IOTOY_GPIOSIM_LABEL and IOTOY_GPIOSIM_SYSFS (written by the
 * guest's init). Lines: GPIO17 at offset 0, GPIO22 at 1, GPIO27 at 2 (the harness defaults).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "iotoy_gpiod.h"

static int passed, failed;
static const char *sim;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (cond) {                                                        \
            passed++;                                                      \
            printf("ok   ");                                               \
        } else {                                                           \
            failed++;                                                      \
            printf("FAIL (%s:%d, errno %d) ", __FILE__, __LINE__, errno);  \
        }                                                                  \
        printf(__VA_ARGS__);                                               \
        printf("\n");                                                      \
    } while (0)

static void write_sim(unsigned int offset, const char *file, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/sim_gpio%u/%s", sim, offset, file);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
}

static int read_sim_value(unsigned int offset)
{
    char path[512];
    int value = -1;
    snprintf(path, sizeof(path), "%s/sim_gpio%u/value", sim, offset);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%d", &value) != 1)
            value = -1;
        fclose(f);
    }
    return value;
}

static uint64_t monotonic_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

/* Waits up to 2 s for one edge event. */
static int wait_edge(iotoy_gpio_request *request, struct iotoy_gpio_edge_event *event)
{
    struct pollfd poller = { .fd = iotoy_gpio_request_fd(request), .events = POLLIN };
    if (poll(&poller, 1, 2000) != 1)
        return -1;
    return iotoy_gpio_request_read_edge_events(request, event, 1);
}

int main(int argc, char **argv)
{
    int expected = argc > 1 ? atoi(argv[1]) : 0;
    const char *chip_name = getenv("IOTOY_GPIOSIM_CHIP");
    const char *label = getenv("IOTOY_GPIOSIM_LABEL");
    sim = getenv("IOTOY_GPIOSIM_SYSFS");
    if (!chip_name || !label || !sim) {
        fprintf(stderr, "run inside the kernel harness (IOTOY_GPIOSIM_* missing)\n");
        return 2;
    }
    char path[256];
    snprintf(path, sizeof(path), "/dev/%s", chip_name);

    CHECK(iotoy_gpiod_api_major() == expected, "compiled against libgpiod v%d (expected v%d), library %s",
          iotoy_gpiod_api_major(), expected, iotoy_gpiod_version());
    CHECK(iotoy_gpiod_version()[0] == '0' + expected, "the library loaded at run time is v%d: %s", expected,
          iotoy_gpiod_version());
    CHECK(iotoy_gpiod_kernel_debounce() == (expected == 2), "kernel debounce only with v2");

    errno = 0;
    CHECK(iotoy_gpio_chip_open("/dev/gpiochip-missing") == NULL && errno == ENOENT, "a missing chip fails with ENOENT");
    CHECK(iotoy_gpio_chip_open("/dev/null") == NULL && errno != 0, "/dev/null is not a GPIO chip (errno %d)", errno);

    iotoy_gpio_chip *chip = iotoy_gpio_chip_open(path);
    CHECK(chip != NULL, "open %s", path);
    if (!chip)
        goto done;
    CHECK(strcmp(iotoy_gpio_chip_name(chip), chip_name) == 0, "chip name %s", iotoy_gpio_chip_name(chip));
    CHECK(strcmp(iotoy_gpio_chip_label(chip), label) == 0, "chip label %s", iotoy_gpio_chip_label(chip));
    CHECK(strcmp(iotoy_gpio_chip_path(chip), path) == 0, "chip path %s", iotoy_gpio_chip_path(chip));
    CHECK(iotoy_gpio_chip_num_lines(chip) == 8, "8 lines (%u)", iotoy_gpio_chip_num_lines(chip));
    CHECK(iotoy_gpio_chip_find_line(chip, "GPIO27") == 2, "GPIO27 is offset 2");
    errno = 0;
    CHECK(iotoy_gpio_chip_find_line(chip, "GPIO99") == -1 && errno == ENOENT, "no GPIO99: ENOENT");

    /* An output, driven and read back through the simulator. */
    struct iotoy_gpio_line_config config = { .offset = 0, .direction = IOTOY_GPIO_OUTPUT, .output_value = 1,
                                             .consumer = "shim-test" };
    iotoy_gpio_request *out = iotoy_gpio_request_line(chip, &config);
    CHECK(out != NULL, "request GPIO17 as an output at 1");
    if (out) {
        CHECK(read_sim_value(0) == 1, "gpio-sim sees GPIO17 driven high");
        CHECK(iotoy_gpio_request_set_value(out, 0) == 0 && read_sim_value(0) == 0, "set 0: gpio-sim sees it low");
        CHECK(iotoy_gpio_request_get_value(out) == 0, "an output reads back what it drives");
        struct iotoy_gpio_line_info info;
        CHECK(iotoy_gpio_chip_line_info(chip, 0, &info) == 0 && info.used && strcmp(info.consumer, "shim-test") == 0
              && info.direction == IOTOY_GPIO_OUTPUT && strcmp(info.name, "GPIO17") == 0,
              "line info: GPIO17 used by shim-test as an output");
        errno = 0;
        iotoy_gpio_request *again = iotoy_gpio_request_line(chip, &config);
        CHECK(again == NULL && errno == EBUSY, "requesting a held line fails with EBUSY");
        iotoy_gpio_request_release(again);
        iotoy_gpio_chip_close(iotoy_gpio_chip_open(path)); /* another handle closing leaves the request */
        CHECK(iotoy_gpio_request_set_value(out, 1) == 0 && read_sim_value(0) == 1, "the request outlives other chip handles");
        iotoy_gpio_request_release(out);
        CHECK(iotoy_gpio_chip_line_info(chip, 0, &info) == 0 && !info.used, "released: the line is free");
    }

    /* Active-low output: logical 1 drives the pin low. */
    config = (struct iotoy_gpio_line_config){ .offset = 1, .direction = IOTOY_GPIO_OUTPUT, .output_value = 1,
                                              .active_low = 1, .drive = IOTOY_GPIO_DRIVE_OPEN_DRAIN, .consumer = "shim-test" };
    out = iotoy_gpio_request_line(chip, &config);
    CHECK(out && read_sim_value(1) == 0, "active-low open-drain output at logical 1 drives GPIO22 low");
    if (out) {
        struct iotoy_gpio_line_info info;
        CHECK(iotoy_gpio_chip_line_info(chip, 1, &info) == 0 && info.active_low && info.drive == IOTOY_GPIO_DRIVE_OPEN_DRAIN,
              "line info: active-low, open-drain");
    }
    iotoy_gpio_request_release(out);

    /* An input with both edges: pulls made in the simulator arrive with kernel timestamps. */
    config = (struct iotoy_gpio_line_config){ .offset = 2, .direction = IOTOY_GPIO_INPUT, .edge = IOTOY_GPIO_EDGE_BOTH,
                                              .bias = IOTOY_GPIO_BIAS_PULL_DOWN, .consumer = "shim-test" };
    iotoy_gpio_request *in = iotoy_gpio_request_line(chip, &config);
    CHECK(in != NULL, "request GPIO27 as an input with both edges and pull-down");
    if (in) {
        CHECK(iotoy_gpio_request_get_value(in) == 0, "pull-down reads 0");
        uint64_t before = monotonic_ns();
        write_sim(2, "pull", "pull-up");
        struct iotoy_gpio_edge_event event = { 0 };
        int count = wait_edge(in, &event);
        uint64_t after = monotonic_ns();
        CHECK(count == 1 && event.rising && event.offset == 2, "pull-up: one rising edge on offset 2");
        CHECK(event.timestamp_ns >= before && event.timestamp_ns <= after,
              "the edge carries the kernel's CLOCK_MONOTONIC timestamp (%llu in [%llu, %llu])",
              (unsigned long long)event.timestamp_ns, (unsigned long long)before, (unsigned long long)after);
        CHECK(iotoy_gpio_request_get_value(in) == 1, "and reads 1");
        write_sim(2, "pull", "pull-down");
        count = wait_edge(in, &event);
        CHECK(count == 1 && !event.rising, "pull-down: a falling edge");
        iotoy_gpio_request_release(in);
    }

    /* Active-low input: a pulled-up line reads 0 and its falling edge is logically rising. */
    write_sim(3, "pull", "pull-up");
    config = (struct iotoy_gpio_line_config){ .offset = 3, .direction = IOTOY_GPIO_INPUT, .edge = IOTOY_GPIO_EDGE_BOTH,
                                              .active_low = 1, .consumer = "shim-test" };
    in = iotoy_gpio_request_line(chip, &config);
    CHECK(in && iotoy_gpio_request_get_value(in) == 0, "active-low input pulled up reads 0");
    if (in) {
        write_sim(3, "pull", "pull-down");
        struct iotoy_gpio_edge_event event = { 0 };
        CHECK(wait_edge(in, &event) == 1 && event.rising, "a physical falling edge is a logical rising one");
        iotoy_gpio_request_release(in);
    }

    /* Debounce: the kernel's with v2, refused by the v1 shim (the caller debounces). */
    config = (struct iotoy_gpio_line_config){ .offset = 4, .direction = IOTOY_GPIO_INPUT, .edge = IOTOY_GPIO_EDGE_BOTH,
                                              .debounce_us = 5000, .consumer = "shim-test" };
    errno = 0;
    in = iotoy_gpio_request_line(chip, &config);
    if (expected == 2) {
        struct iotoy_gpio_line_info info;
        CHECK(in && iotoy_gpio_chip_line_info(chip, 4, &info) == 0 && info.debounce_us == 5000 && info.edge == IOTOY_GPIO_EDGE_BOTH,
              "v2: the kernel debounces (5000 us, both edges in line info)");
    } else {
        CHECK(in == NULL && errno == EOPNOTSUPP, "v1: a kernel debounce is refused with EOPNOTSUPP");
    }
    iotoy_gpio_request_release(in);
    iotoy_gpio_chip_close(chip);
done:
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

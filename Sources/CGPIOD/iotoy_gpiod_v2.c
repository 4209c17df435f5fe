/*
 * The shim over libgpiod v2 (2.x). Requests are independent of the chip handle; chips are
 * described once at open (name, label, line count); edges are debounced by the kernel.
 */
#include "gpiod_api.h"
#ifdef IOTOY_GPIOD_V2

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "iotoy_gpiod.h"

struct iotoy_gpio_chip {
    struct gpiod_chip *chip;
    char name[64];
    char label[64];
    unsigned int num_lines;
};

struct iotoy_gpio_request {
    struct gpiod_line_request *request;
    struct gpiod_edge_event_buffer *events; /* NULL without edge detection */
    unsigned int offset;
};

int iotoy_gpiod_api_major(void) { return 2; }
const char *iotoy_gpiod_version(void) { return gpiod_api_version(); }
int iotoy_gpiod_kernel_debounce(void) { return 1; }

iotoy_gpio_chip *iotoy_gpio_chip_open(const char *path)
{
    iotoy_gpio_chip *chip = calloc(1, sizeof(*chip));
    if (!chip)
        return NULL;
    chip->chip = gpiod_chip_open(path);
    if (!chip->chip)
        goto fail;
    struct gpiod_chip_info *info = gpiod_chip_get_info(chip->chip);
    if (!info)
        goto fail;
    iotoy_copy_text(chip->name, sizeof(chip->name), gpiod_chip_info_get_name(info));
    iotoy_copy_text(chip->label, sizeof(chip->label), gpiod_chip_info_get_label(info));
    chip->num_lines = (unsigned int)gpiod_chip_info_get_num_lines(info);
    gpiod_chip_info_free(info);
    return chip;
fail:;
    int saved = errno;
    if (chip->chip)
        gpiod_chip_close(chip->chip);
    free(chip);
    errno = saved;
    return NULL;
}

void iotoy_gpio_chip_close(iotoy_gpio_chip *chip)
{
    if (!chip)
        return;
    gpiod_chip_close(chip->chip);
    free(chip);
}

const char *iotoy_gpio_chip_name(iotoy_gpio_chip *chip) { return chip->name; }
const char *iotoy_gpio_chip_label(iotoy_gpio_chip *chip) { return chip->label; }
const char *iotoy_gpio_chip_path(iotoy_gpio_chip *chip) { return gpiod_chip_get_path(chip->chip); }
unsigned int iotoy_gpio_chip_num_lines(iotoy_gpio_chip *chip) { return chip->num_lines; }

int iotoy_gpio_chip_find_line(iotoy_gpio_chip *chip, const char *name)
{
    return gpiod_chip_get_line_offset_from_name(chip->chip, name);
}

int iotoy_gpio_chip_line_info(iotoy_gpio_chip *chip, unsigned int offset, struct iotoy_gpio_line_info *info)
{
    struct gpiod_line_info *line = gpiod_chip_get_line_info(chip->chip, offset);
    if (!line)
        return -1;
    memset(info, 0, sizeof(*info));
    info->offset = offset;
    iotoy_copy_text(info->name, sizeof(info->name), gpiod_line_info_get_name(line));
    iotoy_copy_text(info->consumer, sizeof(info->consumer), gpiod_line_info_get_consumer(line));
    info->used = gpiod_line_info_is_used(line);
    info->direction = gpiod_line_info_get_direction(line) == GPIOD_LINE_DIRECTION_OUTPUT ? IOTOY_GPIO_OUTPUT : IOTOY_GPIO_INPUT;
    info->active_low = gpiod_line_info_is_active_low(line);
    switch (gpiod_line_info_get_bias(line)) {
    case GPIOD_LINE_BIAS_DISABLED: info->bias = IOTOY_GPIO_BIAS_DISABLED; break;
    case GPIOD_LINE_BIAS_PULL_UP: info->bias = IOTOY_GPIO_BIAS_PULL_UP; break;
    case GPIOD_LINE_BIAS_PULL_DOWN: info->bias = IOTOY_GPIO_BIAS_PULL_DOWN; break;
    case GPIOD_LINE_BIAS_AS_IS: info->bias = IOTOY_GPIO_BIAS_AS_IS; break;
    default: info->bias = IOTOY_GPIO_BIAS_UNKNOWN; break;
    }
    switch (gpiod_line_info_get_drive(line)) {
    case GPIOD_LINE_DRIVE_OPEN_DRAIN: info->drive = IOTOY_GPIO_DRIVE_OPEN_DRAIN; break;
    case GPIOD_LINE_DRIVE_OPEN_SOURCE: info->drive = IOTOY_GPIO_DRIVE_OPEN_SOURCE; break;
    default: info->drive = IOTOY_GPIO_DRIVE_PUSH_PULL; break;
    }
    switch (gpiod_line_info_get_edge_detection(line)) {
    case GPIOD_LINE_EDGE_RISING: info->edge = IOTOY_GPIO_EDGE_RISING; break;
    case GPIOD_LINE_EDGE_FALLING: info->edge = IOTOY_GPIO_EDGE_FALLING; break;
    case GPIOD_LINE_EDGE_BOTH: info->edge = IOTOY_GPIO_EDGE_BOTH; break;
    default: info->edge = IOTOY_GPIO_EDGE_NONE; break;
    }
    info->debounce_us = gpiod_line_info_get_debounce_period_us(line);
    gpiod_line_info_free(line);
    return 0;
}

/* Builds the settings; returns NULL with errno on failure. */
static struct gpiod_line_settings *make_settings(const struct iotoy_gpio_line_config *config)
{
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    if (!settings)
        return NULL;
    int failed = 0;
    if (config->direction == IOTOY_GPIO_OUTPUT) {
        failed |= gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_OUTPUT);
        failed |= gpiod_line_settings_set_output_value(
            settings, config->output_value ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE);
        enum gpiod_line_drive drive = config->drive == IOTOY_GPIO_DRIVE_OPEN_DRAIN ? GPIOD_LINE_DRIVE_OPEN_DRAIN
                                    : config->drive == IOTOY_GPIO_DRIVE_OPEN_SOURCE ? GPIOD_LINE_DRIVE_OPEN_SOURCE
                                    : GPIOD_LINE_DRIVE_PUSH_PULL;
        failed |= gpiod_line_settings_set_drive(settings, drive);
    } else {
        failed |= gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_INPUT);
        enum gpiod_line_edge edge = config->edge == IOTOY_GPIO_EDGE_RISING ? GPIOD_LINE_EDGE_RISING
                                  : config->edge == IOTOY_GPIO_EDGE_FALLING ? GPIOD_LINE_EDGE_FALLING
                                  : config->edge == IOTOY_GPIO_EDGE_BOTH ? GPIOD_LINE_EDGE_BOTH
                                  : GPIOD_LINE_EDGE_NONE;
        failed |= gpiod_line_settings_set_edge_detection(settings, edge);
        if (edge != GPIOD_LINE_EDGE_NONE)
            failed |= gpiod_line_settings_set_event_clock(settings, GPIOD_LINE_CLOCK_MONOTONIC);
        gpiod_line_settings_set_debounce_period_us(settings, (unsigned long)config->debounce_us);
    }
    enum gpiod_line_bias bias = config->bias == IOTOY_GPIO_BIAS_DISABLED ? GPIOD_LINE_BIAS_DISABLED
                              : config->bias == IOTOY_GPIO_BIAS_PULL_UP ? GPIOD_LINE_BIAS_PULL_UP
                              : config->bias == IOTOY_GPIO_BIAS_PULL_DOWN ? GPIOD_LINE_BIAS_PULL_DOWN
                              : GPIOD_LINE_BIAS_AS_IS;
    failed |= gpiod_line_settings_set_bias(settings, bias);
    gpiod_line_settings_set_active_low(settings, config->active_low != 0);
    if (failed) {
        gpiod_line_settings_free(settings);
        errno = EINVAL;
        return NULL;
    }
    return settings;
}

iotoy_gpio_request *iotoy_gpio_request_line(iotoy_gpio_chip *chip, const struct iotoy_gpio_line_config *config)
{
    struct gpiod_line_settings *settings = NULL;
    struct gpiod_line_config *lines = NULL;
    struct gpiod_request_config *request_config = NULL;
    iotoy_gpio_request *result = calloc(1, sizeof(*result));
    if (!result)
        return NULL;
    result->offset = config->offset;
    if (!(settings = make_settings(config)) || !(lines = gpiod_line_config_new())
        || !(request_config = gpiod_request_config_new()))
        goto fail;
    unsigned int offset = config->offset;
    if (gpiod_line_config_add_line_settings(lines, &offset, 1, settings) < 0)
        goto fail;
    gpiod_request_config_set_consumer(request_config, config->consumer);
    if (config->direction != IOTOY_GPIO_OUTPUT && config->edge != IOTOY_GPIO_EDGE_NONE
        && !(result->events = gpiod_edge_event_buffer_new(16)))
        goto fail;
    result->request = gpiod_chip_request_lines(chip->chip, request_config, lines);
    if (!result->request)
        goto fail;
    gpiod_request_config_free(request_config);
    gpiod_line_config_free(lines);
    gpiod_line_settings_free(settings);
    return result;
fail:;
    int saved = errno;
    if (result->events)
        gpiod_edge_event_buffer_free(result->events);
    free(result);
    gpiod_request_config_free(request_config);
    gpiod_line_config_free(lines);
    gpiod_line_settings_free(settings);
    errno = saved;
    return NULL;
}

int iotoy_gpio_request_get_value(iotoy_gpio_request *request)
{
    enum gpiod_line_value value = gpiod_line_request_get_value(request->request, request->offset);
    if (value == GPIOD_LINE_VALUE_ERROR)
        return -1;
    return value == GPIOD_LINE_VALUE_ACTIVE;
}

int iotoy_gpio_request_set_value(iotoy_gpio_request *request, int value)
{
    return gpiod_line_request_set_value(request->request, request->offset,
                                        value ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE);
}

int iotoy_gpio_request_fd(iotoy_gpio_request *request) { return gpiod_line_request_get_fd(request->request); }

int iotoy_gpio_request_read_edge_events(iotoy_gpio_request *request, struct iotoy_gpio_edge_event *events, int max)
{
    if (!request->events) {
        errno = EINVAL; /* the line was requested without edge detection */
        return -1;
    }
    size_t wanted = max < 16 ? (size_t)max : 16;
    if (wanted == 0)
        return 0;
    int count = gpiod_line_request_read_edge_events(request->request, request->events, wanted);
    for (int i = 0; i < count; i++) {
        struct gpiod_edge_event *event = gpiod_edge_event_buffer_get_event(request->events, (unsigned long)i);
        events[i].timestamp_ns = gpiod_edge_event_get_timestamp_ns(event);
        events[i].offset = gpiod_edge_event_get_line_offset(event);
        events[i].rising = gpiod_edge_event_get_event_type(event) == GPIOD_EDGE_EVENT_RISING_EDGE;
    }
    return count;
}

void iotoy_gpio_request_release(iotoy_gpio_request *request)
{
    if (!request)
        return;
    gpiod_line_request_release(request->request);
    if (request->events)
        gpiod_edge_event_buffer_free(request->events);
    free(request);
}

#endif /* IOTOY_GPIOD_V2 */

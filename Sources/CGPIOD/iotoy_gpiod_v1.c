/*
 * The shim over libgpiod v1 (1.6). Each request opens its own chip handle, because v1 line
 * objects belong to a chip and closing it would release them. v1's uAPI has no debounce: the
 * caller debounces in software (iotoy_gpiod_kernel_debounce() is 0).
 */
#include "gpiod_api.h"
#ifdef IOTOY_GPIOD_V1

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "iotoy_gpiod.h"

struct iotoy_gpio_chip {
    struct gpiod_chip *chip;
    char path[256];
};

struct iotoy_gpio_request {
    struct gpiod_chip *chip; /* the request's own handle */
    struct gpiod_line *line;
    unsigned int offset;
};

int iotoy_gpiod_api_major(void) { return 1; }
const char *iotoy_gpiod_version(void) { return gpiod_version_string(); }
int iotoy_gpiod_kernel_debounce(void) { return 0; }

iotoy_gpio_chip *iotoy_gpio_chip_open(const char *path)
{
    if (strlen(path) >= sizeof(((iotoy_gpio_chip *)0)->path)) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    iotoy_gpio_chip *chip = calloc(1, sizeof(*chip));
    if (!chip)
        return NULL;
    chip->chip = gpiod_chip_open(path);
    if (!chip->chip) {
        int saved = errno;
        free(chip);
        errno = saved;
        return NULL;
    }
    strcpy(chip->path, path);
    return chip;
}

void iotoy_gpio_chip_close(iotoy_gpio_chip *chip)
{
    if (!chip)
        return;
    gpiod_chip_close(chip->chip);
    free(chip);
}

const char *iotoy_gpio_chip_name(iotoy_gpio_chip *chip) { return gpiod_chip_name(chip->chip); }
const char *iotoy_gpio_chip_label(iotoy_gpio_chip *chip) { return gpiod_chip_label(chip->chip); }
const char *iotoy_gpio_chip_path(iotoy_gpio_chip *chip) { return chip->path; }
unsigned int iotoy_gpio_chip_num_lines(iotoy_gpio_chip *chip) { return gpiod_chip_num_lines(chip->chip); }

int iotoy_gpio_chip_find_line(iotoy_gpio_chip *chip, const char *name)
{
    unsigned int count = gpiod_chip_num_lines(chip->chip);
    for (unsigned int offset = 0; offset < count; offset++) {
        struct gpiod_line *line = gpiod_chip_get_line(chip->chip, offset);
        if (!line)
            return -1;
        const char *found = gpiod_line_name(line);
        if (found && strcmp(found, name) == 0)
            return (int)offset;
    }
    errno = ENOENT;
    return -1;
}

int iotoy_gpio_chip_line_info(iotoy_gpio_chip *chip, unsigned int offset, struct iotoy_gpio_line_info *info)
{
    struct gpiod_line *line = gpiod_chip_get_line(chip->chip, offset);
    if (!line || gpiod_line_update(line) < 0)
        return -1;
    memset(info, 0, sizeof(*info));
    info->offset = offset;
    iotoy_copy_text(info->name, sizeof(info->name), gpiod_line_name(line));
    iotoy_copy_text(info->consumer, sizeof(info->consumer), gpiod_line_consumer(line));
    info->used = gpiod_line_is_used(line);
    info->direction = gpiod_line_direction(line) == GPIOD_LINE_DIRECTION_OUTPUT ? IOTOY_GPIO_OUTPUT : IOTOY_GPIO_INPUT;
    info->active_low = gpiod_line_active_state(line) == GPIOD_LINE_ACTIVE_STATE_LOW;
    switch (gpiod_line_bias(line)) {
    case GPIOD_LINE_BIAS_DISABLE: info->bias = IOTOY_GPIO_BIAS_DISABLED; break;
    case GPIOD_LINE_BIAS_PULL_UP: info->bias = IOTOY_GPIO_BIAS_PULL_UP; break;
    case GPIOD_LINE_BIAS_PULL_DOWN: info->bias = IOTOY_GPIO_BIAS_PULL_DOWN; break;
    default: info->bias = IOTOY_GPIO_BIAS_UNKNOWN; break;
    }
    info->drive = gpiod_line_is_open_drain(line) ? IOTOY_GPIO_DRIVE_OPEN_DRAIN
                : gpiod_line_is_open_source(line) ? IOTOY_GPIO_DRIVE_OPEN_SOURCE
                : IOTOY_GPIO_DRIVE_PUSH_PULL;
    info->edge = IOTOY_GPIO_EDGE_NONE;
    return 0;
}

iotoy_gpio_request *iotoy_gpio_request_line(iotoy_gpio_chip *chip, const struct iotoy_gpio_line_config *config)
{
    if (config->debounce_us != 0) {
        errno = EOPNOTSUPP;
        return NULL;
    }
    struct gpiod_line_request_config request = { .consumer = config->consumer, .flags = 0 };
    if (config->direction == IOTOY_GPIO_OUTPUT) {
        request.request_type = GPIOD_LINE_REQUEST_DIRECTION_OUTPUT;
        if (config->drive == IOTOY_GPIO_DRIVE_OPEN_DRAIN)
            request.flags |= GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN;
        else if (config->drive == IOTOY_GPIO_DRIVE_OPEN_SOURCE)
            request.flags |= GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE;
    } else {
        switch (config->edge) {
        case IOTOY_GPIO_EDGE_RISING: request.request_type = GPIOD_LINE_REQUEST_EVENT_RISING_EDGE; break;
        case IOTOY_GPIO_EDGE_FALLING: request.request_type = GPIOD_LINE_REQUEST_EVENT_FALLING_EDGE; break;
        case IOTOY_GPIO_EDGE_BOTH: request.request_type = GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES; break;
        default: request.request_type = GPIOD_LINE_REQUEST_DIRECTION_INPUT; break;
        }
    }
    if (config->active_low)
        request.flags |= GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW;
    switch (config->bias) {
    case IOTOY_GPIO_BIAS_DISABLED: request.flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE; break;
    case IOTOY_GPIO_BIAS_PULL_UP: request.flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP; break;
    case IOTOY_GPIO_BIAS_PULL_DOWN: request.flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN; break;
    default: break;
    }

    iotoy_gpio_request *result = calloc(1, sizeof(*result));
    if (!result)
        return NULL;
    result->chip = gpiod_chip_open(chip->path);
    if (!result->chip)
        goto fail;
    result->offset = config->offset;
    result->line = gpiod_chip_get_line(result->chip, config->offset);
    if (!result->line)
        goto fail;
    if (gpiod_line_request(result->line, &request, config->output_value ? 1 : 0) < 0)
        goto fail;
    return result;
fail:;
    int saved = errno;
    if (result->chip)
        gpiod_chip_close(result->chip);
    free(result);
    errno = saved;
    return NULL;
}

int iotoy_gpio_request_get_value(iotoy_gpio_request *request) { return gpiod_line_get_value(request->line); }

int iotoy_gpio_request_set_value(iotoy_gpio_request *request, int value)
{
    return gpiod_line_set_value(request->line, value ? 1 : 0);
}

int iotoy_gpio_request_fd(iotoy_gpio_request *request) { return gpiod_line_event_get_fd(request->line); }

int iotoy_gpio_request_read_edge_events(iotoy_gpio_request *request, struct iotoy_gpio_edge_event *events, int max)
{
    struct gpiod_line_event buffer[16];
    unsigned int wanted = max < 16 ? (unsigned int)max : 16;
    if (wanted == 0)
        return 0;
    int count = gpiod_line_event_read_multiple(request->line, buffer, wanted);
    for (int i = 0; i < count; i++) {
        events[i].timestamp_ns = (uint64_t)buffer[i].ts.tv_sec * 1000000000ull + (uint64_t)buffer[i].ts.tv_nsec;
        events[i].offset = request->offset;
        events[i].rising = buffer[i].event_type == GPIOD_LINE_EVENT_RISING_EDGE;
    }
    return count;
}

void iotoy_gpio_request_release(iotoy_gpio_request *request)
{
    if (!request)
        return;
    gpiod_line_release(request->line);
    gpiod_chip_close(request->chip);
    free(request);
}

#endif /* IOTOY_GPIOD_V1 */

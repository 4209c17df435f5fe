/*
 * Which libgpiod API the installed <gpiod.h> declares. The two are not source compatible and
 * v2's header defines no version macro, but v1's (0.x and 1.x) always defines
 * GPIOD_LINE_BULK_MAX_LINES, which v2 dropped with the line-bulk API.
 */
#ifndef IOTOY_GPIOD_API_H
#define IOTOY_GPIOD_API_H

#include <gpiod.h>

#ifdef GPIOD_LINE_BULK_MAX_LINES
#define IOTOY_GPIOD_V1 1
#else
#define IOTOY_GPIOD_V2 1
#endif

/* Copies `text` (NULL allowed) into `buffer` of `size` bytes, always terminated. */
static inline void iotoy_copy_text(char *buffer, unsigned long size, const char *text)
{
    unsigned long i = 0;
    if (text)
        for (; text[i] && i + 1 < size; i++)
            buffer[i] = text[i];
    buffer[i] = '\0';
}

#endif

// libavahi-client as one Swift module (Debian: libavahi-client-dev).
// Only the non-variadic calls are usable from Swift: the `_strlst` forms take TXT records as an
// AvahiStringList built with avahi_string_list_add_arbitrary.
#ifndef IOTOY_CAVAHI_SHIM_H
#define IOTOY_CAVAHI_SHIM_H

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-client/publish.h>
#include <avahi-common/address.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
#include <avahi-common/thread-watch.h>

#endif

// SwiftPM links an executable target's `main` to `<Target>_main` (`--defsym`), so libFuzzer's own
// `main` is never used: each fuzz target defines `<Target>_main` and calls LLVMFuzzerRunDriver,
// declared in the header. This file only gives the C target a source to build.
#include "CFuzzerDriver.h"

# The flags of the build that ships (sourced by scripts/deb.sh, scripts/bench/run.sh,
# scripts/soak/soak.sh and scripts/link-order/profile.sh, so the package, the benchmark and the
# soak measure the same binary):
# - --static-swift-stdlib: the Swift runtime and Foundation linked in; a Pi needs no toolchain.
# - lld with packed relative relocations (DT_RELR, glibc 2.36+: Debian and Raspberry Pi OS
#   12 "bookworm" and later): a static Swift binary carries about 136,000 relative relocations,
#   3.3 MB as RELA entries that the loader reads at every start; packed they take 27 kB, and
#   the idle daemon's resident memory is about 5 MB smaller (README, "Figures"). gold, the
#   toolchain's default linker here, cannot pack them. dpkg-shlibdeps turns the binary's need
#   of GLIBC_ABI_DT_RELR into the package's libc6 (>= 2.36).
# - The functions start-up and serving run, gathered in one block: each Swift function in its
#   own section (-function-sections), placed by scripts/link-order/iotoyd.order (the functions
#   the demo ran under callgrind; scripts/link-order/profile.sh makes it), and the compiler's
#   unnamed helpers beside them (private-text.ld). The kernel maps up to 64 kB around every
#   page of the binary touched, so 8,400 functions spread over 29 MB of code kept 18 MB of it
#   resident; gathered, 6 MB. A symbol the file names that no longer exists is skipped.
# - --no-export-dynamic: the toolchain's static-stdlib arguments export every symbol of our
#   modules (44,000) to the dynamic symbol table, which the loader hashes through for every
#   symbol it binds: 3.7 MB of tables kept resident. A release build's traps print no stack
#   trace with or without it; a trace with names needs the Swift backtracer and the unstripped
#   binary, which reads .symtab and DWARF, not the dynamic table (docs/install.md).
# Together the last two took the idle demo from 35.9 to 22.8 MiB (README, "Figures").
# SwiftPM relinks only when an object or a flag changes: after editing the order file, remove
# the binary (deb.sh does) so the new order is linked. It also recompiles nothing when only
# -Xswiftc flags change: a release .build made before -function-sections needs
# `rm -rf .build/*/release` once, or the order moves whole files' code, not functions.
link_order_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../link-order" && pwd)
release_flags=(-c release --static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs
               -Xswiftc -Xfrontend -Xswiftc -function-sections
               -Xlinker "--symbol-ordering-file=$link_order_dir/iotoyd.order" -Xlinker --no-warn-symbol-ordering
               -Xlinker -T -Xlinker "$link_order_dir/private-text.ld"
               -Xlinker --no-export-dynamic)

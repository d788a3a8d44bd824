use std::process::ExitCode;

fn main() -> ExitCode {
    bbps_server::cli::main()
}

//! Writing a command's output to standard output. A reader that stops early (`| head`) closes
//! the pipe: that ends the output quietly, as it does for other Unix tools, instead of panicking
//! the way `print!` does.

use std::io::{ErrorKind, Write};

/// Writes `text` to standard output in one call. A closed pipe is not an error; any other
/// failure is reported on standard error.
pub(crate) fn write(text: &str) {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(err) if err.kind() == ErrorKind::BrokenPipe => {}
        Err(err) => eprintln!("error: standard output: {err}"),
    }
}

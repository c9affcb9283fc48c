//! Writing a command's output to standard output. A reader that stops early (`| head`) closes
//! the pipe: that ends the output quietly, as it does for other Unix tools, instead of panicking
//! the way `print!` does.

use std::io::{BufWriter, ErrorKind, StdoutLock, Write};

/// Standard output behind a buffer, as [`stream`] lends it.
pub(crate) type Buffered = BufWriter<StdoutLock<'static>>;

/// Writes `text` to standard output in one call. A closed pipe is not an error; any other
/// failure is reported on standard error.
pub(crate) fn write(text: &str) {
    let mut out = std::io::stdout().lock();
    finish(out.write_all(text.as_bytes()).and_then(|()| out.flush()));
}

/// Lets `write` write to standard output through a buffer, so that a large output is never
/// held in memory whole; failures are treated as in [`write`].
pub(crate) fn stream(write: impl FnOnce(&mut Buffered) -> std::io::Result<()>) {
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    finish(write(&mut out).and_then(|()| out.flush()));
}

/// A closed pipe ends the output quietly; any other failure is reported on standard error.
fn finish(result: std::io::Result<()>) {
    match result {
        Ok(()) => {}
        Err(err) if err.kind() == ErrorKind::BrokenPipe => {}
        Err(err) => eprintln!("error: standard output: {err}"),
    }
}

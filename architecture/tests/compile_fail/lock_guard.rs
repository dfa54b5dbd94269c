//! A lock guard is the fs adapter's own: nothing outside it can name (or forge) one.
fn main() {
    let _ = std::mem::size_of::<skitty_fs::lock::FileLockGuard>();
}

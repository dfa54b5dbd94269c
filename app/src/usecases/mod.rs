//! One module per command.

pub mod analyze;
pub mod emit;
pub mod init;
pub mod plan;
pub mod specify;
pub mod tasks;
pub mod validate;

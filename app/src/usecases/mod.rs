//! One module per command.

pub mod emit;
pub mod validate;

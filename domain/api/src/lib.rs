//! The Mission Status API v1: spec-kitty's read-only contract (`contracts/mission-status/`,
//! version 1.0.0-SNAPSHOT), as Rust types and pure projections.
//!
//! * [`problem`]: the problem-details body of every refusal;
//! * [`cursor`]: the stream cursor (`offset:sha256` of the last consumed line) and the tail
//!   reader that yields each complete line of a log with the cursor just after it;
//! * [`page`]: the opaque page cursor of `GET /missions` (keyed, so a forged one is refused);
//! * [`handles`], [`redact`]: how stored text becomes contract text (handles or null; host
//!   paths and e-mail addresses replaced by `[path]` and `[email]`);
//! * [`mission`], [`work_package`], [`project`], [`stream`]: the payloads and the rules that
//!   derive them (lifecycle status, phases, readiness, next action, the event allow-list).
//!
//! Nothing here reads a file: the app gathers a [`mission::MissionSource`] and these functions
//! turn it into payloads, so every rule is a unit test away.
//!
//! ```
//! use skitty_api::cursor::StreamCursor;
//! let start = StreamCursor::start();
//! assert_eq!(start.offset, 0);
//! assert_eq!(StreamCursor::parse(&start.to_string()).unwrap(), start);
//! ```

pub mod artifacts;
pub mod cursor;
pub mod detail;
pub mod handles;
pub mod ids;
pub mod lane;
pub mod mission;
pub mod page;
pub mod problem;
pub mod project;
pub mod redact;
pub mod stream;
pub mod work_package;

pub use problem::Problem;

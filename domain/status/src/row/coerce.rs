//! Field readers shared by the row families.

use serde_json::Value;

use super::RowError;
use crate::lane::Lane;
use crate::pyjson::{self, python_str};
use crate::raw::RawRow;

pub(super) fn missing(key: &str) -> RowError {
    RowError::InvalidStructure(format!("'{key}'"))
}

/// An optional string field (moved out of the row); any other JSON type is refused.
pub(super) fn take_opt_string(map: &mut RawRow, key: &str) -> Result<Option<String>, RowError> {
    match map.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(RowError::InvalidStructure(format!(
            "{key} must be a string or null, got {}",
            pyjson::to_line(&other)
        ))),
    }
}

/// A required field that must be a JSON string (no coercion: a number where an id belongs is
/// a damaged row, not an id).
pub(super) fn take_string(map: &mut RawRow, key: &str) -> Result<String, RowError> {
    match map.remove(key) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(RowError::InvalidStructure(format!(
            "{key} must be a string, got {}",
            pyjson::to_line(&other)
        ))),
        None => Err(missing(key)),
    }
}

/// A WP id: `WP` and digits. Anything else (a path, `wp01`, `WP`) would become a key of
/// `status.json` and a file name elsewhere, so it is refused.
pub(super) fn wp_id(raw: String) -> Result<String, RowError> {
    match skitty_mission::WpId::parse(&raw) {
        Ok(_) => Ok(raw),
        Err(_) => Err(RowError::InvalidStructure(format!(
            "wp_id must be WP followed by digits (WP01), got {}",
            pyjson::to_line(&Value::String(raw))
        ))),
    }
}

pub(super) fn disk_lane(map: &RawRow, key: &str) -> Result<Lane, RowError> {
    let value = map.get(key).ok_or_else(|| missing(key))?;
    value
        .as_str()
        .and_then(Lane::from_canonical)
        .ok_or_else(|| {
            RowError::InvalidStructure(format!("{} is not a valid Lane", pyjson::to_line(value)))
        })
}

/// At most 80 characters of a value, for a message.
pub(super) fn truncated(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_owned(),
    }
}

pub(super) fn python_repr_str(v: &Value) -> String {
    match v {
        Value::String(s) => format!("'{s}'"),
        other => python_str(other),
    }
}

/// Python's `int(x)` for a JSON value.
pub(super) fn python_int(value: &Value) -> Result<i64, RowError> {
    let bad =
        || RowError::InvalidStructure(format!("invalid literal for int(): {}", python_str(value)));
    match value {
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f.trunc() as i64))
            .ok_or_else(bad),
        Value::String(s) => s.trim().replace('_', "").parse::<i64>().map_err(|_| bad()),
        _ => Err(bad()),
    }
}

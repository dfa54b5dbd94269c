//! A log row as parsed JSON, keyed fast: the keys spec-kitty's rows use get fixed slots (no
//! map, no key allocation); any other key lands in `extra` and survives a rewrite.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

/// The keys with a slot, in slot order.
const KNOWN: [&str; 24] = [
    "kind",
    "event_type",
    "event_name",
    "type",
    "event_id",
    "wp_id",
    "from_lane",
    "to_lane",
    "at",
    "actor",
    "force",
    "execution_mode",
    "mission_slug",
    "feature_slug",
    "mission_id",
    "reason",
    "reason_source",
    "review_ref",
    "evidence",
    "review_result",
    "policy_metadata",
    "delta",
    "timestamp",
    "payload",
];

fn slot(key: &str) -> Option<usize> {
    KNOWN.iter().position(|k| *k == key)
}

/// One parsed row. Duplicate keys keep the last value, as Python's `json.loads` does.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawRow {
    known: [Option<Value>; KNOWN.len()],
    extra: Map<String, Value>,
}

impl RawRow {
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        match slot(key) {
            Some(i) => self.known[i].as_ref(),
            None => self.extra.get(key),
        }
    }

    pub(crate) fn remove(&mut self, key: &str) -> Option<Value> {
        match slot(key) {
            Some(i) => self.known[i].take(),
            None => self.extra.remove(key),
        }
    }

    /// Every remaining key, as a JSON object.
    pub(crate) fn into_map(self) -> Map<String, Value> {
        let mut map = self.extra;
        for (key, value) in KNOWN.iter().zip(self.known) {
            if let Some(v) = value {
                map.insert((*key).to_owned(), v);
            }
        }
        map
    }
}

impl<'de> Deserialize<'de> for RawRow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RowVisitor;

        impl<'de> Visitor<'de> for RowVisitor {
            type Value = RawRow;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<RawRow, A::Error> {
                let mut row = RawRow::default();
                while let Some(key) = access.next_key::<Cow<'de, str>>()? {
                    let value: Value = access.next_value()?;
                    match slot(&key) {
                        Some(i) => row.known[i] = Some(value),
                        None => {
                            row.extra.insert(key.into_owned(), value);
                        }
                    }
                }
                Ok(row)
            }
        }

        deserializer.deserialize_map(RowVisitor)
    }
}

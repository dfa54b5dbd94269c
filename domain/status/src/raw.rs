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

/// The slot of a key (a `match` the compiler turns into length and byte compares).
fn slot(key: &str) -> Option<usize> {
    Some(match key {
        "kind" => 0,
        "event_type" => 1,
        "event_name" => 2,
        "type" => 3,
        "event_id" => 4,
        "wp_id" => 5,
        "from_lane" => 6,
        "to_lane" => 7,
        "at" => 8,
        "actor" => 9,
        "force" => 10,
        "execution_mode" => 11,
        "mission_slug" => 12,
        "feature_slug" => 13,
        "mission_id" => 14,
        "reason" => 15,
        "reason_source" => 16,
        "review_ref" => 17,
        "evidence" => 18,
        "review_result" => 19,
        "policy_metadata" => 20,
        "delta" => 21,
        "timestamp" => 22,
        "payload" => 23,
        _ => return None,
    })
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

/// A row parsed straight into its box (a `RawRow` is large; it is built in place, never moved).
#[derive(Debug)]
pub(crate) struct BoxedRow(pub(crate) Box<RawRow>);

impl<'de> Deserialize<'de> for BoxedRow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RowVisitor;

        impl<'de> Visitor<'de> for RowVisitor {
            type Value = BoxedRow;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<BoxedRow, A::Error> {
                let mut row = Box::<RawRow>::default();
                while let Some(key) = access.next_key::<Cow<'de, str>>()? {
                    let value: Value = access.next_value()?;
                    match slot(&key) {
                        Some(i) => row.known[i] = Some(value),
                        None => {
                            row.extra.insert(key.into_owned(), value);
                        }
                    }
                }
                Ok(BoxedRow(row))
            }
        }

        deserializer.deserialize_map(RowVisitor)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_known_key_has_its_own_slot() {
        for (i, key) in super::KNOWN.iter().enumerate() {
            assert_eq!(super::slot(key), Some(i), "{key}");
        }
        assert_eq!(super::slot("kinds"), None);
    }
}

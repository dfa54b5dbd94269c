//! The opaque page cursor of `GET /missions`: the sort key of the last item served (so a
//! mission added or removed between two pages neither repeats nor skips another), keyed with a
//! secret of the serving process so that a forged or edited cursor, or one from another run,
//! is refused (`invalid_page_cursor`).
//!
//! ```
//! use skitty_api::page::PageKey;
//! let key = PageKey::new([7; 32]);
//! let cursor = key.seal("2026-09-20T08:15:00Z|01JZAB3C4D5E6F7G8H9JKMNPQR");
//! assert_eq!(key.open(&cursor).as_deref(), Some("2026-09-20T08:15:00Z|01JZAB3C4D5E6F7G8H9JKMNPQR"));
//! assert_eq!(PageKey::new([8; 32]).open(&cursor), None);
//! assert_eq!(key.open("not-a-cursor"), None);
//! ```

use sha2::{Digest, Sha256};

use crate::cursor::hex;

/// The secret that signs page cursors (random per serving process).
#[derive(Clone)]
pub struct PageKey([u8; 32]);

impl std::fmt::Debug for PageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PageKey(..)")
    }
}

impl PageKey {
    pub fn new(secret: [u8; 32]) -> Self {
        Self(secret)
    }

    fn tag(&self, after: &[u8]) -> String {
        let mut mac = Sha256::new();
        mac.update(self.0);
        mac.update(after);
        mac.update(self.0);
        hex(&mac.finalize()[..12])
    }

    /// The cursor of the page that follows the item whose sort key is `after`.
    pub fn seal(&self, after: &str) -> String {
        format!("{}.{}", hex(after.as_bytes()), self.tag(after.as_bytes()))
    }

    /// The sort key a cursor names, if this key made it.
    pub fn open(&self, cursor: &str) -> Option<String> {
        let (body, tag) = cursor.split_once('.')?;
        if body.len() % 2 != 0 || body.len() > 512 {
            return None;
        }
        let bytes = (0..body.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(body.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        if self.tag(&bytes) != tag {
            return None;
        }
        String::from_utf8(bytes).ok()
    }
}

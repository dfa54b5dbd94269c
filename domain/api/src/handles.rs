//! Stored values that become machine handles: a handle fits `^[A-Za-z0-9._:-]{1,128}$` and is
//! not one of spec-kitty's "absent" markers; anything else is projected to null, never forwarded.

use serde::Serialize;
use skitty_status::actor::Actor as StoredActor;

/// The markers spec-kitty writes for a binding that resolved no value.
const SENTINELS: [&str; 4] = [
    "__resolved_model_absent__",
    "__resolved_profile_absent__",
    "__resolved_profile_version_absent__",
    "__resolved_provider_absent__",
];

/// A value as an `ActorHandle`, or `None`.
///
/// ```
/// use skitty_api::handles::handle;
/// assert_eq!(handle("claude"), Some("claude".to_owned()));
/// assert_eq!(handle("dev@example.com"), None);
/// assert_eq!(handle("__resolved_model_absent__"), None);
/// ```
pub fn handle(value: &str) -> Option<String> {
    let fits = !value.is_empty()
        && value.len() <= 128
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
    (fits && !SENTINELS.contains(&value)).then(|| value.to_owned())
}

/// A JSON slot of the snapshot as a handle (only a string can be one).
pub fn handle_of(value: Option<&serde_json::Value>) -> Option<String> {
    value.and_then(serde_json::Value::as_str).and_then(handle)
}

/// Who made a status change, as three handles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Actor {
    #[schema(required)]
    pub tool: Option<String>,
    #[schema(required)]
    pub role: Option<String>,
    #[schema(required)]
    pub profile: Option<String>,
}

impl Actor {
    /// A structured actor field by field; a plain string as `tool` (a colon-joined string is
    /// not split); a string that is no handle (an e-mail address, free text) gives nulls.
    pub fn of(stored: &StoredActor) -> Self {
        match stored {
            StoredActor::Name(name) => Self {
                tool: handle(name),
                role: None,
                profile: None,
            },
            StoredActor::Binding(binding) => Self {
                tool: binding.tool.as_deref().and_then(handle),
                role: binding.role.as_deref().and_then(handle),
                profile: binding.profile.as_deref().and_then(handle),
            },
        }
    }
}

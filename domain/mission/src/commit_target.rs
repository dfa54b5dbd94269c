//! Branch names and the CommitTarget.

use std::fmt;

/// A local branch name (`feat/demo`, a coordination branch), validated against git's
/// ref-name rules that matter here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BranchName(String);

/// Text that git would not accept as a branch name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid branch name: {0:?}")]
pub struct InvalidBranch(pub String);

impl BranchName {
    pub fn parse(raw: &str) -> Result<BranchName, InvalidBranch> {
        let bad = raw.is_empty()
            || raw.starts_with(['-', '/'])
            || raw.ends_with(['/', '.'])
            || raw.ends_with(".lock")
            || raw.contains("..")
            || raw.contains("//")
            || raw.contains("@{")
            || raw
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "~^:?*[\\".contains(c));
        if bad {
            Err(InvalidBranch(raw.to_owned()))
        } else {
            Ok(BranchName(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BranchName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The one ref that planning artifacts and status commits of a kind land on: the target branch
/// when the mission is flattened, the coordination branch under a coordination topology.
///
/// ```
/// use skitty_mission::{BranchName, CommitTarget};
/// let target = CommitTarget::new(BranchName::parse("feat/demo").unwrap());
/// assert_eq!(target.branch().as_str(), "feat/demo");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommitTarget(BranchName);

impl CommitTarget {
    pub fn new(branch: BranchName) -> Self {
        Self(branch)
    }

    pub fn branch(&self) -> &BranchName {
        &self.0
    }
}

impl fmt::Display for CommitTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_names_follow_git_rules() {
        for ok in ["main", "feat/demo", "team/x-1.2_y"] {
            assert!(BranchName::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a b", "a..b", "-x", "x.lock", "a:b", "x/"] {
            assert!(BranchName::parse(bad).is_err(), "{bad}");
        }
    }
}

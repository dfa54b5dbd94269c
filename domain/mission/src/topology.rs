//! How a mission's state is laid out across branches and worktrees.

/// The layout of a mission (`meta.json` `topology`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topology {
    /// Flattened: status and planning artifacts live on the target branch.
    SingleBranch,
    /// Flattened, with execution lanes (`lanes.json`).
    Lanes,
    /// Status and coordination artifacts live on a coordination branch and its worktree.
    Coord,
    /// Coordination branch plus execution lanes.
    LanesWithCoord,
}

/// Where the topology came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopologySource {
    /// `meta.json` records it.
    Stored,
    /// `meta.json` does not (absent, or an unrecognised value such as `flat`): derived once from
    /// what exists, as spec-kitty 3.2.7 does. `reason` says from what.
    Derived {
        recorded: Option<String>,
        reason: String,
    },
}

impl Topology {
    /// The `meta.json` spelling; `None` for absent or unrecognised values (`flat`, ...), which
    /// spec-kitty treats as legacy and derives.
    pub fn from_meta(raw: &str) -> Option<Topology> {
        match raw {
            "single_branch" => Some(Topology::SingleBranch),
            "lanes" => Some(Topology::Lanes),
            "coord" => Some(Topology::Coord),
            "lanes_with_coord" => Some(Topology::LanesWithCoord),
            _ => None,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Topology::SingleBranch => "single_branch",
            Topology::Lanes => "lanes",
            Topology::Coord => "coord",
            Topology::LanesWithCoord => "lanes_with_coord",
        }
    }

    /// Whether status and coordination artifacts route through the coordination branch.
    pub const fn routes_through_coordination(self) -> bool {
        matches!(self, Topology::Coord | Topology::LanesWithCoord)
    }

    /// spec-kitty's `classify_topology` grid for legacy missions.
    pub fn derive(declares_coordination_branch: bool, has_lanes_json: bool) -> Topology {
        match (declares_coordination_branch, has_lanes_json) {
            (true, true) => Topology::LanesWithCoord,
            (true, false) => Topology::Coord,
            (false, true) => Topology::Lanes,
            (false, false) => Topology::SingleBranch,
        }
    }
}

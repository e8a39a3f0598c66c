//! What the linker knows of the taxonomy (shared/spec/taxonomy.md): type families, how
//! compatible two types are, actor codes as bits, and which actors fight on the same side.

use marsad_model::{ACTOR_CODES, EVENT_TYPES};
use std::sync::OnceLock;

/// A type's index in [`EVENT_TYPES`]; types the taxonomy does not list get ids from
/// [`OTHER_TYPES`] up, one per distinct name (see [`crate::Events`]).
pub type TypeId = u16;

/// First id given to a type name that [`EVENT_TYPES`] does not list.
pub const OTHER_TYPES: TypeId = 64;

/// The id of a listed type name.
pub fn type_id(name: &str) -> Option<TypeId> {
    EVENT_TYPES.iter().position(|t| *t == name).map(|i| i as TypeId)
}

/// The name of a listed type id.
pub fn type_name(id: TypeId) -> Option<&'static str> {
    EVENT_TYPES.get(id as usize).copied()
}

/// Violence against people or positions: one family, since outlets tell the same act as an
/// attack, a bombing, a killing… Finer compatibility is [`type_compat`].
pub const FAMILY_VIOLENCE: u16 = 1;
/// Raids, arrests and seizures: one operation is told as any of them.
pub const FAMILY_OPERATION: u16 = 2;

/// The blocking family of a type: events of different families are never one incident. An
/// attack on a prison and the escape it caused are two incidents (prison breaks are a family
/// of their own); so are an abduction and an arrest, a battle and the territory it changed.
pub fn family(t: TypeId) -> u16 {
    // Listed types from the table (compare calls this for every pair); the rest by the rule.
    tables().family.get(t as usize).copied().unwrap_or_else(|| family_by_name(t))
}

fn family_by_name(t: TypeId) -> u16 {
    match type_name(t) {
        Some(
            "armed_attack" | "ambush" | "armed_clash" | "bombing" | "shelling" | "airstrike"
            | "assassination" | "execution" | "killing",
        ) => FAMILY_VIOLENCE,
        Some("security_operation" | "arrest" | "weapons_seizure") => FAMILY_OPERATION,
        // Every other type, listed or not, is a family of its own.
        _ => 100 + t,
    }
}

/// Sub-groups inside the violence family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Ground,
    Explosive,
    Remote,
    Targeted,
    Operation,
    Other,
}

fn group(name: &str) -> Group {
    match name {
        "armed_attack" | "ambush" | "armed_clash" => Group::Ground,
        "bombing" => Group::Explosive,
        "shelling" | "airstrike" => Group::Remote,
        "assassination" | "execution" | "killing" => Group::Targeted,
        "security_operation" | "arrest" | "weapons_seizure" => Group::Operation,
        _ => Group::Other,
    }
}

/// How well two types can tell the same happening, 0 (never) to 1 (same type):
/// - the same type: 1;
/// - a generic word (`armed_attack`, `killing`, `security_operation`) against any type of its
///   family: 0.7 — "an attack" is what an outlet calls a bombing or an ambush it knows little of;
/// - the same group (ambush / clash, shelling / airstrike, assassination / execution, arrest /
///   weapons seizure): 0.8;
/// - a bombing against a ground attack or a targeted killing, an airstrike against an
///   assassination (drone strikes): 0.6;
/// - other pairs of the family: 0.4;
/// - different families: 0.
pub fn type_compat(a: TypeId, b: TypeId) -> f32 {
    if a == b {
        return 1.0;
    }
    let n = EVENT_TYPES.len();
    if (a as usize) < n && (b as usize) < n {
        return tables().compat[a as usize * n + b as usize];
    }
    // An unlisted type is a family of its own: compatible with nothing but itself.
    0.0
}

/// [`type_compat`] of two listed types, from their names (what the table is built from).
fn type_compat_by_name(a: TypeId, b: TypeId) -> f32 {
    if a == b {
        return 1.0;
    }
    if family_by_name(a) != family_by_name(b) {
        return 0.0;
    }
    let (Some(x), Some(y)) = (type_name(a), type_name(b)) else { return 0.0 };
    const GENERIC: &[&str] = &["armed_attack", "killing", "security_operation"];
    if GENERIC.contains(&x) || GENERIC.contains(&y) {
        return 0.7;
    }
    let (gx, gy) = (group(x), group(y));
    if gx == gy {
        return 0.8;
    }
    let pair = |p: Group, q: Group| (gx == p && gy == q) || (gx == q && gy == p);
    if pair(Group::Explosive, Group::Ground)
        || pair(Group::Explosive, Group::Targeted)
        || (matches!((x, y), ("airstrike", "assassination") | ("assassination", "airstrike")))
    {
        return 0.6;
    }
    0.4
}

/// Types whose two sides have no initiator: their actors are compared as one set.
pub fn symmetric(t: TypeId) -> bool {
    Some(t) == tables().armed_clash
}

/// What the comparison of two events asks of the taxonomy for every pair, computed once
/// from the names: families and compatibilities of the listed types, ally masks.
struct Tables {
    family: Vec<u16>,
    /// `EVENT_TYPES.len()` squared, row-major.
    compat: Vec<f32>,
    armed_clash: Option<TypeId>,
    allies: [u32; 3],
    civilians: u32,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let n = EVENT_TYPES.len() as TypeId;
        Tables {
            family: (0..n).map(family_by_name).collect(),
            compat: (0..n).flat_map(|a| (0..n).map(move |b| type_compat_by_name(a, b))).collect(),
            armed_clash: type_id("armed_clash"),
            allies: [mask(&["SDF", "COALITION"]), mask(&["SYRIAN_GOV", "RUSSIA", "IRAN_BACKED"]), mask(&["TURKEY", "SNA"])],
            civilians: actor_bit("CIVILIANS").unwrap_or(0),
        }
    })
}

/// Specificity order for naming an incident whose sources differ on the type: the first of
/// these wins a tie.
pub const TYPE_SPECIFICITY: &[&str] = &[
    "bombing",
    "airstrike",
    "ambush",
    "assassination",
    "execution",
    "shelling",
    "abduction",
    "prison_break",
    "security_operation",
    "arrest",
    "weapons_seizure",
    "territorial_change",
    "armed_clash",
    "armed_attack",
    "killing",
    "curfew",
    "displacement",
    "mobilization",
];

/// The bit of an actor code (`UNKNOWN` has none: it is a flag of its own), or `None` for a code
/// the taxonomy does not list.
pub fn actor_bit(code: &str) -> Option<u32> {
    if code == "UNKNOWN" {
        return None;
    }
    ACTOR_CODES.iter().position(|c| *c == code).filter(|i| *i < 32).map(|i| 1u32 << i)
}

/// The codes of a mask, in [`ACTOR_CODES`] order.
pub fn actor_names(mask: u32) -> Vec<&'static str> {
    ACTOR_CODES.iter().enumerate().filter(|(i, _)| *i < 32 && mask & (1 << i) != 0).map(|(_, c)| *c).collect()
}

fn mask(codes: &[&str]) -> u32 {
    codes.iter().filter_map(|c| actor_bit(c)).fold(0, |m, b| m | b)
}

/// Actors that fight on one side: two reports naming one of each may tell the same act (a
/// joint raid of the SDF and the coalition is credited to either).
pub fn allies() -> [u32; 3] {
    tables().allies
}

/// Whether some actor of `a` and some actor of `b` are allies.
pub fn allied(a: u32, b: u32) -> bool {
    tables().allies.iter().any(|side| a & side != 0 && b & side != 0)
}

/// The bit of `CIVILIANS`: a target outlets often describe differently (civilians, workers,
/// members of a force), so a difference there weighs less.
pub fn civilians_bit() -> u32 {
    tables().civilians
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str) -> TypeId {
        type_id(name).expect(name)
    }

    #[test]
    fn attack_and_prison_break_never_bombing_and_attack_well() {
        assert_eq!(type_compat(t("armed_attack"), t("prison_break")), 0.0);
        assert_ne!(family(t("armed_attack")), family(t("prison_break")));
        assert!(type_compat(t("armed_attack"), t("bombing")) >= 0.6);
        assert!(type_compat(t("bombing"), t("ambush")) >= 0.6);
        assert_eq!(type_compat(t("shelling"), t("airstrike")), 0.8);
        assert_eq!(type_compat(t("arrest"), t("security_operation")), 0.7);
        assert!(type_compat(t("shelling"), t("ambush")) < 0.5);
        assert_eq!(type_compat(t("abduction"), t("arrest")), 0.0);
        assert_eq!(type_compat(t("curfew"), t("curfew")), 1.0);
        assert_eq!(type_compat(OTHER_TYPES, OTHER_TYPES + 1), 0.0);
        assert_eq!(type_compat(OTHER_TYPES, OTHER_TYPES), 1.0);
        assert_eq!(family(OTHER_TYPES), 100 + OTHER_TYPES);
    }

    #[test]
    fn the_tables_say_what_the_names_say() {
        let n = EVENT_TYPES.len() as TypeId;
        for a in 0..n {
            assert_eq!(family(a), family_by_name(a), "{a}");
            for b in 0..n {
                assert_eq!(type_compat(a, b), type_compat_by_name(a, b), "{a} {b}");
            }
        }
        assert!(symmetric(t("armed_clash")) && !symmetric(t("armed_attack")) && !symmetric(OTHER_TYPES));
    }

    #[test]
    fn actor_bits_and_allies() {
        let sdf = actor_bit("SDF").expect("SDF");
        let coa = actor_bit("COALITION").expect("COALITION");
        let isis = actor_bit("ISIS").expect("ISIS");
        assert_eq!(actor_bit("UNKNOWN"), None);
        assert_eq!(actor_bit("NOBODY"), None);
        assert!(allied(sdf, coa));
        assert!(!allied(sdf, isis));
        assert_eq!(actor_names(sdf | isis), vec!["ISIS", "SDF"]);
    }
}
